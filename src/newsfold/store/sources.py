"""Sources in the store: the registry of sources, their health and conditional-GET state, and the pages seen."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast

from newsfold.store.base import Connection, Row
from newsfold.text.dates import iso, now_iso, parse_iso

SourceKind = Literal["auto", "feed", "sitemap", "page"]
SOURCE_KINDS: tuple[SourceKind, ...] = ("auto", "feed", "sitemap", "page")


@dataclass(slots=True)
class Source:
    """A registered source and its health record."""

    id: int
    url: str
    name: str
    kind: SourceKind = "auto"
    language: str | None = None
    category: str | None = None
    interval: int = 1800
    etag: str | None = None
    last_modified: str | None = None
    last_fetch: str | None = None
    next_fetch: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    last_error_at: str | None = None
    failures: int = 0
    items_new: int = 0
    blocked: bool = False
    failed_policy: str | None = None

    @property
    def health(self) -> str:
        """One word: new, ok, failing or blocked."""
        if self.blocked:
            return "blocked"
        if self.failures:
            return "failing"
        return "ok" if self.last_success else "new"


def _from_row(row: Row) -> Source:
    """A Source from its row."""
    return Source(
        id=row["id"],
        url=row["url"],
        name=row["name"],
        kind=cast(SourceKind, row["kind"]),
        language=row["language"],
        category=row["category"],
        interval=row["interval"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetch=row["last_fetch"],
        next_fetch=row["next_fetch"],
        last_success=row["last_success"],
        last_error=row["last_error"],
        last_error_at=row["last_error_at"],
        failures=row["failures"],
        items_new=row["items_new"],
        blocked=bool(row["blocked"]),
        failed_policy=row["failed_policy"],
    )


def source_by_id(conn: Connection, source_id: int) -> Source | None:
    """The source with this id, or None."""
    row = conn.execute("SELECT * FROM sources WHERE id = ?", (source_id,)).fetchone()
    return _from_row(row) if row is not None else None


def source_at(conn: Connection, url: str) -> Source | None:
    """The source registered at this URL, or None."""
    row = conn.execute("SELECT * FROM sources WHERE url = ?", (url,)).fetchone()
    return _from_row(row) if row is not None else None


def sources_named(conn: Connection, name: str) -> list[Source]:
    """The sources called name (case aside)."""
    return [_from_row(r) for r in conn.execute("SELECT * FROM sources WHERE name = ? COLLATE NOCASE", (name,))]


def source_ids_named_or_at(conn: Connection, key: str) -> list[int]:
    """The ids of the sources called key (case aside) or registered at URL key."""
    return [r[0] for r in conn.execute("SELECT id FROM sources WHERE name = ? COLLATE NOCASE OR url = ?", (key, key))]


def block_source(conn: Connection, source_id: int) -> None:
    """Mark a source blocked (taken down: it is fetched no more)."""
    conn.execute("UPDATE sources SET blocked = 1 WHERE id = ?", (source_id,))


def insert_source(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    url: str,
    name: str,
    kind: SourceKind,
    language: str | None,
    category: str | None,
    interval: int,
) -> int:
    """Register a new source (added now); return its id."""
    row = conn.execute(
        "INSERT INTO sources (url, name, kind, language, category, interval, added) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        (url, name, kind, language, category, interval, now_iso()),
    ).fetchone()
    return int(row[0])


def update_source_settings(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    source_id: int,
    *,
    name: str | None,
    language: str | None,
    category: str | None,
    interval: int,
) -> None:
    """Change a source's interval, and its name, language and category where given (None keeps them)."""
    conn.execute(
        "UPDATE sources SET name = coalesce(?, name), language = coalesce(?, language), "
        "category = coalesce(?, category), interval = ? WHERE id = ?",
        (name, language, category, interval, source_id),
    )


def delete_source(conn: Connection, source_id: int) -> None:
    """Unregister a source (its articles and the pages it led to stay)."""
    conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))


def list_sources(conn: Connection) -> list[Source]:
    """Every registered source, by name."""
    return [_from_row(r) for r in conn.execute("SELECT * FROM sources ORDER BY name COLLATE NOCASE, id")]


def due_sources(conn: Connection, now: datetime | None = None, policy: str | None = None) -> list[Source]:
    """Sources whose next fetch time has come (never-fetched first), blocked ones left out.

    With the fetcher's policy stamp, a source refused under another policy (one the user has changed since) is due.
    """
    stamp = iso(now or datetime.now(UTC))
    rows = conn.execute(
        "SELECT * FROM sources WHERE blocked = 0 AND (next_fetch IS NULL OR next_fetch <= ? "
        "OR (? IS NOT NULL AND failed_policy IS NOT NULL AND failed_policy != ?)) "
        "ORDER BY next_fetch IS NOT NULL, next_fetch, id",
        (stamp, policy, policy),
    )
    return [_from_row(r) for r in rows]


def next_due(conn: Connection) -> datetime | None:
    """When the next source falls due, or None when no source is registered."""
    row = conn.execute("SELECT min(coalesce(next_fetch, '')) FROM sources WHERE blocked = 0").fetchone()
    if row is None or row[0] is None:
        return None
    return parse_iso(row[0]) or datetime.now(UTC)


def record_fetched(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    source_id: int,
    *,
    etag: str | None,
    last_modified: str | None,
    at: datetime,
    next_fetch: datetime,
    new_items: int,
) -> None:
    """Record a successful fetch at a time: conditional-GET state, failures cleared, the next fetch, new items."""
    conn.execute(
        "UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?, last_success = ?, failures = 0, "
        "failed_policy = NULL, next_fetch = ?, items_new = items_new + ? WHERE id = ?",
        (etag, last_modified, iso(at), iso(at), iso(next_fetch), new_items, source_id),
    )


def record_failed(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    source_id: int,
    *,
    reason: str,
    at: datetime,
    failures: int,
    next_fetch: datetime,
    policy: str | None,
) -> None:
    """Record a failed fetch at a time: the reason, the failures in a row, the next fetch and the refusing policy."""
    conn.execute(
        "UPDATE sources SET last_fetch = ?, last_error = ?, last_error_at = ?, failures = ?, next_fetch = ?, "
        "failed_policy = ? WHERE id = ?",
        (iso(at), reason, iso(at), failures, iso(next_fetch), policy, source_id),
    )


def unseen_urls(conn: Connection, urls: Iterable[str]) -> list[str]:
    """The URLs no source has led to yet, in the order given, without repeats."""
    out: list[str] = []
    for url in dict.fromkeys(urls):
        if conn.execute("SELECT 1 FROM source_items WHERE url = ?", (url,)).fetchone() is None:
            out.append(url)
    return out


def mark_seen(conn: Connection, source_id: int | None, urls: Iterable[str], status: str = "ok") -> None:
    """Remember that these URLs were fetched (or failed for good) for a source."""
    stamp = now_iso()
    conn.executemany(
        "INSERT OR IGNORE INTO source_items (url, source_id, first_seen, status) VALUES (?, ?, ?, ?)",
        [(url, source_id, stamp, status) for url in urls],
    )
