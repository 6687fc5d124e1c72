"""The reader's language across the site, end to end with the tiny CTranslate2 model (and without any model)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.language.eager import EagerTranslation
from newsfold.store.backends import open_database
from newsfold.store.base import Backend
from newsfold.web.app import create_app
from newsfold.web.docs import operations
from newsfold.web.reader import COOKIE, local_path
from newsfold.web.security import SITE_CSP
from tests.web.reader_fixture import (
    FERRY_HIGHLIGHTS,
    FERRY_TITLE,
    MODEL,
    STORM_HIGHLIGHTS,
    STORM_TITLE,
    ReaderData,
    build_reader_data,
    cached_translation,
    install_model,
    reader_config,
    reader_site,
)
from tests.web.site_fixture import Client, Fixture

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def data(site_data: Fixture, tmp_path_factory: pytest.TempPathFactory) -> ReaderData:
    """The web fixture database with the German stories, copied for this module."""
    return build_reader_data(site_data, tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with the tiny German -> English model."""
    return install_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def reader_db(data: ReaderData) -> Iterator[Backend]:
    """The copied database, opened."""
    db = open_database(data.path)
    yield db
    db.close()


@pytest.fixture(scope="module")
def mt(reader_db: Backend, models: Path) -> Iterator[Client]:
    """The site with the model installed."""
    with reader_site(reader_db, models) as client:
        yield client


@pytest.fixture(scope="module")
def plain(reader_db: Backend, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The site with no model installed."""
    with reader_site(reader_db, tmp_path_factory.mktemp("none") / "models") as client:
        yield client


def cookie(language: str) -> dict[str, str]:
    """The request header a browser sends once the reader chose a language."""
    return {"cookie": f"{COOKIE}={language}"}


def marked(node: Any) -> list[Any]:
    """The machine-translation marks of a parsed page."""
    return list(node.css(".mt"))


def assert_translated(value: dict[str, Any] | None, original: str, db: Backend) -> None:
    """A translated field: the model's output (as cached), in English, marked, naming the model."""
    assert value is not None, f"no translation of {original!r}"
    assert value["machine_translated"] is True and value["language"] == "en" and value["model"] == MODEL
    assert value["source_language"] == "de"
    assert value["text"] == cached_translation(db, original) and value["text"] != original


def test_json_twin_adds_translations_beside_the_originals(mt: Client, data: ReaderData, reader_db: Backend) -> None:
    plain_page = mt.get("/api/stories?limit=100", headers=cookie("en")).json()
    storm = next(s for s in plain_page["stories"] if s["id"] == data.storm_story)
    assert "title_translated" not in storm and "reader" not in plain_page  # JSON: ?lang= only, never the cookie
    page = mt.get("/api/stories?limit=100&lang=en").json()
    storm = next(s for s in page["stories"] if s["id"] == data.storm_story)
    assert storm["title"] == STORM_TITLE and storm["highlights"] == STORM_HIGHLIGHTS  # the contract unchanged
    assert_translated(storm["title_translated"], STORM_TITLE, reader_db)
    for original, value in zip(STORM_HIGHLIGHTS, storm["highlights_translated"], strict=True):
        assert_translated(value, original, reader_db)
    ferry = next(s for s in page["stories"] if s["id"] == data.ferry_story)
    assert ferry["highlights"] == [] and ferry["publisher_highlights"] == FERRY_HIGHLIGHTS
    assert_translated(ferry["publisher_highlights_translated"][0], FERRY_HIGHLIGHTS[0], reader_db)
    assert page["reader"]["language"] == "en" and page["reader"]["models"] == [MODEL]
    english = next(s for s in page["stories"] if s["id"] == data.quake_story)
    assert "title_translated" not in english  # already in the reader's language
    original = mt.get("/api/stories?limit=100&lang=original").json()
    assert "reader" not in original and all("title_translated" not in s for s in original["stories"])


def test_story_document_and_article_json(mt: Client, data: ReaderData, reader_db: Backend) -> None:
    story = mt.get(f"/api/stories/{data.storm_story}?lang=en").json()
    assert story["title"] == STORM_TITLE
    assert_translated(story["title_translated"], STORM_TITLE, reader_db)
    member = next(a for a in story["articles"] if a["id"] == data.storm_article)
    assert_translated(member["title_translated"], STORM_TITLE, reader_db)
    assert "title_translated" not in next(a for a in story["articles"] if a["id"] == data.spanish_article)
    assert story["reader"]["untranslated"] == ["es"]  # the Spanish report: no model, named in the one note
    assert any("Spanish (es)" in note for note in story["reader"]["notes"])
    article = mt.get(f"/api/articles/{data.storm_article}?lang=en").json()
    assert article["title"] == STORM_TITLE and article["text"].startswith("Ein schwerer Sturm")
    assert_translated(article["title_translated"], STORM_TITLE, reader_db)
    text = article["text_translated"]
    assert text["machine_translated"] and text["model"] == MODEL and text["text"] == article["rendering"]["text"]
    first = article["text"].split("\n\n")[0]
    assert text["text"].split("\n\n")[0] == cached_translation(reader_db, first)
    related = mt.get(f"/api/stories/{data.storm_story}/related?lang=en").json()
    timeline = next(t for t in related["timeline"] if t["article_id"] == data.storm_article)
    assert_translated(timeline["title_translated"], STORM_TITLE, reader_db)


def test_pages_show_titles_and_highlights_in_the_reader_language(
    mt: Client, data: ReaderData, reader_db: Backend
) -> None:
    mt.get("/api/stories?lang=en")  # renders (and caches) the titles if nothing did yet
    title = cached_translation(reader_db, STORM_TITLE)
    assert title
    highlight = cached_translation(reader_db, STORM_HIGHLIGHTS[0])
    day = (mt.get(f"/api/stories/{data.storm_story}").json()["first_published"] or "")[:10]
    pages = {
        "/?limit=100": f"/stories/{data.storm_story}?lang=original",
        f"/stories/{data.storm_story}": f"/stories/{data.storm_story}?lang=original",
        "/trending": f"/stories/{data.storm_story}?lang=original",
        f"/day/{day}": f"/stories/{data.storm_story}?lang=original",
        "/search?q=Nordseeküste": f"/articles/{data.storm_article}?lang=original",
        "/sources/Nord%20Kurier": f"/articles/{data.storm_article}?lang=original",
    }
    for path, original_link in pages.items():
        html = mt.get(path, headers=cookie("en")).text
        doc = HTMLParser(html)
        assert title in html, path
        marks = [m for m in marked(doc) if MODEL in m.text()]
        assert marks, f"{path}: no machine-translation mark naming the model"
        links = [a.attributes.get("href") for m in marks for a in m.css("a.original-link")]
        assert original_link in links, (path, links)
        assert any(STORM_TITLE in m.text() for m in marks), f"{path}: the original title is not linked"
        if path in ("/?limit=100", f"/stories/{data.storm_story}"):
            assert highlight and highlight in html, path
            assert (
                doc.css_first(".mt-notice") is not None and "machine translation" in doc.css_first(".mt-notice").text()
            )
        # ?lang=original overrides the cookie: the originals, no mark
        again = mt.get(path + ("&" if "?" in path else "?") + "lang=original", headers=cookie("en")).text
        assert title not in again and STORM_TITLE in again, path


def test_entity_page_titles(mt: Client, data: ReaderData, reader_db: Backend) -> None:
    story = mt.get(f"/api/stories/{data.storm_story}").json()
    if not story["entities"]:
        pytest.skip("the rule recogniser found no entity in the German story")
    entity = story["entities"][0]["id"]
    page = mt.get(f"/api/entities/{entity}?lang=en").json()
    listed = next(s for s in page["stories"] if s["id"] == data.storm_story)
    assert_translated(listed["title_translated"], STORM_TITLE, reader_db)
    html = mt.get(f"/entities/{entity}", headers=cookie("en")).text
    assert str(listed["title_translated"]["text"]) in html and MODEL in html


def test_article_page_is_translated_marked_and_links_the_original(mt: Client, data: ReaderData) -> None:
    doc = HTMLParser(mt.get(f"/articles/{data.ferry_article}", headers=cookie("en")).text)
    api = mt.get(f"/api/articles/{data.ferry_article}?lang=en").json()
    assert doc.css_first("h1").text() == api["title_translated"]["text"]
    notice = doc.css_first("p.mt-notice")
    assert notice is not None and MODEL in notice.text() and "Machine-translated" in notice.text()
    assert notice.css_first("a.original-link").attributes["href"] == f"/articles/{data.ferry_article}?lang=original"
    assert doc.css_first('div.text[lang="en"]').text().strip().startswith(api["text_translated"]["text"][:20])
    highlights = doc.css("ul.highlights li")
    assert [h.text() for h in highlights] == [h["text"] for h in api["highlights_translated"]]
    original = HTMLParser(mt.get(f"/articles/{data.ferry_article}?lang=original", headers=cookie("en")).text)
    assert original.css_first("h1").text() == FERRY_TITLE and not marked(original)


def without_tokens(page: str) -> str:
    """A page with its CSRF tokens (a reader's own, filled in per request) blanked out."""
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"', r'\1=""', page)


def test_cookie_form_and_cache_keyed_on_language(mt: Client, data: ReaderData, reader_db: Backend) -> None:
    header = HTMLParser(mt.get("/search?q=Nordseeküste&lang=en").text).css_first("form.reader-language")
    assert header is not None and header.attributes["method"] == "post"
    assert header.attributes["action"] == "/language?next=%2Fsearch%3Fq%3DNordseek%25C3%25BCste"
    options = [o.attributes["value"] for o in header.css("option")]
    assert options == ["original", "en"]  # the model translates into English only: German is not offered
    token = header.css_first('input[name="csrf_token"]').attributes["value"]  # the form carries the CSRF token
    form = {"content-type": "application/x-www-form-urlencoded"}
    forged = mt.request("POST", "/language?next=/", content="lang=original", headers=form)
    assert forged.status_code == 403 and "set-cookie" not in forged.headers  # no token: refused, nothing set
    chosen = mt.request(
        "POST",
        "/language?next=/stories/" + data.storm_story,
        content=f"lang=original&csrf_token={token}",
        headers=form,
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == f"/stories/{data.storm_story}"
    remembered = chosen.headers["set-cookie"].lower()
    assert "newsfold_lang=original" in remembered and "samesite=lax" in remembered and "path=/" in remembered
    bad = mt.request("POST", "/language", content=f"lang=xx&csrf_token={token}", headers=form)
    assert bad.status_code == 400
    site = mt.app.state.site
    title = cached_translation(reader_db, STORM_TITLE)
    assert title
    english = mt.get("/", headers=cookie("en"))
    hits = site.cache.hits
    original = mt.get("/", headers=cookie("original"))
    assert title in english.text and title not in original.text and english.headers["etag"] != original.headers["etag"]
    assert "Cookie" in english.headers["vary"]
    again = mt.get("/", headers=cookie("en"))  # from the cache; only a new reader's CSRF token differs
    assert without_tokens(again.text) == without_tokens(english.text) and site.cache.hits > hits


def test_without_a_model_the_original_and_a_note(plain: Client, data: ReaderData) -> None:
    page = plain.get("/api/stories?limit=100&lang=en").json()
    storm = next(s for s in page["stories"] if s["id"] == data.storm_story)
    assert "title_translated" not in storm and "highlights_translated" not in storm
    assert page["reader"]["untranslated"] == ["de"]
    assert [n for n in page["reader"]["notes"] if "German (de)" in n and "newsfold models install" in n]
    for path in ("/", f"/stories/{data.storm_story}", f"/articles/{data.storm_article}", "/search?q=Nordseeküste"):
        response = plain.get(path, headers=cookie("en"))
        assert response.status_code == 200, path
        assert STORM_TITLE in response.text and "Shown untranslated, in the original: German (de)" in response.text, (
            path
        )
        assert not marked(HTMLParser(response.text)), path


def test_eager_translation_fills_the_cache_with_the_story_highlights(
    reader_db: Backend, models: Path, data: ReaderData
) -> None:
    hook = EagerTranslation(reader_config(models))
    hook(reader_db, {data.storm_story, data.ferry_story})
    for text in [STORM_TITLE, *STORM_HIGHLIGHTS, FERRY_TITLE, *FERRY_HIGHLIGHTS]:
        assert cached_translation(reader_db, text), text


def test_docs_served_locally_under_the_strict_policy(mt: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = mt.get("/docs")
    assert docs.status_code == 200 and docs.headers["content-security-policy"] == SITE_CSP
    assert "unsafe-inline" not in docs.headers["content-security-policy"]
    doc = HTMLParser(docs.text)
    # every script and stylesheet from this server (the page's random tokens may spell 'cdn': look at addresses)
    linked = [s.attributes.get("src") or "" for s in doc.css("script")] + [
        link.attributes.get("href") or "" for link in doc.css("link")
    ]
    assert linked and all(url.startswith("/") and not url.startswith("//") for url in linked), linked
    assert "//cdn" not in docs.text.lower() and "cdn." not in docs.text.lower()
    scripts = [s.attributes["src"] for s in doc.css("script")]
    assert "/docs/assets/swagger-ui-bundle.js" in scripts and "/static/docs.js" in scripts
    assert not [s for s in doc.css("script") if not s.attributes.get("src")]  # nothing inline
    bundle = mt.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    listed = operations(mt.get("/openapi.json").json())
    stories = next(op for op in listed if op["path"] == "/api/stories")
    assert stories["method"] == "GET" and any(p["name"] == "lang" for p in stories["parameters"])


def test_docs_without_swagger_ui_list_the_api(
    reader_db: Backend, models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsfold.web.docs.swagger_assets", lambda: None)
    app = create_app(reader_db, reader_config(models))
    client = Client(app)
    try:
        doc = HTMLParser(client.get("/docs").text)
    finally:
        client.close()
        app.state.site.close()
    assert not doc.css("script[src^='/docs/assets']")
    codes = [c.text() for c in doc.css("ol.api-operations h2 code")]
    assert "GET /api/stories" in codes and "GET /api/articles/{article_id}" in codes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/stories/x?a=1", "/stories/x?a=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil", "/"),
        ("", "/"),
    ],
)
def test_the_form_returns_only_to_this_site(value: str, expected: str) -> None:
    assert local_path(value) == expected
