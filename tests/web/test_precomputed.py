"""Story page parts stored when a story changes: used while current, recomputed and restored when it changes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.hooks import story_hooks
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend
from newsfold.store.db import Database
from newsfold.store.pages import stored_parts
from newsfold.store.term_counts import TermCounts
from newsfold.web.story.differences import comparison_json, comparisons
from newsfold.web.story.related import related_ids
from newsfold.web.story.stored import StoryPagesHook, refresh
from newsfold.web.story.view import differences_view, story_detail, story_view
from tests.web.site_fixture import add_story, article

WHEN = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
BASE = (
    "The river Solvane flooded the old town of Mirecourt on Tuesday.\n\n"
    "Firefighters evacuated two hundred residents overnight.\n\n"
    "The mayor said the water would recede by Friday."
)
COPY = (
    "The river Solvane flooded the old town of Mirecourt on Tuesday.\n\n"
    "Firefighters evacuated three hundred residents overnight.\n\n"
    "The mayor said the water would recede by Friday."
)
SECOND_COPY = (
    "The river Solvane flooded the old town of Mirecourt on Tuesday.\n\n"
    "Firefighters evacuated two hundred residents overnight.\n\n"
    "The mayor said the water would recede by the weekend."
)


def make_db(path: Path) -> tuple[Database, str, str]:
    """A database with a flood story (original and one copy) and a related one sharing its rare title word."""
    db = Database(path)
    with db.write() as conn:
        original = article("Solvane floods Mirecourt", BASE, "Alpha", "en", WHEN, "https://a.example/1")
        copy = article("Solvane floods Mirecourt town", COPY, "Beta", "en", WHEN + timedelta(hours=1))
        flood = add_story(conn, [(original, "original"), (copy, "copy")])
        other = article("Mirecourt counts the cost", "Shops in Mirecourt reopened after a week.", "Gamma", "en", WHEN)
        related = add_story(conn, [(other, "original")])
    return db, flood, related


def differences(db: Backend, story_id: str) -> list[dict[str, object]]:
    """The differences view's comparisons of a story."""
    with db.read() as conn:
        return list(differences_view(conn, story_id).comparisons)


def test_hook_stores_what_the_page_would_compute(tmp_path: Path) -> None:
    db, flood, related = make_db(tmp_path / "a.db")
    try:
        assert any(isinstance(hook, StoryPagesHook) for hook in story_hooks())
        live = differences(db, flood)
        StoryPagesHook()(db, {flood, related})
        with db.read() as conn:
            story, members = story_detail(conn, flood)
            stored = stored_parts(conn, flood, members)
            terms = TermCounts(db)
            try:
                expected_related = related_ids(conn, story, terms)
                page = story_view(conn, flood, terms)
            finally:
                terms.close()
        assert stored is not None
        assert stored.related == expected_related and related in stored.related
        assert [item["id"] for item in page.related] == expected_related
        assert differences(db, flood) == live
        assert live and live[0]["changed"] == 1
        assert [comparison_json(c) for c in comparisons(members)] == live
    finally:
        db.close()


def test_stored_parts_are_what_pages_show(tmp_path: Path) -> None:
    db, flood, _ = make_db(tmp_path / "b.db")
    try:
        refresh(db, [flood])
        with db.write() as conn:
            row = conn.execute("SELECT comparisons FROM story_pages WHERE story_id = ?", (flood,)).fetchone()
            stored = json.loads(row[0])
            stored[0]["rows"][1][0] = "marked-by-test"
            conn.execute("UPDATE story_pages SET comparisons = ? WHERE story_id = ?", (json.dumps(stored), flood))
        statuses = [r["status"] for r in differences(db, flood)[0]["rows"]]  # type: ignore[index]
        assert "marked-by-test" in statuses
    finally:
        db.close()


def test_stored_parts_follow_story_changes(tmp_path: Path) -> None:
    db, flood, related = make_db(tmp_path / "c.db")
    try:
        refresh(db, [flood, related])
        assert len(differences(db, flood)) == 1
        later = article("Solvane floods Mirecourt again", SECOND_COPY, "Delta", "en", WHEN + timedelta(hours=2))
        with db.write() as conn:
            articles_db.insert_articles(conn, [later])
            stories_db.set_member(conn, later.id, flood, "copy", copy_of=None)
            stories_db.refresh_story(conn, flood)
        with db.read() as conn:
            _, members = story_detail(conn, flood)
            assert stored_parts(conn, flood, members) is None  # stale: the members changed
        fresh = differences(db, flood)  # computed on the fly meanwhile
        assert len(fresh) == 2 and {c["b"] for c in fresh} >= {later.id}
        StoryPagesHook()(db, {flood})
        with db.read() as conn:
            _, members = story_detail(conn, flood)
            stored = stored_parts(conn, flood, members)
        assert stored is not None and len(stored.comparisons) == 2
        assert differences(db, flood) == fresh
        with db.write() as conn:
            stories_db.merge_stories(conn, flood, [related])
        StoryPagesHook()(db, {related})
        with db.read() as conn:
            assert conn.execute("SELECT count(*) FROM story_pages WHERE story_id = ?", (related,)).fetchone()[0] == 0
    finally:
        db.close()


def test_refresh_pages_command_fills_missing_then_all(tmp_path: Path) -> None:
    db, flood, related = make_db(tmp_path / "d.db")
    db.close()
    runner = CliRunner()
    first = runner.invoke(cli, ["refresh-pages", "--db", str(tmp_path / "d.db")])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == "2 story pages stored"
    again = runner.invoke(cli, ["refresh-pages", "--db", str(tmp_path / "d.db")])
    assert again.output.strip() == "0 story pages stored"
    everything = runner.invoke(cli, ["refresh-pages", "--db", str(tmp_path / "d.db"), "--all"])
    assert everything.output.strip() == "2 story pages stored"
    reopened = Database(tmp_path / "d.db")
    try:
        with reopened.read() as conn:
            stored = {row[0] for row in conn.execute("SELECT story_id FROM story_pages")}
        assert stored == {flood, related}
    finally:
        reopened.close()
