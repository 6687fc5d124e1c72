"""Languages as a reader meets them: one short notice naming what is shown untranslated and how to install a model,
a "Read in" menu of the languages a reader can get, machine-translated copies marked and originals linked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.web.seed_site import seed_site
from tests.web.site_fixture import NOW, Client, add_story, article, site_config


@pytest.fixture(scope="module")
def foreign(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """A site of twelve stories in German, Spanish and French, read in English with no model installed."""
    db = Database(tmp_path_factory.mktemp("foreign") / "f.db")
    with db.write() as conn:
        for n in range(12):
            language = ("de", "es", "fr")[n % 3]
            item = article(f"Bericht {n} {language}", f"Text {n} {language}.", f"Outlet {n}", language, NOW)
            add_story(conn, [(item, "original")])
    app = create_app(db, site_config())
    client = Client(app)
    yield client
    client.close()
    app.state.site.close()
    db.close()


def test_one_notice_names_the_untranslated_languages(foreign: Client) -> None:
    page = foreign.get("/")
    doc = HTMLParser(page.text)
    notes = doc.css("p.translation-note")
    assert len(notes) == 1
    text = notes[0].text()
    assert "German (de)" in text and "Spanish (es)" in text and "French (fr)" in text
    assert "newsfold models install" in text and notes[0].css_first("code") is not None
    assert "No translation model for" not in page.text and text.count("(de)") == 1
    data = foreign.get("/api/stories?lang=en").json()["reader"]
    assert data["untranslated"] == ["de", "es", "fr"] and len(data["notes"]) == 1


def test_the_menu_offers_only_languages_a_reader_can_get(client: Client) -> None:
    # no model is installed: German is a reader language but nothing translates into it
    doc = HTMLParser(client.get("/").text)
    options = [o.attributes["value"] for o in doc.css("form.reader-language option")]
    assert options == ["original", "en"]
    article = client.get("/api/stories?limit=1").json()["stories"][0]["articles"][0]["id"]
    nav = HTMLParser(client.get(f"/articles/{article}").text).css_first("nav.languages")
    assert "?lang=de" not in nav.html


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The demo's site."""
    yield from seed_site(tmp_path_factory.mktemp("languages"))


def test_story_sources_mark_machine_translation_and_link_the_original(seeds: Client) -> None:
    story = next(s for s in seeds.get("/api/stories").json()["stories"] if len(s["articles"]) == 2)
    translated = [a for a in story["articles"] if a["machine_translated"]]
    assert translated
    doc = HTMLParser(seeds.get(f"/stories/{story['id']}").text)
    url = story["original"]["url"]
    for member in doc.css("li.member"):
        is_translated = any(f"/articles/{a['id']}" in member.html for a in translated)
        assert (member.css_first(".mt-label") is not None) == is_translated
        link = member.css_first("a.original-source")
        assert link is not None and link.attributes["href"] == url and link.text() == "The Washington Post"
    header = doc.css_first("p.original a")
    assert header is not None and header.attributes["href"] == url
