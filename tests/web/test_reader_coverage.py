"""The reader's language on the rest of the site: timeline events, entity sentences, search snippets, the copy
differences and feeds, with the tiny model (and the original with a note without one)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.store.backends import open_database
from newsfold.store.base import Backend
from newsfold.web.feeds import XML_LANG
from newsfold.web.reader import COOKIE
from tests.web.reader_fixture import (
    MODEL,
    STORM_TITLE,
    ReaderData,
    build_reader_data,
    cached_translation,
    install_model,
    reader_site,
)
from tests.web.site_fixture import NOW, Client, Fixture, add_story, article

pytestmark = pytest.mark.both_backends

EVENT_TEXT = "Am 3. März erreichte der Sturm die Küste bei Hamburg."
SENTENCE = "Die Stadt Hamburg meldete am Abend schwere Schäden am Hafen."
BASE = (
    "Die Bahn stellte am Morgen den Verkehr zwischen Bremen und Hamburg ein.\n\n"
    "Reisende mussten stundenlang in den Zügen warten."
)
COPY = (
    "Die Bahn stellte am Morgen den Verkehr zwischen Bremen und Hamburg ein.\n\n"
    "Fahrgäste mussten die ganze Nacht in den Zügen ausharren."
)
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def data(site_data: Fixture, tmp_path_factory: pytest.TempPathFactory) -> tuple[ReaderData, str, str]:
    """The reader data plus a dated event, an entity sentence and a German story with a differing copy."""
    folder = tmp_path_factory.mktemp("coverage")
    reader = build_reader_data(site_data, folder)
    db = open_database(reader.path)
    try:
        with db.write() as conn:
            conn.execute(
                "INSERT INTO events (story_id, article_id, seq, date, precision, text, confidence, in_timeline) "
                "VALUES (?, ?, 99, '2025-03-03', 'day', ?, 0.9, 1)",
                (reader.storm_story, reader.storm_article, EVENT_TEXT),
            )
            conn.execute(
                "INSERT INTO entities (id, name, kind, key, mentions, stories) "
                "VALUES ('ent-hafen', 'Hafen Hamburg', 'place', 'hafen hamburg', 1, 1)"
            )
            conn.execute(
                "INSERT INTO entity_mentions (entity_id, article_id, story_id, name, mentions, sentences) "
                "VALUES ('ent-hafen', ?, ?, 'Hafen Hamburg', 1, ?)",
                (reader.storm_article, reader.storm_story, json.dumps([SENTENCE])),
            )
            first = article("Bahn stoppt Züge bei Hamburg", BASE, "Nord Kurier", "de", NOW - timedelta(minutes=30))
            second = article("Bahn stoppt Züge", COPY, "Süd Blatt", "de", NOW - timedelta(minutes=20))
            rail = add_story(conn, [(first, "original"), (second, "copy")])
    finally:
        db.close()
    return reader, rail, "ent-hafen"


@pytest.fixture(scope="module")
def reader_db(data: tuple[ReaderData, str, str]) -> Iterator[Backend]:
    """The database, opened."""
    db = open_database(data[0].path)
    yield db
    db.close()


@pytest.fixture(scope="module")
def mt(reader_db: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The site with the tiny German -> English model."""
    with reader_site(reader_db, install_model(tmp_path_factory.mktemp("models"))) as client:
        yield client


@pytest.fixture(scope="module")
def plain(reader_db: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The site without any model."""
    with reader_site(reader_db, tmp_path_factory.mktemp("none") / "models") as client:
        yield client


def english() -> dict[str, str]:
    """The cookie of a reader who chose English."""
    return {"cookie": f"{COOKIE}=en"}


def check(value: dict[str, Any] | None, original: str, db: Backend) -> str:
    """A translation filed beside a field: the model's cached output, marked; its text."""
    assert value is not None, f"no translation of {original!r}"
    assert value["machine_translated"] is True and value["model"] == MODEL and value["source_language"] == "de"
    text = cached_translation(db, original)
    assert text and value["text"] == text and text != original
    return text


def test_timeline_events_in_the_reader_language(
    mt: Client, plain: Client, data: tuple[ReaderData, str, str], reader_db: Backend
) -> None:
    reader = data[0]
    story = mt.get(f"/api/stories/{reader.storm_story}?lang=en").json()
    event = next(e for e in story["timeline"] if e["text"] == EVENT_TEXT)
    text = check(event["text_translated"], EVENT_TEXT, reader_db)
    doc = HTMLParser(mt.get(f"/stories/{reader.storm_story}", headers=english()).text)
    item = next(li for li in doc.css("ol.events li") if text in li.text())
    mark = item.css_first(".mt")
    assert mark is not None and MODEL in mark.text() and EVENT_TEXT in mark.text()
    without = plain.get(f"/stories/{reader.storm_story}", headers=english()).text
    assert EVENT_TEXT in without and "in the original: German (de)" in without


def test_entity_sentences_in_the_reader_language(
    mt: Client, plain: Client, data: tuple[ReaderData, str, str], reader_db: Backend
) -> None:
    reader, _, entity = data
    page = mt.get(f"/api/entities/{entity}?lang=en").json()
    listed = next(s for s in page["stories"] if s["id"] == reader.storm_story)
    assert listed["sentences"] == [SENTENCE]
    text = check(listed["sentences_translated"][0], SENTENCE, reader_db)
    html = mt.get(f"/entities/{entity}", headers=english()).text
    quote = HTMLParser(html).css_first("blockquote")
    assert quote is not None and text in quote.text() and MODEL in quote.text() and SENTENCE in quote.text()
    original = plain.get(f"/entities/{entity}", headers=english()).text
    assert SENTENCE in original and "in the original: German (de)" in original


def test_search_snippets_in_the_reader_language(mt: Client, data: tuple[ReaderData, str, str]) -> None:
    reader = data[0]
    found = mt.get("/api/search?q=Nordseeküste&lang=en").json()
    hit = next(r for r in found["results"] if r["id"] == reader.storm_article)
    assert "[[" in hit["snippet"]
    translated = hit["snippet_translated"]
    assert translated["machine_translated"] and translated["model"] == MODEL and "[[" not in translated["text"]
    doc = HTMLParser(mt.get("/search?q=Nordseeküste", headers=english()).text)
    item = next(li for li in doc.css("ol.results li") if reader.storm_article in li.html)
    assert translated["text"] in item.css_first('p.snippet[lang="en"]').text()
    note = next(m for m in item.css(".mt") if "Snippet" in m.text())
    assert note.css_first("mark") is not None  # the original snippet, its matches marked
    original = HTMLParser(mt.get("/search?q=Nordseeküste&lang=original").text)
    assert not original.css('p.snippet[lang="en"]')


def test_differing_rows_of_the_copies_in_the_reader_language(
    mt: Client, data: tuple[ReaderData, str, str], reader_db: Backend
) -> None:
    _, rail, _ = data
    differences = mt.get(f"/api/stories/{rail}/differences?lang=en").json()
    rows = differences["comparisons"][0]["rows"]
    changed = [r for r in rows if r["status"] != "same"]
    same = [r for r in rows if r["status"] == "same"]
    assert changed and same
    assert all("a_translated" not in r and "b_translated" not in r for r in same)
    row = changed[0]
    text_b = check(row["b_translated"], row["b"], reader_db)
    assert "a_translated" not in mt.get(f"/api/stories/{rail}/differences").json()["comparisons"][0]["rows"][1]
    doc = HTMLParser(mt.get(f"/stories/{rail}", headers=english()).text)
    table = doc.css_first("table.diff")
    assert table is not None and text_b in table.text()
    assert [s.text() for s in table.css('span.mt-text[lang="en"]')]
    note = doc.css_first("section.differences p.mt")
    assert note is not None and MODEL in note.text()
    original = HTMLParser(mt.get(f"/stories/{rail}?lang=original").text)
    assert not original.css("span.mt-text")


def test_feeds_take_a_reader_language(
    mt: Client, plain: Client, data: tuple[ReaderData, str, str], reader_db: Backend
) -> None:
    reader = data[0]
    title = cached_translation(reader_db, STORM_TITLE) or check(
        mt.get(f"/api/stories/{reader.storm_story}?lang=en").json()["title_translated"], STORM_TITLE, reader_db
    )
    feed = mt.get("/feeds/latest.json?lang=en")
    assert feed.status_code == 200
    body = feed.json()
    assert body["language"] == "en" and body["feed_url"].endswith("/feeds/latest.json?lang=en")
    item = next(i for i in body["items"] if i["id"].endswith(f"/stories/{reader.storm_story}"))
    assert item["title"] == title and MODEL in item["content_text"] and STORM_TITLE in item["content_text"]
    assert MODEL in body["description"]
    untouched = mt.get("/feeds/latest.json").json()
    assert "language" not in untouched
    assert next(i for i in untouched["items"] if i["id"] == item["id"])["title"] == STORM_TITLE
    atom = ET.fromstring(mt.get("/feeds/latest.atom?lang=en").content)
    assert atom.get(XML_LANG) == "en"
    titles = [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")]
    assert title in titles and STORM_TITLE not in titles
    search = mt.get("/feeds/search.json?q=Nordseeküste&lang=en").json()
    hit = next(i for i in search["items"] if i["id"].endswith(f"/articles/{reader.storm_article}"))
    assert hit["title"] == title and MODEL in hit["content_text"]
    assert mt.get("/feeds/latest.json?lang=xx!").status_code == 400
    noted = plain.get("/feeds/latest.json?lang=en").json()
    assert "in the original: German (de)" in noted["description"]
    assert any(i["title"] == STORM_TITLE for i in noted["items"])


def test_feeds_page_in_the_site_frame(mt: Client) -> None:
    doc = HTMLParser(mt.get("/feeds", headers=english()).text)
    form = doc.css_first("form.reader-language")
    assert form is not None and form.attributes["action"] == "/language?next=%2Ffeeds"
    assert doc.css_first('nav a[aria-current="page"]').attributes["href"] == "/feeds"
    assert doc.css_first("h1").text() == "Feeds and their health"
