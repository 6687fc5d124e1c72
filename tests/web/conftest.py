"""Fixtures of the web tests: one fixture database per session, an in-process client per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.web.site_fixture import Client, Fixture, build, site_config
from tests.web.test_browser import ARGS, CHROMIUM, SHOTS


@pytest.fixture(scope="session")
def site_data(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """The fixture database, built once."""
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site_db(site_data: Fixture) -> Iterator[Database]:
    """The fixture database, opened."""
    db = Database(site_data.path)
    yield db
    db.close()


@pytest.fixture(scope="module")
def client(site_db: Database) -> Iterator[Client]:
    """An in-process client of the site over the fixture database."""
    app = create_app(site_db, site_config())
    c = Client(app)
    yield c
    c.close()
    app.state.site.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless chromium (Debian's; the browser tests skip where it is absent)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  playwright only for the browser tests, which skip without chromium

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield instance
        instance.close()
