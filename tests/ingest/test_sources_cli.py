"""The registry and `newsfold sources|fetch|ingest URL` end to end against a local server."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsfold.cli.sources import LiveReport
from newsfold.engine import ingest
from newsfold.ingest import registry
from newsfold.ingest.collect import Collector
from newsfold.ingest.scheduler import SourcePoller, SourceResult
from newsfold.store import sources as sources_db
from newsfold.store.db import Database
from tests.ingest.conftest import make_fetcher
from tests.ingest.helpers import article_html, invoke, paragraphs, rss

ALLOW = ["--allow-network", "127.0.0.1/32"]
FAST = "[fetch]\nhost_delay = 0.0\n"
LOCAL_FAST = '[fetch]\nhost_delay = 0.0\nallowed_networks = ["127.0.0.1/32"]\n'


def config_file(tmp_path: Path, text: str) -> list[str]:
    """--config pointing to a settings file with text."""
    path = tmp_path / "newsfold.toml"
    path.write_text(text)
    return ["--config", str(path)]


def serve_gazette(server: HTTPServer, pages: int = 2) -> str:
    """A feed with `pages` entries leading to pages, plus one entry carrying its full text; the feed's URL."""
    items: list[tuple[str, str, str | None]] = []
    for i in range(pages):
        url = server.url_for(f"/news/{i}")
        server.expect_request(f"/news/{i}").respond_with_data(
            article_html(f"Gazette story {i}", seed=100 + i, url=url), content_type="text/html; charset=utf-8"
        )
        items.append((f"Gazette story {i}", url, None))
    full = "".join(f"<p>{p}</p>" for p in paragraphs(999))
    items.append(("Full text story", server.url_for("/news/full"), full))
    server.expect_request("/feed.xml").respond_with_data(
        rss(items), content_type="application/rss+xml", headers={"ETag": '"gazette-1"'}
    )
    return server.url_for("/feed.xml")


def test_sources_add_list_remove(tmp_path: Path, runner: CliRunner) -> None:
    """Sources are added with a name, language and interval, listed with their health, and removed."""
    db = str(tmp_path / "s.db")
    status, out = invoke(runner, ["sources", "add", "https://news.example/feed", "--db", db, "--name", "News"])
    assert status == 0 and "added source 1: News" in out
    invoke(runner, ["sources", "add", "https://other.example/rss", "--db", db, "--language", "de", "--interval", "600"])
    status, out = invoke(runner, ["sources", "list", "--db", db, "--json"])
    listed = [json.loads(line) for line in out.splitlines()]
    assert [s["name"] for s in listed] == ["News", "other.example"]
    assert listed[1]["language"] == "de" and listed[1]["interval"] == 600 and listed[1]["health"] == "new"
    assert invoke(runner, ["sources", "remove", "News", "--db", db])[0] == 0
    assert "News" not in invoke(runner, ["sources", "list", "--db", db])[1]
    with pytest.raises(Exception, match="http or https"):
        invoke(runner, ["sources", "add", "file:///etc/passwd", "--db", db])


def test_opml_import_export(tmp_path: Path, runner: CliRunner) -> None:
    """An OPML file imports its sources with categories; export writes them back as OPML 2.0."""
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body><outline text="World">'
        '<outline text="A" type="rss" xmlUrl="https://a.example/feed" language="en"/>'
        '<outline text="B" type="rss" xmlUrl="https://b.example/feed"/></outline></body></opml>'
    )
    db = str(tmp_path / "o.db")
    _, out = invoke(runner, ["sources", "import", str(opml), "--db", db])
    assert "2 sources added, 0 already there" in out
    assert "0 sources added, 2 already there" in invoke(runner, ["sources", "import", str(opml), "--db", db])[1]
    _, exported = invoke(runner, ["sources", "export", "--db", db])
    assert 'version="2.0"' in exported and 'category="/World"' in exported and "https://a.example/feed" in exported


def test_fetch_pass_feed_pages_and_full_text(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """`fetch` reads the feed, fetches its pages, uses full text, stores articles; a second pass changes nothing."""
    feed = serve_gazette(server)
    db = str(tmp_path / "f.db")
    invoke(runner, ["sources", "add", feed, "--name", "Gazette", "--db", db])
    fast = config_file(tmp_path, FAST)
    status, out = invoke(runner, [*fast, "fetch", "--db", db, *ALLOW])
    assert status == 0, out
    assert "Gazette: 3 fetched, 3 new, 0 unchanged, 0 failed" in out
    database = Database(db)
    with database.read() as conn:
        titles = sorted(r[0] for r in conn.execute("SELECT title FROM articles"))
        names = {r[0] for r in conn.execute("SELECT source_name FROM articles")}
        stories = conn.execute("SELECT count(*) FROM stories WHERE size > 0").fetchone()[0]
    database.close()
    assert titles == ["Full text story", "Gazette story 0", "Gazette story 1"]
    assert stories == 3
    assert names == {"Gazette"}  # the registered source names articles whose pages name no site
    assert not [r for r, _ in server.log if r.path == "/news/full"]  # full text was used, the page not fetched
    status, out = invoke(runner, [*fast, "fetch", "--db", db, *ALLOW, "--all"])
    assert "0 new, 3 unchanged" in out
    assert [r.path for r, _ in server.log].count("/news/0") == 1  # pages are fetched once
    status, out = invoke(runner, ["sources", "list", "--db", db, "--json"])
    health = json.loads(out.splitlines()[0])
    assert health["health"] == "ok" and health["last_success"] and health["failures"] == 0


def test_fetch_without_allowance_refuses_local_server(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """Without --allow-network the local server is out of reach: the source fails and its health says why."""
    feed = serve_gazette(server)
    db = str(tmp_path / "r.db")
    invoke(runner, ["sources", "add", feed, "--db", db])
    status, out = invoke(runner, ["fetch", "--db", db])
    assert status == 2
    assert "refused" in out
    assert not server.log
    listed = json.loads(invoke(runner, ["sources", "list", "--db", db, "--json"])[1])
    assert listed["health"] == "failing" and listed["failures"] == 1 and "refused" in listed["last_error"]


def test_redirect_to_private_range_refused_in_a_pass(tmp_path: Path, server: HTTPServer, db: Database) -> None:
    """A feed entry whose page redirects into the metadata range is refused; the rest of the feed is kept."""
    serve_gazette(server, pages=1)
    items = [("Gazette story 0", server.url_for("/news/0"), None), ("Evil", server.url_for("/news/evil"), None)]
    server.expect_request("/news/evil").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    server.expect_request("/feed2.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    with db.write() as conn:
        registry.add_source(conn, server.url_for("/feed2.xml"), name="Mixed")
    with make_fetcher() as fetcher:
        results = SourcePoller(db, Collector(fetcher), ingest=ingest).run_pass()
    assert results[0].new == 1
    assert any("refused" in f.reason and "169.254.169.254" in f.reason for f in results[0].failures)


def test_unreachable_source_reported_once(db: Database) -> None:
    """A source that keeps failing is a first failure once; later passes back off and stay quiet."""
    with db.write() as conn:
        registry.add_source(conn, "http://127.0.0.1:9/feed", name="Offline")
    with make_fetcher(obey_robots=False) as fetcher:
        poller = SourcePoller(db, Collector(fetcher), ingest=ingest)
        first = poller.run_pass()
        with db.read() as conn:
            sources = sources_db.list_sources(conn)
        second = poller.run_pass(sources)
    assert first[0].error and first[0].first_failure
    assert second[0].error and not second[0].first_failure
    with db.read() as conn:
        source = sources_db.list_sources(conn)[0]
        assert source.failures == 2
        assert not sources_db.due_sources(conn)  # backed off: not due again right away


def test_ingest_url_and_local_feed(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """`newsfold ingest URL` fetches a feed's pages; a local feed file with full text needs no fetching."""
    feed = serve_gazette(server)
    db = str(tmp_path / "i.db")
    status, out = invoke(runner, [*config_file(tmp_path, LOCAL_FAST), "ingest", feed, "--db", db])
    assert status == 0, out
    assert "3 new" in out
    local = tmp_path / "local.rss"
    full = "".join(f"<p>{p}</p>" for p in paragraphs(555))
    local.write_text(rss([("Local full text", "http://nowhere.example/a", full)]))
    status, out = invoke(runner, ["ingest", str(local), "--db", db])
    assert status == 0, out
    assert "1 new" in out


def test_ingest_opml_and_sitemap_urls(tmp_path: Path, runner: CliRunner, server: HTTPServer) -> None:
    """A local OPML file's feeds and a sitemap URL's pages are fetched and ingested."""
    feed = serve_gazette(server, pages=1)
    server.expect_request("/sitemap.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url_for('/news/s')}</loc></url></urlset>",
        content_type="application/xml",
    )
    server.expect_request("/news/s").respond_with_data(
        article_html("Sitemap story", seed=321), content_type="text/html"
    )
    opml = tmp_path / "list.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="G" xmlUrl="{feed}"/></body></opml>')
    db = str(tmp_path / "o.db")
    args = [*config_file(tmp_path, LOCAL_FAST), "ingest", str(opml), server.url_for("/sitemap.xml"), "--db", db]
    status, out = invoke(runner, args)
    assert status == 0, out
    assert "3 new" in out


def test_run_reports_each_unreachable_source_once(capsys: pytest.CaptureFixture[str]) -> None:
    """`run` names an unreachable source once, stays quiet while it keeps failing, and says when it is back."""

    report = LiveReport()
    down = sources_db.Source(id=1, url="https://down.example/feed", name="Down")
    for failures in (0, 1, 2):
        down.failures = failures
        report(SourceResult(source=down, error="cannot resolve down.example"))
    down.failures = 3
    report(SourceResult(source=down, new=2))
    err = capsys.readouterr().err
    assert err.count("Down is unreachable: cannot resolve down.example") == 1
    assert "Down: reachable again" in err


def test_sitemap_index_source(server: HTTPServer, db: Database) -> None:
    """A sitemap index source leads through its (gzipped) child sitemaps to new pages, newest first."""

    child = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(
            f"<url><loc>{server.url_for(f'/sm/{i}')}</loc><lastmod>2026-11-{10 + i}T00:00:00Z</lastmod></url>"
            for i in range(3)
        )
        + "</urlset>"
    )
    server.expect_request("/index.xml").respond_with_data(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url_for('/child.xml.gz')}</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/child.xml.gz").respond_with_data(
        gzip.compress(child.encode()), content_type="application/gzip"
    )
    for i in range(3):
        server.expect_request(f"/sm/{i}").respond_with_data(
            article_html(f"Sitemap page {i}", seed=700 + i), content_type="text/html"
        )
    with db.write() as conn:
        registry.add_source(conn, server.url_for("/index.xml"), name="Indexed")
    with make_fetcher() as fetcher:
        results = SourcePoller(db, Collector(fetcher, max_items=2), ingest=ingest).run_pass()
    assert results[0].error is None and results[0].new == 2
    with db.read() as conn:
        titles = sorted(r[0] for r in conn.execute("SELECT title FROM articles"))
    assert titles == ["Sitemap page 1", "Sitemap page 2"]  # the two newest


def test_home_page_source_finds_its_feed(server: HTTPServer, db: Database) -> None:
    """A site's home page added as a source leads to the feed it names; an article page stays a page."""
    serve_gazette(server, pages=1)
    server.expect_request("/").respond_with_data(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml?x=1&amp;y=2"></head>'
        "<body>Front page</body></html>",
        content_type="text/html",
    )
    with db.write() as conn:
        registry.add_source(conn, server.url_for("/"), name="Home")
    with make_fetcher() as fetcher:
        results = SourcePoller(db, Collector(fetcher), ingest=ingest).run_pass()
    assert results[0].error is None and results[0].new == 2
    assert any(r.path == "/feed.xml" and r.query_string == b"x=1&y=2" for r, _ in server.log)


def test_malformed_links_are_failures_not_crashes(server: HTTPServer, db: Database) -> None:
    """Broken entry links fail alone; the pass goes on."""
    serve_gazette(server, pages=1)
    items = [
        ("Gazette story 0", server.url_for("/news/0"), None),
        ("Broken", "http://[not-an-address/x", None),
        ("Bad port", "http://example.org:99999/x", None),
    ]
    server.expect_request("/broken.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    with db.write() as conn:
        registry.add_source(conn, server.url_for("/broken.xml"), name="Broken")
    with make_fetcher() as fetcher:
        results = SourcePoller(db, Collector(fetcher), ingest=ingest).run_pass()
    assert results[0].error is None and results[0].new == 1
    malformed = [f.location for f in results[0].failures if f.reason.startswith("malformed URL")]
    assert malformed == ["http://example.org:99999/x"]
