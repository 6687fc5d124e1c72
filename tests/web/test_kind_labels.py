"""A reader never sees a press release presented as news: its story is labelled on every listing and its page."""

from __future__ import annotations

from pathlib import Path

from newsfold.engine import ingest
from newsfold.ingest.files import iter_inputs
from newsfold.store.db import Database
from newsfold.web.app import create_app
from tests.conftest import SEED_ARTICLE
from tests.web.site_fixture import Client, site_config


def test_press_release_is_labelled(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    ingest(db, iter_inputs([str(SEED_ARTICLE)]))
    app = create_app(db, site_config())
    client = Client(app)
    try:
        latest = client.get("/").text
        stories = client.get("/api/stories").json()["stories"]
        release = next(s for s in stories if {a["kind"] for a in s["articles"]} == {"press_release"})
        news = next(s for s in stories if s["id"] != release["id"])
        page = client.get(f"/stories/{release['id']}").text
        news_page = client.get(f"/stories/{news['id']}").text
    finally:
        client.close()
        app.state.site.close()
        db.close()
    assert latest.count('class="kind-label"') == 1 and "Press release" in latest
    assert "Press release" in page and 'class="kind-label"' not in news_page
