"""Fixtures of the reading tests: a fresh world per test (on each backend) and an in-process client of the site."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsfold.store.base import Backend
from newsfold.web.app import create_app
from tests.reading.world import World, build_world
from tests.web.site_fixture import Client, site_config


@pytest.fixture
def world(db: Backend) -> World:
    """A fresh world in this test's database (SQLite or PostgreSQL)."""
    return build_world(db)


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    """An in-process client of the site over the world."""
    app = create_app(world.db, site_config())
    c = Client(app)
    yield c
    c.close()
    app.state.site.close()
