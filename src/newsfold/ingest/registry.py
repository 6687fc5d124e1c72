"""The source registry: registering sources (checked URLs, default names), finding them, and their fetch health
(backoff after failures); the rows are in store.sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsfold.errors import InputError, NotFoundError
from newsfold.store import sources as sources_db
from newsfold.store.base import Connection
from newsfold.store.sources import Source, SourceKind
from newsfold.urls import fetchable_url, host_of


def check_source_url(url: str) -> str:
    """A source URL as stored: one the fetcher may fetch (urls.fetchable_url), stripped; or InputError."""
    return fetchable_url(url).text


def default_name(url: str) -> str:
    """A readable name for a source that was given none: its host without www."""
    host = (host_of(url) or url).lower()
    return host.removeprefix("www.")


def add_source(  # noqa: PLR0913  a source's fields, keyword-only
    conn: Connection,
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
    existing = sources_db.source_at(conn, url)
    if existing is not None:
        sources_db.update_source_settings(
            conn, existing.id, name=name, language=language, category=category, interval=interval
        )
        return get_source(conn, str(existing.id)), False
    source_id = sources_db.insert_source(conn, url, name or default_name(url), kind, language, category, interval)
    return get_source(conn, str(source_id)), True


def get_source(conn: Connection, key: str) -> Source:
    """A source by id, URL or name (case-insensitive); NotFoundError when none matches."""
    source = None
    if key.isdigit():
        source = sources_db.source_by_id(conn, int(key))
    if source is None:
        source = sources_db.source_at(conn, key)
    if source is None:
        named = sources_db.sources_named(conn, key)
        if len(named) > 1:
            raise NotFoundError(f"source {key}: {len(named)} sources have that name; use the id or URL")
        source = named[0] if named else None
    if source is None:
        raise NotFoundError(f"source {key}: no such source")
    return source


def remove_source(conn: Connection, key: str) -> Source:
    """Unregister a source (its articles stay); return what was removed."""
    source = get_source(conn, key)
    sources_db.delete_source(conn, source.id)
    return source


def backoff_seconds(interval: int, failures: int) -> int:
    """The wait after failures in a row: the interval doubled per failure, capped at a day (and at 16x)."""
    return int(min(interval * (2 ** min(failures - 1, 4)), max(interval, 86400)))


def record_success(  # noqa: PLR0913  a fetch's conditional-GET state, keyword-only
    conn: Connection,
    source: Source,
    *,
    etag: str | None,
    last_modified: str | None,
    new_items: int,
    now: datetime | None = None,
) -> None:
    """Record a successful fetch: conditional-GET state, the time, and the next fetch."""
    at = now or datetime.now(UTC)
    sources_db.record_fetched(
        conn,
        source.id,
        etag=etag,
        last_modified=last_modified,
        at=at,
        next_fetch=at + timedelta(seconds=source.interval),
        new_items=new_items,
    )


def record_failure(
    conn: Connection,
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
    sources_db.record_failed(
        conn,
        source.id,
        reason=reason,
        at=at,
        failures=failures,
        next_fetch=at + timedelta(seconds=backoff_seconds(source.interval, failures)),
        policy=policy,
    )
    return failures
