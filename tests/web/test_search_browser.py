"""Search in Chinese and Japanese in a real browser (Debian's chromium, headless): typed, found, highlighted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.web.serving import serve_app
from tests.web.site_fixture import add_story, article, site_config
from tests.web.test_browser import CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]

WHEN = datetime(2024, 1, 2, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cjk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A site over a store with a Chinese and a Japanese story, served on 127.0.0.1; and the stories' ids."""
    path = Path(tmp_path_factory.mktemp("cjk")) / "cjk.db"
    db = Database(path)
    with db.write() as conn:
        zh = article(
            "伊斯坦布尔发生爆炸案", "一架直升机在伊斯坦布尔附近坠毁，警方称这是一起爆炸案。", "新华", "zh", WHEN
        )
        ja = article("宮崎駿の新作", "宮崎駿監督の新作アニメが公開された。", "朝日", "ja", WHEN)
        stories = {"zh": add_story(conn, [(zh, "original")]), "ja": add_story(conn, [(ja, "original")])}
    with serve_app(create_app(db, site_config())) as base:
        yield base, stories
    db.close()


@pytest.mark.parametrize(("query", "language"), [("直升机", "zh"), ("爆炸案", "zh"), ("宮崎", "ja"), ("アニメ", "ja")])
def test_a_cjk_word_typed_in_the_search_box_finds_its_story(
    browser: object, cjk_server: tuple[str, dict[str, str]], query: str, language: str
) -> None:
    server, stories = cjk_server
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(10_000)
    p.goto(f"{server}/")
    p.fill("#site-q", query)
    p.keyboard.press("Enter")
    p.wait_for_url("**/search?q=*")
    results = p.locator("ol.results a.item-link")
    assert results.count() == 1
    assert results.first.get_attribute("href") == f"/stories/{stories[language]}"
    assert p.locator("ol.results mark", has_text=query).count() > 0
    p.screenshot(path=str(SHOTS / f"search-{language}.png"))
    context.close()
