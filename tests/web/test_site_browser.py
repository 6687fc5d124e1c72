"""What the reader sees, in a real browser: press releases apart from the news, the language notice on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.web.serving import serve_app
from tests.web.site_fixture import NOW, Fixture, add_story, article, site_config
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


@pytest.fixture(scope="module")
def foreign_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of twelve stories in German, Spanish and French (no model installed), served on 127.0.0.1."""
    db = Database(tmp_path_factory.mktemp("foreign-browser") / "f.db")
    with db.write() as conn:
        for n in range(12):
            language = ("de", "es", "fr")[n % 3]
            item = article(f"Bericht {n} {language}", f"Text {n} {language}.", f"Outlet {n}", language, NOW)
            add_story(conn, [(item, "original")])
    with serve_app(create_app(db, site_config())) as base:
        yield base
    db.close()


def test_language_notice_on_a_phone(browser: object, foreign_server: str) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    p.goto(f"{foreign_server}/")
    notes = p.locator("p.translation-note")
    assert notes.count() == 1
    text = notes.first.inner_text()
    assert "German (de)" in text and "Spanish (es)" in text and "French (fr)" in text
    assert "newsfold models install" in text
    box = notes.first.bounding_box()
    first_card = p.locator("article.story-card").first.bounding_box()
    p.screenshot(path=str(SHOTS / "phone-language-notice.png"))
    width = p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert box is not None and box["height"] < 740 / 4, box  # a short notice, not the first screen
    assert first_card is not None and first_card["y"] < 740  # the first story is on the first screen
    assert width[0] <= width[1]
