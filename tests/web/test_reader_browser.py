"""The reader's language in a real browser: switched through the header form (no script needed), and /docs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.store.backends import open_database
from newsfold.web.app import create_app
from tests.web.reader_fixture import MODEL, STORM_TITLE, ReaderData, build_reader_data, install_model, reader_config
from tests.web.serving import serve_app
from tests.web.site_fixture import Fixture
from tests.web.test_browser import CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]


@pytest.fixture(scope="module")
def served(site_data: Fixture, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ReaderData]]:
    """The site with the tiny model, served by uvicorn on 127.0.0.1 in a thread."""

    folder: Path = tmp_path_factory.mktemp("reader-browser")
    data = build_reader_data(site_data, folder)
    db = open_database(data.path)
    app = create_app(db, reader_config(install_model(folder)))
    with serve_app(app) as base:
        yield base, data
    db.close()


def test_switch_language_through_the_header_form(browser: object, served: tuple[str, ReaderData]) -> None:
    server, data = served
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(10_000)
    p.goto(f"{server}/stories/{data.storm_story}?lang=original")
    assert p.locator("h1").inner_text() == STORM_TITLE and p.locator(".mt").count() == 0
    p.goto(f"{server}/stories/{data.storm_story}")  # the first reader language by default: English
    english = p.locator("h1").inner_text()
    assert english != STORM_TITLE
    p.select_option("#site-lang", "original")
    p.click("form.reader-language button")
    p.wait_for_url(f"**/stories/{data.storm_story}")
    assert p.locator("h1").inner_text() == STORM_TITLE  # remembered: the cookie, with no ?lang=
    assert p.locator("#site-lang").input_value() == "original"
    p.goto(f"{server}/")
    assert p.locator(f'a.item-link[href="/stories/{data.storm_story}"]').inner_text() == STORM_TITLE
    p.select_option("#site-lang", "en")
    p.click("form.reader-language button")
    p.wait_for_url(f"{server}/")
    card = p.locator("article.story-card", has=p.locator(f'a.item-link[href="/stories/{data.storm_story}"]'))
    assert card.locator("a.item-link").inner_text() == english
    mark = card.locator(".mt").first
    assert MODEL in mark.inner_text()
    assert mark.locator("a.original-link").get_attribute("href") == f"/stories/{data.storm_story}?lang=original"
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["newsfold_lang"]["value"] == "en" and cookies["newsfold_lang"]["sameSite"] == "Lax"
    p.screenshot(path=str(SHOTS / "reader-language.png"), full_page=True)
    mark.locator("a.original-link").click()
    p.wait_for_url("**?lang=original")
    assert p.locator("h1").inner_text() == STORM_TITLE
    context.close()


def test_docs_render_offline(browser: object, served: tuple[str, ReaderData]) -> None:
    server, _ = served
    context = browser.new_context()  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(10_000)
    outside: list[str] = []
    p.on("request", lambda r: outside.append(r.url) if not r.url.startswith(server) else None)
    violations: list[str] = []
    p.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    p.goto(f"{server}/docs")
    p.locator(".swagger-ui .opblock").first.wait_for()
    assert p.locator(".swagger-ui .opblock").count() > 5
    p.screenshot(path=str(SHOTS / "docs.png"))
    context.close()
    assert not outside, outside
    assert not violations, violations
