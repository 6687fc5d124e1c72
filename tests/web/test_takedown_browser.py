"""A takedown in a real browser: the story page loses every trace of the taken-down copy, then answers 410."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from newsfold.hooks import story_hooks
from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.ingest.helpers import invoke
from tests.ingest.test_takedowns_hold import SECRET, _page
from tests.web.serving import serve_app
from tests.web.site_fixture import site_config
from tests.web.test_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]
TOKEN = "browser-test-token"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A store of one story (an original and a copy carrying SECRET), served on loopback: (base URL, story id)."""
    original = tmp_path / "original.html"
    original.write_text(_page("Harbour reopens after storm", "https://a.example/news/7", "Outlet A"))
    copy = tmp_path / "copy.html"
    copy.write_text(_page("Harbour reopens after storm", "https://b.example/copy/7", "Outlet B", SECRET))
    db_path = tmp_path / "b.db"
    invoke(CliRunner(), ["ingest", str(original), str(copy), "--db", str(db_path)])
    db = Database(db_path)
    with db.read() as conn:
        story = str(conn.execute("SELECT story_id FROM articles LIMIT 1").fetchone()[0])
    config = site_config(**{"admin.token": TOKEN})
    app = create_app(db, config, lambda: story_hooks(config))
    with serve_app(app) as base:
        yield base, story
    db.close()


def _take_down(base: str, body: dict[str, str]) -> None:
    """Take down through the admin endpoint."""
    response = httpx.post(f"{base}/api/admin/takedowns", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text


def test_takedown_in_the_browser(browser: object, served: tuple[str, str]) -> None:
    """Before: both outlets on the story page. After taking the copy down: no trace of it in what the browser
    shows. After taking the original down too: the story page answers 410."""
    base, story = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    try:
        page.goto(f"{base}/stories/{story}")
        assert "Outlet B" in page.inner_text("body")
        _take_down(base, {"url": "http://www.b.example/copy/7?utm_source=x", "reason": "browser test"})
        response = page.goto(f"{base}/stories/{story}")
        assert response is not None and response.status == 200
        shown = page.inner_text("body") + page.content()
        for trace in ("Outlet B", "Zarkovsky", "Velmora", "b.example"):
            assert trace not in shown
        assert "Outlet A" in page.inner_text("body")
        _take_down(base, {"source": "Outlet A", "reason": "browser test"})
        gone = page.goto(f"{base}/stories/{story}")
        assert gone is not None and gone.status == 410
        assert "Harbour reopens" not in page.content()
    finally:
        context.close()
