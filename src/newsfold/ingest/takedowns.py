"""Takedowns: remove a URL's or a source's items, block them from returning, and log each takedown."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from newsfold.errors import InputError
from newsfold.model import Article
from newsfold.store import stories as stories_db
from newsfold.store.articles import now_iso


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


def normalize_url(url: str) -> str:
    """A URL as the block list keeps it: lower-case scheme and host, no default port, final / or fragment."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # out of range: keep what was written
        port, host = None, parts.netloc.lower()
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def _variants(url: str) -> list[str]:
    """The spellings of one URL an article row may hold (as given, normalised, with and without a final /)."""
    base = normalize_url(url)
    out = {url.strip(), base}
    if not urlsplit(base).query and not base.endswith("/"):
        out.add(base + "/")
    return sorted(out)


def _remove_articles(conn: sqlite3.Connection, where: str, params: Sequence[object]) -> int:
    """Delete the matching articles and refresh the stories they were in; return how many went."""
    rows = conn.execute(f"SELECT id, story_id FROM articles WHERE {where}", params).fetchall()
    stories = {r["story_id"] for r in rows if r["story_id"]}
    for row in rows:
        conn.execute("DELETE FROM articles WHERE id = ?", (row["id"],))
    for story_id in stories:
        stories_db.refresh_story(conn, story_id)
    return len(rows)


def _log(conn: sqlite3.Connection, kind: str, target: str, reason: str, actor: str) -> int:
    """Write a takedown to the log; return its id."""
    cursor = conn.execute(
        "INSERT INTO takedowns (at, target_kind, target, reason, actor) VALUES (?, ?, ?, ?, ?)",
        (now_iso(), kind, target, reason, actor),
    )
    return int(cursor.lastrowid or 0)


def take_down_url(conn: sqlite3.Connection, url: str, reason: str = "", actor: str = "cli") -> Takedown:
    """Remove every article from url and block it; logged."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:
        raise InputError(url, f"malformed URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "a takedown needs an http or https URL")
    target = normalize_url(url)
    takedown_id = _log(conn, "url", target, reason, actor)
    variants = _variants(url)
    marks = ",".join("?" * len(variants))
    removed = _remove_articles(
        conn,
        f"canonical_url IN ({marks}) OR source_url IN ({marks}) OR origin_location IN ({marks})",
        variants * 3,
    )
    conn.execute(
        "INSERT OR REPLACE INTO blocklist (kind, value, takedown_id) VALUES ('url', ?, ?)", (target, takedown_id)
    )
    conn.execute("UPDATE takedowns SET removed = ? WHERE id = ?", (removed, takedown_id))
    return get_takedown(conn, takedown_id)


def take_down_source(conn: sqlite3.Connection, name: str, reason: str = "", actor: str = "cli") -> Takedown:
    """Remove every article of a source (by name, or fetched through the registered source) and block it."""
    key = name.strip()
    if not key:
        raise InputError("takedown", "a source takedown needs a source name")
    takedown_id = _log(conn, "source", key, reason, actor)
    ids = [r[0] for r in conn.execute("SELECT id FROM sources WHERE name = ? COLLATE NOCASE OR url = ?", (key, key))]
    removed = _remove_articles(conn, "source_name = ? COLLATE NOCASE", (key,))
    for source_id in ids:
        removed += _remove_articles(
            conn,
            "origin_location IN (SELECT url FROM source_items WHERE source_id = ?) "
            "OR canonical_url IN (SELECT url FROM source_items WHERE source_id = ?)",
            (source_id, source_id),
        )
        conn.execute("UPDATE sources SET blocked = 1 WHERE id = ?", (source_id,))
    conn.execute(
        "INSERT OR REPLACE INTO blocklist (kind, value, takedown_id) VALUES ('source', ?, ?)",
        (key.lower(), takedown_id),
    )
    conn.execute("UPDATE takedowns SET removed = ? WHERE id = ?", (removed, takedown_id))
    return get_takedown(conn, takedown_id)


def get_takedown(conn: sqlite3.Connection, takedown_id: int) -> Takedown:
    """One logged takedown."""
    row = conn.execute("SELECT * FROM takedowns WHERE id = ?", (takedown_id,)).fetchone()
    return Takedown(**{key: row[key] for key in row.keys()})  # noqa: SIM118 (sqlite3.Row has no items())


def list_takedowns(conn: sqlite3.Connection) -> list[Takedown]:
    """The takedown log, oldest first."""
    return [get_takedown(conn, r[0]) for r in conn.execute("SELECT id FROM takedowns ORDER BY id")]


def url_blocked(conn: sqlite3.Connection, url: str | None) -> bool:
    """Whether a URL is on the block list."""
    try:
        if not url or urlsplit(url).scheme not in ("http", "https"):
            return False
        target = normalize_url(url)
    except ValueError:
        return False
    return conn.execute("SELECT 1 FROM blocklist WHERE kind = 'url' AND value = ?", (target,)).fetchone() is not None


def article_blocked(conn: sqlite3.Connection, article: Article) -> bool:
    """Whether an article's URL or source was taken down."""
    for url in (article.canonical_url, article.source.url, article.origin.location):
        if url_blocked(conn, url):
            return True
    name = article.source.name
    return bool(
        name
        and conn.execute(
            "SELECT 1 FROM blocklist WHERE kind = 'source' AND value = ?", (name.strip().lower(),)
        ).fetchone()
    )


def drop_blocked(conn: sqlite3.Connection, articles: Sequence[Article]) -> list[Article]:
    """The articles not taken down (the engine's one check before storing)."""
    if conn.execute("SELECT 1 FROM blocklist LIMIT 1").fetchone() is None:
        return list(articles)
    return [a for a in articles if not article_blocked(conn, a)]
