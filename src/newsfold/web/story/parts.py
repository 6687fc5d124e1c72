"""A story page's parts computed when the story changes and stored (store.pages: table story_pages), with their stamps.

Three layers, each with a stamp that says when it is stale:
- the costly parts (copy differences, related story ids), stamped with the members, their relations and what they
  copy: a live build uses them while the stamp matches, else computes them itself;
- the related stories' cards (their summaries as listings show them), stamped with those stories' rows;
- the whole rendered page (HTML for the site's default reader language, and the story's JSON twin), stamped with the
  story row, its members, the related stories' rows, the reader language, the translation models installed and the
  templates: a request for that page is answered from it with a few indexed reads while the stamp holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsfold.model import Article, Story
from newsfold.store.base import Connection
from newsfold.store.pages import StoredPage
from newsfold.store.term_counts import TermCounts
from newsfold.web.story.differences import Comparison, Row, Segment, comparisons
from newsfold.web.story.related import related_ids


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


def compute(conn: Connection, story: Story, members: Sequence[Article], counts: TermCounts) -> StoredPage:
    """A story's page parts computed from the store now (cards are added by the page builder)."""
    return StoredPage(rows_json(comparisons(members)), related_ids(conn, story, counts))
