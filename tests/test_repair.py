"""`newsfold repair` rebuilds every derived part of a store: after losing them, the store equals a clean run's."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from newsfold.store.db import Database
from tests.ingest.helpers import invoke
from tests.store.snapshot import differences, news_pages, snapshot


def test_repair_rebuilds_lost_derived_parts(tmp_path: Path, runner: CliRunner) -> None:
    """Delete highlights, mentions, events, stored pages and a fold document; repair brings back the clean store."""
    pages = news_pages(tmp_path / "in", 6)
    clean = str(tmp_path / "clean.db")
    assert invoke(runner, ["ingest", *map(str, pages), "--db", clean])[0] == 0
    want = snapshot(clean)
    assert want["pages"] and want["entities"] and want["events"] and not want["pending"]
    broken = str(tmp_path / "broken.db")
    shutil.copyfile(clean, broken)
    db = Database(broken)
    with db.write() as conn:
        conn.execute("UPDATE stories SET highlights = '[]'")
        conn.execute("DELETE FROM entity_mentions")
        conn.execute("DELETE FROM events")
        conn.execute("DELETE FROM story_pages")
        conn.execute("INSERT INTO fold_edges (a, b, relation, score) VALUES ('gone', 'gone2', 'copy', 1.0)")
    db.close()
    assert differences(snapshot(broken), want)
    status, out = invoke(runner, ["repair", "--db", broken])
    assert status == 0, out
    assert "1 orphaned rows removed" in out
    assert differences(snapshot(broken), want) == {}
