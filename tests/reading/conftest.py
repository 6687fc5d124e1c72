"""Fixtures of the reading tests: a fresh world per test and an in-process client of the site over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.reading.world import World, build_world
from tests.web.site_fixture import Client, site_config


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A fresh world in a file database."""
    db = Database(tmp_path / "reading.db")
    yield build_world(db)
    db.close()


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    """An in-process client of the site over the world."""
    app = create_app(world.db, site_config())
    c = Client(app)
    yield c
    c.close()
    app.state.site.close()
