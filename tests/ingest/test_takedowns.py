"""Takedowns remove items and block them from returning, from the CLI and the authenticated admin endpoint."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner
from fastapi import FastAPI

from newsfold.config import Config, load_config
from newsfold.ingest import registry, takedowns
from newsfold.ingest.takedowns import normalize_url
from newsfold.language.reader import OriginalOnly
from newsfold.store import sources as sources_db
from newsfold.store.db import Database
from newsfold.web.admin import admin_router
from newsfold.web.site import Site
from tests.ingest.helpers import article_html, invoke


def admin_app(db: Database, config: Config) -> FastAPI:
    """An app of the admin routes alone, over a site on db (the caller closes app.state.site)."""
    app = FastAPI()
    site = Site(db, config, OriginalOnly())
    app.state.site = site
    app.include_router(admin_router(site))
    return app


class AppClient:
    """Calls an ASGI app in-process through httpx (no server, no socket)."""

    def __init__(self, app: FastAPI) -> None:
        """Wrap app."""
        self.app = app

    def _call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request, run to completion."""

        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(go())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET url."""
        return self._call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        """POST url."""
        return self._call("POST", url, **kwargs)


def _pages(tmp_path: Path) -> list[Path]:
    """Two saved pages with canonical URLs, one per outlet."""
    out = []
    for i, (host, title) in enumerate([("a.example", "Harbour strike ends"), ("b.example", "Glacier melt record")]):
        path = tmp_path / f"page{i}.html"
        path.write_text(article_html(title, seed=40 + i, url=f"https://{host}/news/{i}"))
        out.append(path)
    return out


def _count(db_path: str) -> int:
    """Articles stored."""
    db = Database(db_path)
    with db.read() as conn:
        n = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    db.close()
    return n


def test_takedown_url_removes_blocks_and_logs(tmp_path: Path, runner: CliRunner) -> None:
    """`takedown URL` removes the article; ingesting the same page again stores nothing; the log says why."""
    db = str(tmp_path / "t.db")
    pages = _pages(tmp_path)
    invoke(runner, ["ingest", *map(str, pages), "--db", db])
    assert _count(db) == 2
    status, out = invoke(runner, ["takedown", "HTTPS://A.example/news/0/", "--reason", "legal request", "--db", db])
    assert status == 0 and "1 articles removed" in out
    assert _count(db) == 1
    status, out = invoke(runner, ["ingest", str(pages[0]), "--db", db])
    assert "0 new" in out
    assert _count(db) == 1
    log = invoke(runner, ["takedown", "--list", "--db", db])[1]
    assert "url https://a.example/news/0" in log and "legal request" in log
    database = Database(db)
    with database.read() as conn:
        live = conn.execute("SELECT count(*) FROM stories WHERE size > 0").fetchone()[0]
    database.close()
    assert live == 1  # the story of the removed article is gone from listings


def test_takedown_source_removes_and_stops_fetching(tmp_path: Path, db: Database) -> None:
    """A source takedown removes the items it brought, blocks its name, and stops it being fetched."""
    with db.write() as conn:
        source, _ = registry.add_source(conn, "https://feeds.c.example/rss", name="C Daily")
        sources_db.mark_seen(conn, source.id, ["https://c.example/1"])
        conn.execute(
            "INSERT INTO articles (id, kind, text, paragraphs, origin_location, ingested, source_name) "
            "VALUES ('x1', 'article', 't', '[]', 'https://c.example/1', 'now', NULL), "
            "('x2', 'article', 't', '[]', 'file.html', 'now', 'c daily'), "
            "('x3', 'article', 't', '[]', 'other.html', 'now', 'Other')"
        )
    with db.write() as conn:
        done = takedowns.take_down_source(conn, "C Daily", "asked by the publisher")
    assert done.removed == 2
    with db.read() as conn:
        assert [r[0] for r in conn.execute("SELECT id FROM articles")] == ["x3"]
        assert sources_db.list_sources(conn)[0].blocked
        assert sources_db.due_sources(conn) == []


def test_normalize_url() -> None:
    """Case of scheme and host, default ports, final slashes and fragments do not dodge a block."""
    assert normalize_url("HTTPS://Example.org:443/a/b/#top") == "https://example.org/a/b"
    assert normalize_url("http://example.org:8080") == "http://example.org:8080/"


def test_admin_endpoint_requires_token_and_takes_down(tmp_path: Path, runner: CliRunner) -> None:
    """The admin endpoint is off without a token, refuses a wrong one, and with the right one takes down."""
    db_path = str(tmp_path / "a.db")
    invoke(runner, ["ingest", *map(str, _pages(tmp_path)), "--db", db_path])
    db = Database(db_path)
    try:
        off = admin_app(db, load_config(environ={}))
        assert AppClient(off).post("/api/admin/takedowns", json={"url": "https://a.example/news/0"}).status_code == 404
        app = admin_app(db, load_config(environ={"NEWSFOLD_ADMIN_TOKEN": "s3cret"}))
        client = AppClient(app)
        body = {"url": "https://a.example/news/0", "reason": "court order"}
        assert client.post("/api/admin/takedowns", json=body).status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert client.post("/api/admin/takedowns", json=body, headers=wrong).status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        response = client.post("/api/admin/takedowns", json=body, headers=good)
        assert response.status_code == 200, response.text
        assert response.json()["removed"] == 1 and response.json()["actor"] == "admin"
        assert client.post("/api/admin/takedowns", json={}, headers=good).status_code == 400
        logged = client.get("/api/admin/takedowns", headers=good).json()["takedowns"]
        assert logged[0]["reason"] == "court order" and logged[0]["at"]
        assert client.get("/api/admin/takedowns").status_code == 401
        off.state.site.close()
        app.state.site.close()
    finally:
        db.close()
    assert _count(db_path) == 1


def test_feeds_page_and_json_twin(db: Database) -> None:
    """The site's feeds page shows each registered source's health, escaped; /api/feeds is its twin."""
    with db.write() as conn:
        source, _ = registry.add_source(conn, "https://d.example/feed", name="<b>D</b> News")
        registry.record_failure(conn, source, "HTTP 503")
    app = admin_app(db, load_config(environ={}))
    client = AppClient(app)
    page = client.get("/feeds").text
    assert "&lt;b&gt;D&lt;/b&gt; News" in page and "HTTP 503" in page and "failing" in page
    data = client.get("/api/feeds").json()["sources"][0]
    assert data["health"] == "failing" and data["failures"] == 1 and data["last_error"] == "HTTP 503"
    assert 'name="lang"' in page and 'aria-current="page"' in page  # the site's frame: language form, navigation
    app.state.site.close()
