"""The site in a real browser (Debian's chromium, headless): the seed story, search, phone layout, keys, XSS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.store.backends import open_database
from newsfold.web.app import create_app
from tests.conftest import ROOT
from tests.web.serving import serve_app
from tests.web.site_fixture import Fixture, site_config

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-output" / "web"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def server(site_data: Fixture) -> Iterator[str]:
    """The site served by uvicorn on 127.0.0.1 in a thread, for the module's tests."""
    db = open_database(site_data.path)
    with serve_app(create_app(db, site_config())) as base:
        yield base
    db.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    """A fresh page that fails the test on any dialog (alert, confirm) a payload might open."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
    assert not dialogs, f"a dialog opened: {dialogs}"


def test_seed_story_shows_both_sources_and_differences(page: object, server: str, site_data: Fixture) -> None:
    p = page
    p.goto(f"{server}/stories/{site_data.seed_story}")  # type: ignore[attr-defined]
    members = p.locator("li.member")  # type: ignore[attr-defined]
    assert members.count() == 2
    for article_id in site_data.seed_articles:
        assert p.locator(f'li.member a[href="/articles/{article_id}"]').is_visible()  # type: ignore[attr-defined]
    diff = p.locator("table.diff").first  # type: ignore[attr-defined]
    assert diff.is_visible()
    changed = p.locator("table.diff tr.changed", has_text="Alaaldin").first  # type: ignore[attr-defined]
    assert changed.is_visible() and changed.locator("mark").count() > 0
    diff.scroll_into_view_if_needed()
    p.screenshot(path=str(SHOTS / "seed-story.png"))  # type: ignore[attr-defined]


def test_search_finds_the_seed_story_with_the_slash_key(page: object, server: str, site_data: Fixture) -> None:
    p = page
    p.goto(f"{server}/")  # type: ignore[attr-defined]
    p.keyboard.press("/")  # type: ignore[attr-defined]
    assert p.evaluate("document.activeElement.id") == "site-q"  # type: ignore[attr-defined]
    p.keyboard.type("Karbala")  # type: ignore[attr-defined]
    p.keyboard.press("Enter")  # type: ignore[attr-defined]
    p.wait_for_url("**/search?q=Karbala")  # type: ignore[attr-defined]
    link = p.locator(f'ol.results a.item-link[href="/stories/{site_data.seed_story}"]').first  # type: ignore[attr-defined]
    assert link.is_visible()
    assert p.locator("ol.results mark").count() > 0  # type: ignore[attr-defined]
    p.screenshot(path=str(SHOTS / "search.png"))  # type: ignore[attr-defined]


def test_keyboard_j_k_o(page: object, server: str) -> None:
    p = page
    p.goto(f"{server}/?limit=10")  # type: ignore[attr-defined]
    hrefs = p.eval_on_selector_all(  # type: ignore[attr-defined]
        "[data-item] .item-link", "els => els.map(e => e.getAttribute('href'))"
    )
    for key in ("j", "j", "j", "k"):
        p.keyboard.press(key)  # type: ignore[attr-defined]
    selected = p.locator("[data-item].selected")  # type: ignore[attr-defined]
    assert selected.count() == 1
    assert selected.locator(".item-link").get_attribute("href") == hrefs[1]
    p.keyboard.press("o")  # type: ignore[attr-defined]
    p.wait_for_url(f"**{hrefs[1]}")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/", "story", "article", "/search?q=Karbala", "/sources", "/trending"])
def test_phone_viewport_has_no_horizontal_scroll(browser: object, server: str, site_data: Fixture, path: str) -> None:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    p = context.new_page()
    target = {"story": f"/stories/{site_data.seed_story}", "article": f"/articles/{site_data.seed_articles[1]}"}
    p.goto(server + target.get(path, path))
    width = p.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    name = path.strip("/").replace("?", "-").replace("=", "-") or "latest"
    p.screenshot(path=str(SHOTS / f"phone-{name}.png"))
    context.close()
    assert width[0] <= width[1], f"{path}: page is {width[0]}px wide in a {width[1]}px viewport"


def test_dark_mode_by_preference(browser: object, server: str, site_data: Fixture) -> None:
    context = browser.new_context(color_scheme="dark")  # type: ignore[attr-defined]
    p = context.new_page()
    p.goto(f"{server}/stories/{site_data.seed_story}")
    background = p.evaluate("getComputedStyle(document.body).backgroundColor")
    p.screenshot(path=str(SHOTS / "story-dark.png"))
    context.close()
    assert background == "rgb(20, 21, 23)"


def test_hostile_content_runs_nothing(page: object, server: str, site_data: Fixture) -> None:
    p = page
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    pages = [
        f"/articles/{site_data.hostile_article}",
        f"/articles/{site_data.hostile_story}",
        f"/stories/{site_data.hostile_story}",
        "/search?q=hostile",
        "/?limit=200",
    ]
    for path in pages:
        p.goto(server + path)  # type: ignore[attr-defined]
        assert p.evaluate("typeof window.__pwned") == "undefined", path  # type: ignore[attr-defined]
        assert p.evaluate("getComputedStyle(document.body).display") != "none", path  # type: ignore[attr-defined]
        hrefs = p.evaluate("Array.from(document.links, a => a.href)")  # type: ignore[attr-defined]
        assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))], path
        # every link on the hostile pages is clicked-through safe; clicking the body text triggers nothing
        p.locator("main").click(position={"x": 5, "y": 5})  # type: ignore[attr-defined]
        assert p.evaluate("typeof window.__pwned") == "undefined", path  # type: ignore[attr-defined]
    p.goto(f"{server}/articles/{site_data.hostile_article}")  # type: ignore[attr-defined]
    assert "<script>window.__pwned=1</script>" in p.locator("h1").inner_text()  # type: ignore[attr-defined]
    p.screenshot(path=str(SHOTS / "hostile-article.png"), full_page=True)  # type: ignore[attr-defined]
    assert not errors, errors
