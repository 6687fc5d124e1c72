"""Lines that recur across many pages of one source are furniture: learned as a source accumulates pages."""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable

# a line is furniture once it was seen on this many pages of a source, and on this share of them
MIN_PAGES = 3
MIN_SHARE = 0.4
# longer lines are story text even when a page repeats (a republished article is not furniture)
MAX_LINE_CHARS = 200


class FurnitureMemory:
    """Per source: how many pages were seen and on how many of them each (normalised) line appeared."""

    def __init__(self, min_pages: int = MIN_PAGES, min_share: float = MIN_SHARE) -> None:
        """Start empty; min_pages and min_share say when a recurring line counts as furniture."""
        self.min_pages = min_pages
        self.min_share = min_share
        self._pages: Counter[str] = Counter()
        self._lines: defaultdict[str, Counter[str]] = defaultdict(Counter)
        self._seen: set[str] = set()
        self._pending: list[tuple[str, str, frozenset[str]]] = []

    def observe(self, source: str | None, keys: Iterable[str], page: str) -> None:
        """Count one page of a source (its text is page): each of its distinct short lines once; a page seen
        twice counts once."""
        if not source:
            return
        distinct = {k for k in keys if k and len(k) <= MAX_LINE_CHARS}
        digest = hashlib.sha1(f"{source}\n{page}".encode()).hexdigest()
        if digest in self._seen:
            return
        self._seen.add(digest)
        self._pages[source] += 1
        for key in distinct:
            self._lines[source][key] += 1
        self._pending.append((digest, source, frozenset(distinct)))

    def known(self, source: str | None) -> frozenset[str]:
        """The lines learned to be furniture on a source's pages."""
        if not source or self._pages[source] < self.min_pages:
            return frozenset()
        floor = max(self.min_pages, self.min_share * self._pages[source])
        return frozenset(key for key, count in self._lines[source].items() if count >= floor)

    def load(self, conn: sqlite3.Connection) -> None:
        """Read what the store has learned so far."""
        for source, pages in conn.execute("SELECT source, pages FROM furniture_sources"):
            self._pages[source] = pages
        for source, key, pages in conn.execute("SELECT source, line_key, pages FROM furniture_lines"):
            self._lines[source][key] = pages

    def save(self, conn: sqlite3.Connection) -> None:
        """Add the pages observed since the last save to the store (inside the caller's write transaction);
        a page the store has already counted is skipped."""
        for digest, source, keys in self._pending:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO furniture_pages (digest, source) VALUES (?, ?)", (digest, source)
            )
            if cursor.rowcount != 1:
                continue
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
        self._pending.clear()
