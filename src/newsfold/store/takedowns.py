"""Takedowns in the store: the takedown log, the block list, and the articles a URL or a source leads to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from newsfold.store.base import Connection
from newsfold.text.dates import now_iso

TakedownKind = Literal["url", "source"]


@dataclass(slots=True)
class Takedown:
    """One logged takedown."""

    id: int
    at: str
    target_kind: str
    target: str
    reason: str
    actor: str
    removed: int
    stories: list[str] = field(default_factory=list)  # the stories it changed (their hooks are pending)


class ArticleUrls(NamedTuple):
    """A stored article's id and the URLs it was found under."""

    id: str
    canonical_url: str | None
    source_url: str | None
    origin_location: str


def _escaped_like(text: str) -> str:
    """A LIKE pattern matching text anywhere (its own %, _ and \\ escaped with backslash)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def articles_at_host(conn: Connection, host: str) -> list[ArticleUrls]:
    """The stored articles whose canonical, source or origin URL contains host (a superset to match URLs in)."""
    pattern = _escaped_like(host)
    rows = conn.execute(
        "SELECT id, canonical_url, source_url, origin_location FROM articles WHERE canonical_url LIKE ? ESCAPE '\\' "
        "OR source_url LIKE ? ESCAPE '\\' OR origin_location LIKE ? ESCAPE '\\'",
        (pattern, pattern, pattern),
    ).fetchall()
    return [ArticleUrls(*row) for row in rows]


def articles_of_source_name(conn: Connection, name: str) -> list[str]:
    """The ids of stored articles whose source is called name (case aside)."""
    return [r[0] for r in conn.execute("SELECT id FROM articles WHERE source_name = ? COLLATE NOCASE", (name,))]


def articles_fetched_through(conn: Connection, source_id: int) -> list[str]:
    """The ids of stored articles at a URL a registered source led to."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE origin_location IN (SELECT url FROM source_items WHERE source_id = ?) "
            "OR canonical_url IN (SELECT url FROM source_items WHERE source_id = ?)",
            (source_id, source_id),
        )
    ]


def log_takedown(conn: Connection, kind: TakedownKind, target: str, reason: str, actor: str) -> int:
    """Write a takedown to the log (now, nothing removed yet); return its id."""
    row = conn.execute(
        "INSERT INTO takedowns (at, target_kind, target, reason, actor) VALUES (?, ?, ?, ?, ?) RETURNING id",
        (now_iso(), kind, target, reason, actor),
    ).fetchone()
    return int(row[0])


def record_removed(conn: Connection, takedown_id: int, removed: int) -> None:
    """Record how many articles a logged takedown removed."""
    conn.execute("UPDATE takedowns SET removed = ? WHERE id = ?", (removed, takedown_id))


def block(conn: Connection, kind: TakedownKind, value: str, takedown_id: int) -> None:
    """Put a URL (normalised) or a source name (lower-cased) on the block list, by the takedown that blocked it."""
    conn.execute(
        "INSERT OR REPLACE INTO blocklist (kind, value, takedown_id) VALUES (?, ?, ?)", (kind, value, takedown_id)
    )


def get_takedown(conn: Connection, takedown_id: int, stories: set[str] | None = None) -> Takedown:
    """One logged takedown (with the stories it changed, when just made)."""
    row = conn.execute("SELECT * FROM takedowns WHERE id = ?", (takedown_id,)).fetchone()
    fields = {key: row[key] for key in row.keys()}  # noqa: SIM118 (Row has no items())
    return Takedown(**fields, stories=sorted(stories or ()))


def list_takedowns(conn: Connection) -> list[Takedown]:
    """The takedown log, oldest first."""
    return [get_takedown(conn, r[0]) for r in conn.execute("SELECT id FROM takedowns ORDER BY id")]


def blocked_urls(conn: Connection) -> list[str]:
    """The URLs on the block list, as they were normalised when blocked."""
    return [r[0] for r in conn.execute("SELECT value FROM blocklist WHERE kind = 'url'")]


def blocked_source_names(conn: Connection) -> set[str]:
    """The source names on the block list (lower-cased)."""
    return {r[0] for r in conn.execute("SELECT value FROM blocklist WHERE kind = 'source'")}


def anything_blocked(conn: Connection) -> bool:
    """Whether the block list holds anything."""
    return conn.execute("SELECT 1 FROM blocklist LIMIT 1").fetchone() is not None
