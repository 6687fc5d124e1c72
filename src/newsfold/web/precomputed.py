"""A story page's costly parts (copy differences, related story ids) computed when the story changes and stored.

A page view then reads one indexed row; the stored parts are used only while their stamp (the members, their
relations and what they copy) still matches the story, otherwise the page computes them itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsfold.model import Article, Story
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from newsfold.web.differences import Comparison, Row, Segment, comparisons
from newsfold.web.queries import related_ids
from newsfold.web.related import TermCounts

log = logging.getLogger(__name__)


@dataclass(slots=True, frozen=True)
class StoredPage:
    """A story's stored page parts: comparisons (article ids and rows) and related story ids."""

    comparisons: list[dict[str, Any]]
    related: list[str]


def members_stamp(members: Sequence[Article]) -> str:
    """What the stored parts depend on in the story: each member's id, relation and original, in order."""
    parts = "\n".join(f"{a.id}|{a.relation or ''}|{a.copy_of or ''}" for a in members)
    return hashlib.blake2b(parts.encode("utf-8"), digest_size=12).hexdigest()


def rows_json(found: Sequence[Comparison]) -> list[dict[str, Any]]:
    """Comparisons as stored: the two article ids and every row's segments."""
    return [
        {
            "a": c.a.id,
            "b": c.b.id,
            "rows": [
                [row.status, row.similarity, [[s.text, s.changed] for s in row.a], [[s.text, s.changed] for s in row.b]]
                for row in c.rows
            ],
        }
        for c in found
    ]


def comparisons_from(stored: list[dict[str, Any]], members: Sequence[Article]) -> list[Comparison] | None:
    """Stored comparisons back with their articles; None when an article is missing (recompute then)."""
    by_id = {a.id: a for a in members}
    out: list[Comparison] = []
    for item in stored:
        a, b = by_id.get(item["a"]), by_id.get(item["b"])
        if a is None or b is None:
            return None
        rows = [
            Row(
                tuple(Segment(text, bool(changed)) for text, changed in seg_a),
                tuple(Segment(text, bool(changed)) for text, changed in seg_b),
                status,
                float(similarity),
            )
            for status, similarity, seg_a, seg_b in item["rows"]
        ]
        out.append(Comparison(a, b, rows))
    return out


def load(conn: sqlite3.Connection, story_id: str, members: Sequence[Article]) -> StoredPage | None:
    """The stored parts of a story when they were computed from these members, else None."""
    row = conn.execute("SELECT stamp, comparisons, related FROM story_pages WHERE story_id = ?", (story_id,)).fetchone()
    if row is None or row[0] != members_stamp(members):
        return None
    return StoredPage(json.loads(row[1]), json.loads(row[2]))


def save(conn: sqlite3.Connection, story_id: str, members: Sequence[Article], page: StoredPage) -> None:
    """Store a story's page parts (replacing what was there)."""
    conn.execute(
        "INSERT OR REPLACE INTO story_pages (story_id, stamp, comparisons, related, computed_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            story_id,
            members_stamp(members),
            json.dumps(page.comparisons, ensure_ascii=False),
            json.dumps(page.related),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        ),
    )


def clear(conn: sqlite3.Connection, story_id: str) -> None:
    """Forget a story's stored parts (merged away or emptied)."""
    conn.execute("DELETE FROM story_pages WHERE story_id = ?", (story_id,))


def compute(conn: sqlite3.Connection, story: Story, members: Sequence[Article], counts: TermCounts) -> StoredPage:
    """A story's page parts computed from the store now."""
    return StoredPage(rows_json(comparisons(members)), related_ids(conn, story, counts))


class StoryPagesHook:
    """Story hook: recompute and store the page parts of the stories an ingest batch changed."""

    def __call__(self, db: Database, changed: set[str]) -> None:
        """Compute each changed story's parts on a read connection, then store them in one write."""
        if not changed:
            return
        refresh(db, sorted(changed))


def refresh(db: Database, story_ids: Sequence[str], batch: int = 200) -> int:
    """Compute and store the page parts of these stories (clearing dead ones); how many were stored."""
    counts = TermCounts(db)
    stored = 0
    try:
        for start in range(0, len(story_ids), batch):
            computed: list[tuple[str, list[Article], StoredPage | None]] = []
            with db.read() as conn:
                for story_id in story_ids[start : start + batch]:
                    story = stories_db.get_story(conn, story_id)
                    if story is None or story.id != story_id or not story.members:
                        computed.append((story_id, [], None))
                        continue
                    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
                    computed.append((story_id, members, compute(conn, story, members, counts)))
            with db.write() as conn:
                for story_id, members, page in computed:
                    if page is None:
                        clear(conn, story_id)
                    else:
                        save(conn, story_id, members, page)
                        stored += 1
            log.debug("story pages: %d of %d stored", stored, len(story_ids))
    finally:
        counts.close()
    return stored
