"""What the reader sees, in a real browser: press releases apart from the news, the language notice on a phone."""

from __future__ import annotations

import pytest

from tests.web.site_fixture import Fixture
from tests.web.test_browser import CHROMIUM, SHOTS, page, server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]
__all__ = ["page", "server"]  # the browser module's fixtures, used here
RELEASE = "Comparing Car Insurance Quotes"


def test_press_releases_are_apart_from_the_news(page: object, server: str, site_data: Fixture) -> None:
    p = page
    p.goto(f"{server}/?limit=200")  # type: ignore[attr-defined]
    assert p.locator("article.story-card").count() > 10  # type: ignore[attr-defined]
    assert p.locator("article.story-card", has_text=RELEASE).count() == 0  # type: ignore[attr-defined]
    assert p.locator("article.story-card .kind-label").count() == 0  # type: ignore[attr-defined]
    p.click("header.site nav >> text=Press releases")  # type: ignore[attr-defined]
    p.wait_for_url("**/press")  # type: ignore[attr-defined]
    cards = p.locator("article.story-card")  # type: ignore[attr-defined]
    assert cards.count() == 1
    assert RELEASE in cards.first.inner_text() and cards.first.locator(".kind-label").text_content() == "Press release"
    assert p.locator('link[rel=alternate][href="/feeds/press.atom"]').count() == 1  # type: ignore[attr-defined]
    p.screenshot(path=str(SHOTS / "press.png"))  # type: ignore[attr-defined]
    p.goto(f"{server}/trending")  # type: ignore[attr-defined]
    assert p.locator("article.story-card", has_text=RELEASE).count() == 0  # type: ignore[attr-defined]
