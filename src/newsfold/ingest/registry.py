"""The source registry in the store: sources, their health, conditional-GET state and the pages seen."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, cast

from newsfold.errors import InputError, NotFoundError
from newsfold.store.articles import iso, now_iso, parse_iso
from newsfold.urls import fetchable_url, host_of

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


def _from_row(row: sqlite3.Row) -> Source:
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


def check_source_url(url: str) -> str:
    """A source URL as stored: one the fetcher may fetch (urls.fetchable_url), stripped; or InputError."""
    return fetchable_url(url).text


def default_name(url: str) -> str:
    """A readable name for a source that was given none: its host without www."""
    host = (host_of(url) or url).lower()
    return host.removeprefix("www.")


def add_source(
    conn: sqlite3.Connection,
    url: str,
    *,
    name: str | None = None,
    kind: SourceKind = "auto",
    language: str | None = None,
    category: str | None = None,
    interval: int = 1800,
) -> tuple[Source, bool]:
    """Register a source (or update the given fields of an existing one); return it and whether it is new."""
    url = check_source_url(url)
    if interval < 60:
        raise InputError(url, "the interval must be at least 60 seconds")
    existing = conn.execute("SELECT * FROM sources WHERE url = ?", (url,)).fetchone()
    if existing is not None:
        conn.execute(
            "UPDATE sources SET name = coalesce(?, name), language = coalesce(?, language), "
            "category = coalesce(?, category), interval = ? WHERE id = ?",
            (name, language, category, interval, existing["id"]),
        )
        return get_source(conn, str(existing["id"])), False
    cursor = conn.execute(
        "INSERT INTO sources (url, name, kind, language, category, interval, added) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (url, name or default_name(url), kind, language, category, interval, now_iso()),
    )
    return get_source(conn, str(cursor.lastrowid)), True


def get_source(conn: sqlite3.Connection, key: str) -> Source:
    """A source by id, URL or name (case-insensitive); NotFoundError when none matches."""
    row = None
    if key.isdigit():
        row = conn.execute("SELECT * FROM sources WHERE id = ?", (int(key),)).fetchone()
    if row is None:
        row = conn.execute("SELECT * FROM sources WHERE url = ?", (key,)).fetchone()
    if row is None:
        rows = conn.execute("SELECT * FROM sources WHERE name = ? COLLATE NOCASE", (key,)).fetchall()
        if len(rows) > 1:
            raise NotFoundError(f"source {key}: {len(rows)} sources have that name; use the id or URL")
        row = rows[0] if rows else None
    if row is None:
        raise NotFoundError(f"source {key}: no such source")
    return _from_row(row)


def list_sources(conn: sqlite3.Connection) -> list[Source]:
    """Every registered source, by name."""
    return [_from_row(r) for r in conn.execute("SELECT * FROM sources ORDER BY name COLLATE NOCASE, id")]


def remove_source(conn: sqlite3.Connection, key: str) -> Source:
    """Unregister a source (its articles stay); return what was removed."""
    source = get_source(conn, key)
    conn.execute("DELETE FROM sources WHERE id = ?", (source.id,))
    return source


def due_sources(conn: sqlite3.Connection, now: datetime | None = None, policy: str | None = None) -> list[Source]:
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


def next_due(conn: sqlite3.Connection) -> datetime | None:
    """When the next source falls due, or None when no source is registered."""
    row = conn.execute("SELECT min(coalesce(next_fetch, '')) FROM sources WHERE blocked = 0").fetchone()
    if row is None or row[0] is None:
        return None
    return parse_iso(row[0]) or datetime.now(UTC)


def backoff_seconds(interval: int, failures: int) -> int:
    """The wait after failures in a row: the interval doubled per failure, capped at a day (and at 16x)."""
    return int(min(interval * (2 ** min(failures - 1, 4)), max(interval, 86400)))


def record_success(
    conn: sqlite3.Connection,
    source: Source,
    *,
    etag: str | None,
    last_modified: str | None,
    new_items: int,
    now: datetime | None = None,
) -> None:
    """Record a successful fetch: conditional-GET state, the time, and the next fetch."""
    at = now or datetime.now(UTC)
    conn.execute(
        "UPDATE sources SET etag = ?, last_modified = ?, last_fetch = ?, last_success = ?, failures = 0, "
        "failed_policy = NULL, next_fetch = ?, items_new = items_new + ? WHERE id = ?",
        (
            etag,
            last_modified,
            iso(at),
            iso(at),
            iso(at + timedelta(seconds=source.interval)),
            new_items,
            source.id,
        ),
    )


def record_failure(
    conn: sqlite3.Connection,
    source: Source,
    reason: str,
    now: datetime | None = None,
    policy: str | None = None,
) -> int:
    """Record a failed fetch, back off, and return the number of failures in a row.

    policy: the fetch policy stamp when a setting refused the source (it is due again once the policy changes).
    """
    at = now or datetime.now(UTC)
    failures = source.failures + 1
    conn.execute(
        "UPDATE sources SET last_fetch = ?, last_error = ?, last_error_at = ?, failures = ?, next_fetch = ?, "
        "failed_policy = ? WHERE id = ?",
        (
            iso(at),
            reason,
            iso(at),
            failures,
            iso(at + timedelta(seconds=backoff_seconds(source.interval, failures))),
            policy,
            source.id,
        ),
    )
    return failures


def unseen_urls(conn: sqlite3.Connection, urls: Iterable[str]) -> list[str]:
    """The URLs no source has led to yet, in the order given, without repeats."""
    out: list[str] = []
    for url in dict.fromkeys(urls):
        if conn.execute("SELECT 1 FROM source_items WHERE url = ?", (url,)).fetchone() is None:
            out.append(url)
    return out


def mark_seen(conn: sqlite3.Connection, source_id: int | None, urls: Iterable[str], status: str = "ok") -> None:
    """Remember that these URLs were fetched (or failed for good) for a source."""
    stamp = now_iso()
    conn.executemany(
        "INSERT OR IGNORE INTO source_items (url, source_id, first_seen, status) VALUES (?, ?, ?, ?)",
        [(url, source_id, stamp, status) for url in urls],
    )
