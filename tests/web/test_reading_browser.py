"""Reading in a real browser: sign in, mark a story read and unread, save it, find it on the saved page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.reading.world import PASSWORDS, World, build_world
from tests.web.serving import serve_app
from tests.web.site_fixture import site_config
from tests.web.test_browser import CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, World]]:
    """The reading world (two sources, six stories, alice and bob) served on loopback."""
    db = Database(tmp_path / "r.db")
    world = build_world(db)
    app = create_app(db, site_config())
    with serve_app(app) as base:
        yield base, world
    app.state.site.close()
    db.close()


def test_read_unread_and_save_in_the_browser(browser: object, served: tuple[str, World]) -> None:
    """Signed in without JavaScript, alice marks a story read (it leaves the unread page), back to unread, saves it
    (it is on the saved page); bob, signed in afterwards, still has it unread and nothing saved."""
    base, world = served
    story = world.stories[0]
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    card = f'article[data-story="{story}"]'
    try:
        page.goto(f"{base}/reading/unread")
        page.wait_for_url("**/login?next=%2Freading%2Funread")
        page.fill("#login-name", "alice")
        page.fill("#login-password", PASSWORDS["alice"])
        page.click("form.account-form button")
        page.wait_for_url(f"{base}/reading/unread")
        assert page.locator("article[data-story]").count() == len(world.stories)
        page.click(f"{card} button.mark-read")
        page.wait_for_url(f"{base}/reading/unread")
        assert page.locator(card).count() == 0
        page.goto(f"{base}/reading/all")
        assert page.locator(f"{card} .state").inner_text() == "read"
        page.click(f"{card} button.mark-unread")
        page.wait_for_url(f"{base}/reading/all")
        assert page.locator(f"{card} .state").inner_text() == "unread"
        page.click(f"{card} button.save")
        page.wait_for_url(f"{base}/reading/all")
        page.goto(f"{base}/reading/saved")
        assert page.locator("article[data-story]").count() == 1
        assert "saved" in page.locator(f"{card} .state").inner_text()
        page.screenshot(path=str(SHOTS / "reading-saved.png"), full_page=True)
        page.click("form.logout button")
        page.goto(f"{base}/login?next=/reading/saved")
        page.fill("#login-name", "bob")
        page.fill("#login-password", PASSWORDS["bob"])
        page.click("form.account-form button")
        page.wait_for_url(f"{base}/reading/saved")
        assert page.locator("article[data-story]").count() == 0
        page.goto(f"{base}/reading/unread")
        assert page.locator(card).count() == 1
    finally:
        context.close()
