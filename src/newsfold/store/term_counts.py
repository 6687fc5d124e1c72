"""How many documents of the full-text index hold each word (fts5vocab), counted on a connection of its own."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from newsfold.store.base import Backend

# words whose counts are remembered at most (the memory is cleared when full)
MAX_KNOWN = 200_000


class TermCounts:
    """How many documents hold each indexed word (fts5vocab), on a read-only connection of its own."""

    def __init__(self, db: Backend) -> None:
        """Open the counting connection; in-memory and PostgreSQL databases get none (words are then ranked by
        length)."""
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        # document counts change slowly and only rank words against each other: kept until the index grows 10%
        self._known: dict[str, int] = {}
        self._known_at = 0
        if db.dialect == "sqlite" and db.path != ":memory:":
            uri = f"file:{Path(db.path).resolve().as_posix()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            self._conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, 'articles_fts', 'row')")

    def documents(self, terms: list[str]) -> dict[str, int]:
        """Documents holding each term (terms not indexed are left out); empty without a counting connection."""
        if self._conn is None or not terms:
            return {}
        found: dict[str, int] = {}
        with self._lock:
            for term in terms:
                count = self._known.get(term)
                if count is None:
                    # fts5vocab reads the term's whole document list: remember the answer
                    row = self._conn.execute("SELECT doc FROM temp.terms WHERE term = ?", (term,)).fetchone()
                    count = int(row[0]) if row is not None else 0
                    if len(self._known) >= MAX_KNOWN:
                        self._known.clear()
                    self._known[term] = count
                if count:
                    found[term] = count
        return found

    def total(self) -> int:
        """About how many documents are indexed (the highest row number)."""
        if self._conn is None:
            return 0
        with self._lock:
            total = int(self._conn.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
            if total > self._known_at * 1.1 or total < self._known_at:
                self._known.clear()
                self._known_at = total
            return total

    def close(self) -> None:
        """Close the counting connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
