"""Furniture in the store: per source, how many pages were counted and on how many of them each line recurred."""

from __future__ import annotations

from collections.abc import Iterable

from newsfold.store.base import Connection


def source_page_counts(conn: Connection) -> dict[str, int]:
    """How many pages were counted per source."""
    return dict(conn.execute("SELECT source, pages FROM furniture_sources").fetchall())


def line_page_counts(conn: Connection) -> list[tuple[str, str, int]]:
    """On how many counted pages each line (by its key) appeared, per source: (source, line key, pages)."""
    return [
        (source, key, pages)
        for source, key, pages in conn.execute("SELECT source, line_key, pages FROM furniture_lines")
    ]


def count_page(conn: Connection, digest: str, source: str, keys: Iterable[str]) -> bool:
    """Count one page of a source (known by its digest) with its line keys; False when it was counted before."""
    cursor = conn.execute("INSERT OR IGNORE INTO furniture_pages (digest, source) VALUES (?, ?)", (digest, source))
    if cursor.rowcount != 1:
        return False
    conn.execute(
        "INSERT INTO furniture_sources (source, pages) VALUES (?, 1) "
        "ON CONFLICT(source) DO UPDATE SET pages = pages + 1",
        (source,),
    )
    conn.executemany(
        "INSERT INTO furniture_lines (source, line_key, pages) VALUES (?, ?, 1) "
        "ON CONFLICT(source, line_key) DO UPDATE SET pages = pages + 1",
        [(source, key) for key in sorted(keys)],
    )
    return True
