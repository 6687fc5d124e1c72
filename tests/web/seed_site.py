"""The demo's site: both seeds through the real ingest path with the default story hooks (enrichment and all)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from newsfold.engine import ingest
from newsfold.hooks import pipeline
from newsfold.ingest.files import iter_inputs
from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.conftest import SEED_ARTICLE, SEED_LIMITED
from tests.web.site_fixture import Client, site_config


def seed_site(folder: Path) -> Iterator[Client]:
    """A client of the site over both seeds, as `newsfold demo` ingests them."""
    db = Database(folder / "seeds.db")
    config = site_config()
    ingest(db, iter_inputs([str(SEED_ARTICLE), str(SEED_LIMITED)]), pipeline(config))
    app = create_app(db, config)
    client = Client(app)
    yield client
    client.close()
    app.state.site.close()
    db.close()
