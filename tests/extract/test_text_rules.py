"""Plain-text rules on pages of the seeds' kind that are not the seeds: other sites, other languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsfold.extract.datelines import find_dateline
from newsfold.extract.dates import date_from_url, parse_date
from newsfold.extract.dispatch import Extractor
from newsfold.extract.lines import furniture_rule
from newsfold.extract.notices import first_published, outlet_name, source_links
from newsfold.extract.people import clean_authors
from newsfold.model import Article, Origin, RawInput

BODY_EN = (
    "The city council voted on Tuesday to expand the bus network, a decision that officials said would bring "
    "service to thousands of residents who have been waiting for years for a reliable connection to the centre.",
    "The plan, which will cost about 40 million euros over five years, was approved after a long debate in which "
    "several members of the opposition said that the money should have been spent on the repair of old roads.",
    "Residents of the northern districts, where many people do not own a car, welcomed the decision and said that "
    "they hoped the first new lines would be running before the start of the next school year in September.",
)
BODY_DE = (
    "Der Stadtrat hat am Dienstag beschlossen, das Busnetz auszubauen, und damit eine Entscheidung getroffen, auf die "
    "viele Bewohner der nördlichen Viertel seit Jahren gewartet haben, weil sie kein eigenes Auto besitzen.",
    "Der Plan, der in den nächsten fünf Jahren etwa 40 Millionen Euro kosten soll, wurde nach einer langen Debatte "
    "angenommen, in der die Opposition erklärte, dass das Geld besser in die Sanierung der Straßen fließen sollte.",
    "Die ersten neuen Linien sollen nach Angaben der Verwaltung noch vor dem Beginn des neuen Schuljahres im "
    "September in Betrieb gehen, wenn die Fahrzeuge rechtzeitig geliefert werden und das Personal eingestellt ist.",
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module (its language model loads once)."""
    return Extractor()


def _extract(extractor: Extractor, text: str) -> list[Article]:
    """Documents of a plain-text page."""
    return extractor(RawInput(Origin("page.txt"), text.encode("utf-8"), media_type="text/plain"))


@pytest.mark.parametrize(
    "line",
    [
        "Kommentare", "Drucken", "Teilen", "Partager", "Compartir", "Share", "Read more", "Weiterlesen",
        "Meistgelesen", "Das könnte Sie auch interessieren", "Lire aussi", "You might also like", "Most read",
        "3 hours ago", "vor 2 Stunden", "il y a 5 heures", "© dpa/Picture Alliance", "Foto: Max Muster/dpa",
        "Subscribe to our newsletter for free", "Alle Rechte vorbehalten.", "We use cookies to improve your experience",
        "Home | News | Sport | Weather", "All articles on 2023-05-01",
    ],
)  # fmt: skip
def test_furniture_lines_in_several_languages(line: str) -> None:
    """Controls, list headers, times, credits, ads, notices and menus are furniture, whatever the language."""
    assert furniture_rule(line) is not None


@pytest.mark.parametrize("line", [BODY_EN[0], BODY_DE[1], "Washington angers an ally.", "Five days later, it struck."])
def test_body_lines_are_not_furniture(line: str) -> None:
    """Sentences of a story match no furniture rule."""
    assert furniture_rule(line) is None


def test_datelines() -> None:
    """Datelines of several shapes, with a postal code dropped and a region kept."""
    assert find_dateline("BERLIN (dpa) - Die Regierung hat") is not None
    line = find_dateline("NEW YORK, March 3, 2021 /PRNewswire/ -- Acme Corp. announced")
    assert line is not None and line.place == "New York" and line.wire == "PRNewswire"
    assert line.date == datetime(2021, 3, 3)
    line = find_dateline("KYIV, Ukraine — Russian forces shelled")
    assert line is not None and line.place == "Kyiv, Ukraine"
    assert find_dateline("The minister said on Monday") is None


def test_dates() -> None:
    """Dates in the forms pages write them."""
    assert parse_date("As of: March 3, 2021, 4:05 p.m") == datetime(2021, 3, 3, 16, 5)
    assert parse_date("3. März 2021, 10:05 Uhr") == datetime(2021, 3, 3, 10, 5)
    assert parse_date("2021-03-03T10:05:00Z") == datetime(2021, 3, 3, 10, 5, tzinfo=UTC)
    assert parse_date("le 3 mars 2021") == datetime(2021, 3, 3)
    assert date_from_url("https://example.org/news/2021/03/03/story/") == datetime(2021, 3, 3)
    assert parse_date("no date here") is None


def test_notices() -> None:
    """First-publication notices, source blocks without search engines, outlet names from domains."""
    site, date, language = first_published(
        "This story was originally published in French on 3 March 2021 at lemonde.fr - translated by us."
    ) or (None, None, None)
    assert site == "lemonde.fr" and date == datetime(2021, 3, 3) and language == "fr"
    links = source_links("Sources 1/ https://www.bing.com/ 2/ https://example.org/ 3/ https://www.bbc.co.uk/news/x-1")
    assert [link.url for link in links] == ["https://www.bbc.co.uk/news/x-1"]
    assert outlet_name("nytimes", "as The NY Times reported") == "The NY Times"
    assert outlet_name("nytimes", "a story about New York") is None
    assert outlet_name("guardian", "told The Guardian on Monday") == "The Guardian"


def test_authors_are_people() -> None:
    """Bylines split into people; staff, times and outlets dropped."""
    assert clean_authors(["By Jane Doe and John Smith"]) == ["Jane Doe", "John Smith"]
    assert clean_authors(["Staff Reporter", "3 hours ago", "Reuters", "Anna Müller, dpa"]) == ["Anna Müller"]


def test_german_page_with_furniture(extractor: Extractor) -> None:
    """A German aggregator page: menus, list of other headlines and notices removed; metadata read."""
    page = "\n\n".join(
        [
            "Nachrichten Heute", "Menü", "Lokales", "Der Stadtrat baut das Busnetz aus",
            "Stand: 03.05.2024, 17:47 Uhr", "Teilen", "Kommentare", "Von Anna Müller", "Münster - " + BODY_DE[0],
            BODY_DE[1], "Meistgelesen", "• Unfall auf der A1: Stau", "• Neuer Trainer für den SC",
            "• Wetter: Sonne am Wochenende", BODY_DE[2], "Quelle: Westfälische Nachrichten", "Impressum",
            "© 2024 Nachrichten Heute",
        ]
    )  # fmt: skip
    (article,) = _extract(extractor, page)
    assert article.kind == "article"
    assert article.title == "Der Stadtrat baut das Busnetz aus"
    assert article.language == "de"
    assert article.text == "\n\n".join(["Münster - " + BODY_DE[0], BODY_DE[1], BODY_DE[2]])
    assert article.dateline == "Münster"
    assert article.authors == ["Anna Müller"]
    assert article.source.name == "Westfälische Nachrichten"
    assert article.updated == datetime(2024, 5, 3, 17, 47) or article.published == datetime(2024, 5, 3, 17, 47)


def test_glued_documents_in_two_languages_are_split(extractor: Extractor) -> None:
    """An English story followed by an unrelated German one becomes two documents."""
    page = "\n\n".join([*BODY_EN, "Busnetz wird ausgebaut", *BODY_DE])
    documents = _extract(extractor, page)
    assert len(documents) == 2
    assert [d.language for d in documents] == ["en", "de"]
    assert documents[0].text == "\n\n".join(BODY_EN)
    assert BODY_DE[0] in documents[1].text


def test_glued_press_release_is_split(extractor: Extractor) -> None:
    """A wire release after a story: a new title followed by a wire dateline starts a new document."""
    release = (
        "AUSTIN, TX / GLOBE NEWSWIRE / May 2, 2023 / Acme Robotics today announced a new warehouse robot that can "
        "lift twice as much as its predecessor and works with existing shelving systems in most distribution centres. "
        "About Acme Robotics Acme Robotics builds machines for logistics. Media Contact: Jane Roe, press@acme.example"
    )
    page = "\n\n".join([*BODY_EN, "Acme Robotics Unveils A Stronger Warehouse Robot", release])
    documents = _extract(extractor, page)
    assert [d.kind for d in documents] == ["article", "press_release"]
    release_doc = documents[1]
    assert release_doc.title == "Acme Robotics Unveils A Stronger Warehouse Robot"
    assert release_doc.dateline == "Austin"
    assert release_doc.source.name == "GLOBE NEWSWIRE"
    assert release_doc.published == datetime(2023, 5, 2)
    assert "Media Contact" not in release_doc.text and "press@acme" not in release_doc.text


def test_contributors_and_wire_credit(extractor: Extractor) -> None:
    """'X and Y contributed' lines are contributors; an '(AP) —' opening names the agency as the original."""
    page = "\n\n".join(
        ["LONDON (AP) — " + BODY_EN[0], BODY_EN[1], BODY_EN[2], "Associated Press writer Jill Lawless contributed."]
    )
    (article,) = _extract(extractor, page)
    assert article.original is not None and article.original.name == "AP"
    assert article.dateline == "London"
    assert "contributed" not in article.text


def test_page_without_an_article_is_other(extractor: Extractor) -> None:
    """A cookie wall or a menu page is an 'other' document, not an article."""
    page = "\n".join(["Home", "News", "Sport", "We use cookies to improve your experience.", "Accept all", "Login"])
    (document,) = _extract(extractor, page)
    assert document.kind == "other"
    assert document.text == ""


def test_glued_documents_split_at_a_new_date_line(extractor: Extractor) -> None:
    """A second story that opens with its own date line is a document of its own."""
    second = [p.replace("bus network", "tram line").replace("council", "parliament") for p in BODY_EN]
    page = "\n\n".join(["date 2024-02-12", *BODY_EN, "date 2023-11-03", *second])
    documents = _extract(extractor, page)
    assert len(documents) == 2
    assert documents[0].published == datetime(2024, 2, 12)
    assert documents[1].published == datetime(2023, 11, 3)
    assert "tram line" in documents[1].text and "tram line" not in documents[0].text


def test_stray_html_in_scraped_text(extractor: Extractor) -> None:
    """Tags left in scraped text are taken out (block tags end lines) and entities decoded."""
    page = f"<p>{BODY_EN[0]}</p>\n<p>{BODY_EN[1]} &amp; more.</p><div><b>{BODY_EN[2]}</b></div>"
    (article,) = _extract(extractor, page)
    assert article.text == "\n\n".join([BODY_EN[0], BODY_EN[1] + " & more.", BODY_EN[2]])
