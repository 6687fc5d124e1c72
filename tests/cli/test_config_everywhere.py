"""`--config FILE` reaches every command (the site of `serve` and `run` included); feeds name the configured
public address, never the request's Host header."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.cli.test_commands import free_port
from tests.ingest.helpers import article_html, invoke
from tests.web.site_fixture import Client, site_config


def test_serve_uses_the_config_file_for_the_site(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsfold --config FILE serve`: admin.token set in FILE turns the admin endpoints on (401 without it)."""

    settings = tmp_path / "site.toml"
    settings.write_text('[admin]\ntoken = "from-the-file"\n[serve]\nbase_url = "https://news.example.org"\n')
    monkeypatch.delenv("NEWSFOLD_CONFIG", raising=False)
    monkeypatch.delenv("NEWSFOLD_ADMIN_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    served: list[Any] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, **_: served.append(self.config.app))
    # a free port: the default 8000 may be held by a site the developer is running (serve checks it first)
    port = str(free_port())
    status, _ = invoke(runner, ["--config", str(settings), "serve", "--db", str(tmp_path / "s.db"), "--port", port])
    assert status == 0 and served
    app = served[0]
    client = Client(app)
    try:
        assert client.get("/api/admin/takedowns").status_code == 401  # on: a token is configured
        good = {"Authorization": "Bearer from-the-file"}
        assert client.get("/api/admin/takedowns", headers=good).status_code == 200
    finally:
        client.close()
        app.state.site.close()


def test_feed_ids_and_links_use_the_configured_base_url(tmp_path: Path, runner: CliRunner) -> None:
    """A request with `Host: evil.example` gets feed ids and links under serve.base_url."""
    page = tmp_path / "p.html"
    page.write_text(article_html("Harbour strike ends", seed=40, url="https://a.example/news/0"))
    db_path = tmp_path / "f.db"
    invoke(runner, ["ingest", str(page), "--db", str(db_path)])
    db = Database(db_path)
    app = create_app(db, site_config(**{"serve.base_url": "https://news.example.org/"}))
    client = Client(app)
    try:
        for url in ("/feeds/latest.atom", "/feeds/latest.json"):
            body = client.get(url, headers={"Host": "evil.example"}).text
            assert "evil.example" not in body and "testserver" not in body
            assert "https://news.example.org/stories/" in body
        data = client.get("/feeds/latest.json", headers={"Host": "evil.example"}).json()
        assert data["feed_url"].startswith("https://news.example.org/feeds/latest.json")
    finally:
        client.close()
        app.state.site.close()
        db.close()
