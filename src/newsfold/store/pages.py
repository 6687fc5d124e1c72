"""Stored story pages (table story_pages): each story's page parts and rendered page with the stamps that say
when they are stale, and which stories get one."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newsfold.model import Article
from newsfold.store.base import Connection

_RELATED_COLUMNS = (
    "id, title, languages, first_published, last_updated, original_name, original_url, highlights, size, sources, "
    "merged_into"
)


@dataclass(slots=True, frozen=True)
class StoredPage:
    """A story's stored page parts: comparisons, related story ids and (while current) the related stories' cards."""

    comparisons: list[dict[str, Any]]
    related: list[str]
    related_cards: list[dict[str, Any]] | None = None
    cards_stamp: str = ""


@dataclass(slots=True, frozen=True)
class Rendered:
    """A story page rendered ahead: the HTML for one reader language, the JSON twin, and what they depend on."""

    language: str
    html: bytes
    document: bytes
    stamp: str


def _digest(parts: Sequence[str]) -> str:
    """A short hash of some text parts."""
    return hashlib.blake2b("\n".join(parts).encode("utf-8"), digest_size=12).hexdigest()


def members_stamp(members: Sequence[Article]) -> str:
    """What the stored parts depend on in the story: each member's id, relation and original, in order."""
    return _digest([f"{a.id}|{a.relation or ''}|{a.copy_of or ''}" for a in members])


def related_stamp(conn: Connection, story_ids: Sequence[str]) -> str:
    """What the related stories' cards depend on: those stories' rows as they are now (merged or gone included)."""
    if not story_ids:
        return _digest([])
    marks = ",".join("?" * len(story_ids))
    rows = conn.execute(f"SELECT {_RELATED_COLUMNS} FROM stories WHERE id IN ({marks})", list(story_ids)).fetchall()
    found = {row[0]: repr(tuple(row)) for row in rows}
    return _digest([found.get(i, f"{i}|gone") for i in story_ids])


def page_stamp(conn: Connection, story_id: str, related: Sequence[str], context: str) -> str | None:
    """What a rendered story page depends on, read now; None when the story is gone or merged away.

    The story's row (title, times, highlights, counts), its members (ids, relations, originals), the related
    stories' rows and the rendering context (reader language, models, templates): three indexed reads.
    """
    row = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None or row["merged_into"] is not None or not row["size"]:
        return None
    members = conn.execute(
        "SELECT id, relation, copy_of FROM articles WHERE story_id = ? ORDER BY id", (story_id,)
    ).fetchall()
    parts = [context, repr(tuple(row)), repr([tuple(m) for m in members]), related_stamp(conn, related)]
    return _digest(parts)


def stored_parts(conn: Connection, story_id: str, members: Sequence[Article]) -> StoredPage | None:
    """The stored parts of a story when they were computed from these members, else None (cards only if current)."""
    row = conn.execute(
        "SELECT stamp, comparisons, related, related_cards, related_stamp FROM story_pages WHERE story_id = ?",
        (story_id,),
    ).fetchone()
    if row is None or row[0] != members_stamp(members):
        return None
    related: list[str] = json.loads(row[2])
    cards = json.loads(row[3]) if row[4] and row[4] == related_stamp(conn, related) else None
    return StoredPage(json.loads(row[1]), related, cards, row[4] if cards is not None else "")


def rendered_page(conn: Connection, story_id: str, language: str, context: str) -> Rendered | None:
    """The page rendered ahead for this story and reader language, when its stamp still holds; else None."""
    row = conn.execute(
        "SELECT page_stamp, language, html, document, related FROM story_pages WHERE story_id = ?", (story_id,)
    ).fetchone()
    if row is None or row[2] is None or row[3] is None or row[1] != language:
        return None
    if page_stamp(conn, story_id, json.loads(row[4]), context) != row[0]:
        return None
    return Rendered(language, zlib.decompress(row[2]), zlib.decompress(row[3]), row[0])


def save_story_page(
    conn: Connection,
    story_id: str,
    members: Sequence[Article],
    page: StoredPage,
    rendered: Rendered | None = None,
) -> None:
    """Store a story's page parts, its related stories' cards and its rendered page (replacing what was there)."""
    cards = page.related_cards
    conn.execute(
        "INSERT OR REPLACE INTO story_pages (story_id, stamp, comparisons, related, computed_at, related_cards, "
        "related_stamp, page_stamp, language, html, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            story_id,
            members_stamp(members),
            json.dumps(page.comparisons, ensure_ascii=False),
            json.dumps(page.related),
            datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            json.dumps(cards if cards is not None else [], ensure_ascii=False),
            page.cards_stamp if cards is not None else "",
            rendered.stamp if rendered is not None else "",
            rendered.language if rendered is not None else "",
            zlib.compress(rendered.html, 6) if rendered is not None else None,
            zlib.compress(rendered.document, 6) if rendered is not None else None,
        ),
    )


def clear_story_page(conn: Connection, story_id: str) -> None:
    """Forget a story's stored parts (merged away or emptied)."""
    conn.execute("DELETE FROM story_pages WHERE story_id = ?", (story_id,))


def stories_to_render(conn: Connection, everything: bool = False) -> list[str]:
    """The live stories with members, by id: all of them, or (by default) those without a stored rendered page."""
    sql = "SELECT id FROM stories WHERE merged_into IS NULL AND size > 0"
    if not everything:
        sql += " AND id NOT IN (SELECT story_id FROM story_pages WHERE html IS NOT NULL)"
    return [str(row[0]) for row in conn.execute(sql + " ORDER BY id")]
