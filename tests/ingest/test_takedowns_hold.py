"""Takedowns that hold: every spelling of a URL matches, every derived row goes, no trace of the text stays on the
site, a story left with no article answers 410, and re-ingesting afterwards never crashes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.engine import ingest
from newsfold.fold.incremental.folder import Folder
from newsfold.ingest import takedowns
from newsfold.ingest.files import iter_inputs
from newsfold.ingest.takedowns import match_key
from newsfold.steps import default_pipeline
from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.ingest.helpers import article_html, invoke, paragraphs
from tests.web.site_fixture import Client, site_config

SECRET = "Quentin Zarkovsky, the harbour master of Velmora, said the quokka exports would resume on Tuesday."


def _page(title: str, url: str, site: str, extra: str = "") -> str:
    """A saved page with a canonical URL, a site name and (optionally) one more paragraph."""
    page = article_html(title, seed=71, url=url).replace(
        "</head>", f'<meta property="og:site_name" content="{escape(site)}"></head>'
    )
    return page.replace("</article>", f"<p>{escape(extra)}</p></article>") if extra else page


@dataclass
class Stored:
    """A store with one story of two copies (the copy carries SECRET) and one other story."""

    db: str
    original: Path
    copy: Path
    story: str
    copy_id: str


@pytest.fixture
def stored(tmp_path: Path, runner: CliRunner) -> Stored:
    """Ingest the original, its copy with an extra paragraph, and an unrelated page, through the CLI."""
    original = tmp_path / "original.html"
    original.write_text(_page("Harbour reopens after storm", "https://a.example/news/7", "Outlet A"))
    copy = tmp_path / "copy.html"
    copy.write_text(_page("Harbour reopens after storm", "https://b.example/copy/7", "Outlet B", SECRET))
    other = tmp_path / "other.html"
    other.write_text(article_html("Glacier melt record", seed=42, url="https://c.example/g/1"))
    db = str(tmp_path / "t.db")
    status, _ = invoke(runner, ["ingest", str(original), str(copy), str(other), "--db", db])
    assert status == 0
    database = Database(db)
    with database.read() as conn:
        rows = dict(conn.execute("SELECT canonical_url, story_id FROM articles").fetchall())
        copy_id = conn.execute("SELECT id FROM articles WHERE canonical_url = 'https://b.example/copy/7'").fetchone()[0]
    database.close()
    assert rows["https://a.example/news/7"] == rows["https://b.example/copy/7"]  # one story
    return Stored(db, original, copy, rows["https://a.example/news/7"], copy_id)


@pytest.fixture
def site(stored: Stored) -> Iterator[Client]:
    """An in-process client of the site over the store."""
    db = Database(stored.db)
    app = create_app(db, site_config())
    client = Client(app)
    yield client
    client.close()
    app.state.site.close()
    db.close()


def _derived(db_path: str, article_id: str) -> dict[str, int]:
    """Rows naming an article, by table."""
    db = Database(db_path)
    out = {}
    with db.read() as conn:
        for table, column in [
            ("articles", "id"),
            ("fold_docs", "article_id"),
            ("fold_edges", "a"),
            ("fold_edges", "b"),
            ("entity_mentions", "article_id"),
            ("events", "article_id"),
            ("input_keys", "article_id"),
        ]:
            out[f"{table}.{column}"] = conn.execute(
                f"SELECT count(*) FROM {table} WHERE {column} = ?", (article_id,)
            ).fetchone()[0]
        out["fts"] = conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'Zarkovsky'").fetchone()[
            0
        ]
        out["entities"] = conn.execute("SELECT count(*) FROM entities WHERE name LIKE '%Zarkovsky%'").fetchone()[0]
    db.close()
    return out


def test_match_key_ignores_scheme_www_tracking_and_order() -> None:
    """The spellings of one page share one key; other pages do not."""
    base = match_key("https://example.org/a/b")
    for spelling in [
        "http://example.org/a/b",
        "https://WWW.Example.org:443/a/b/",
        "https://example.org/a/b?utm_source=x&utm_medium=rss",
        "https://example.org/a/b?fbclid=123#comments",
    ]:
        assert match_key(spelling) == base, spelling
    assert match_key("https://example.org/a/b?id=2&page=1") == match_key("https://example.org/a/b?page=1&id=2")
    assert match_key("https://example.org/a/b?id=2") != base
    assert match_key("https://other.org/a/b") != base
    assert match_key("ftp://example.org/a") is None and match_key("http://[::1/x") is None and match_key("") is None


def test_a_taken_down_url_stays_down_in_every_spelling(stored: Stored, runner: CliRunner, tmp_path: Path) -> None:
    """After `takedown https://b.example/copy/7`, the same page under http://, www., a final / or tracking
    parameters is refused by the store and by the fetcher's filter alike."""
    status, out = invoke(runner, ["takedown", "http://www.b.example/copy/7/?utm_source=feed", "--db", stored.db])
    assert status == 0 and "1 articles removed" in out
    variant = tmp_path / "variant.html"
    variant.write_text(
        _page("Harbour reopens after storm", "http://www.b.example/copy/7?utm_campaign=x", "Outlet B", SECRET)
    )
    status, out = invoke(runner, ["ingest", str(variant), "--db", stored.db])
    assert "0 new" in out and "taken down" in out
    db = Database(stored.db)
    with db.read() as conn:
        for url in ["https://b.example/copy/7", "http://b.example/copy/7/", "https://www.b.example/copy/7?gclid=1"]:
            assert takedowns.url_blocked(conn, url), url
        assert not takedowns.url_blocked(conn, "https://b.example/copy/8")
    db.close()


def test_takedown_removes_every_derived_row_and_every_trace(stored: Stored, runner: CliRunner, site: Client) -> None:
    """Fold documents and edges, mentions, events, input keys and the search index lose the article; the story's
    page, its JSON twin, feeds, search and entity pages no longer show its text; the story is recomputed."""
    before = _derived(stored.db, stored.copy_id)
    assert before["articles.id"] == 1 and before["fold_docs.article_id"] == 1 and before["fts"] == 1
    page = site.get(f"/stories/{stored.story}").text
    assert "Outlet B" in page
    invoke(runner, ["takedown", "https://b.example/copy/7", "--db", stored.db])
    after = _derived(stored.db, stored.copy_id)
    assert set(after.values()) == {0}, after
    html = site.get(f"/stories/{stored.story}")
    document = site.get(f"/api/stories/{stored.story}")
    assert html.status_code == 200 and document.status_code == 200
    for body in [
        html.text,
        document.text,
        site.get("/feeds/latest.atom").text,
        site.get("/feeds/latest.json").text,
        site.get("/api/stories").text,
        site.get("/").text,
    ]:
        for trace in ("Zarkovsky", "Velmora", "quokka", "b.example"):
            assert trace not in body
    assert site.get("/api/search?q=Zarkovsky").json()["results"] == []
    assert site.get("/api/search?q=quokka").json()["results"] == []
    assert "b.example" not in site.get("/search?q=Velmora").text
    assert [a["source"]["name"] for a in document.json()["articles"]] == ["Outlet A"]
    assert document.json()["original"]["url"] in (None, "https://a.example/news/7")


def test_a_story_with_no_article_left_answers_410(stored: Stored, runner: CliRunner, site: Client) -> None:
    """Taking down both copies leaves the story gone: 410 for the page and its JSON twin, the CLI says so, and
    nothing of it is listed."""
    invoke(runner, ["takedown", "--source", "Outlet A", "--db", stored.db])
    invoke(runner, ["takedown", "--source", "Outlet B", "--db", stored.db])
    html = site.get(f"/stories/{stored.story}")
    document = site.get(f"/api/stories/{stored.story}")
    assert html.status_code == 410 and document.status_code == 410
    assert document.json()["error"]["status"] == 410
    for body in (html.text, document.text, site.get("/api/stories").text, site.get("/feeds/latest.atom").text):
        assert "Harbour reopens" not in body

    result = runner.invoke(cli, ["story", stored.story, "--db", stored.db], standalone_mode=False)
    assert result.exception is not None and "taken down" in str(result.exception)


def test_reingest_after_a_source_takedown_never_crashes(tmp_path: Path, runner: CliRunner) -> None:
    """`ingest p.html; takedown --source "Outlet A"; ingest p_renamed.html` (the same page under another site
    name) folds the page again instead of failing on the removed one's fold document (KeyError '')."""
    page = tmp_path / "p.html"
    page.write_text(_page("Harbour reopens after storm", "https://a.example/news/7", "Outlet A"))
    renamed = tmp_path / "p_renamed.html"
    renamed.write_text(_page("Harbour reopens after storm", "https://a.example/news/7", "Outlet B"))
    db = str(tmp_path / "r.db")
    invoke(runner, ["ingest", str(page), "--db", db])
    invoke(runner, ["takedown", "--source", "Outlet A", "--db", db])
    status, out = invoke(runner, ["ingest", str(renamed), "--db", db])
    assert status == 0 and "1 new" in out
    database = Database(db)
    with database.read() as conn:
        assert conn.execute("SELECT count(*) FROM stories WHERE size > 0").fetchone()[0] == 1
    database.close()


def test_a_running_folder_forgets_taken_down_documents(tmp_path: Path, db: Database) -> None:
    """A folder that loaded its index before a takedown (the `run` process, when the site takes an article down)
    reloads it instead of linking new pages to a removed document."""

    folder = Folder()
    first = tmp_path / "one.html"
    first.write_text(_page("Harbour reopens after storm", "https://a.example/news/7", "Outlet A"))
    ingest(db, iter_inputs([str(first)]), default_pipeline(folder=folder), prepare_workers=0)
    with db.write() as conn:
        takedowns.take_down_source(conn, "Outlet A")
    again = tmp_path / "two.html"
    again.write_text(_page("Harbour reopens after storm", "https://d.example/news/7", "Outlet D"))
    report = ingest(db, iter_inputs([str(again)]), default_pipeline(folder=folder), prepare_workers=0)
    assert report.new == 1 and not report.failures
    with db.read() as conn:
        assert conn.execute("SELECT relation FROM articles").fetchall()[0][0] == "original"
    assert paragraphs(71)[0].split()[0]  # the pages share their text
