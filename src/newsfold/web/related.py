"""Related stories ("You may like"): other stories whose titles share the story title's rarest words."""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from pathlib import Path

from newsfold.store.db import Database

_WORD = re.compile(r"\w{3,}", re.UNICODE)
MAX_TERMS = 3
# a word in more than this share of all documents says nothing about what a story is about
MAX_SHARE = 0.05
MAX_KNOWN = 200_000
# below this many documents every shared word counts
MIN_CEILING = 50


def fts_terms(title: str) -> list[str]:
    """A title's words as the full-text index stores them (lower case, diacritics removed), longest first."""
    folded = unicodedata.normalize("NFKD", title.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return sorted(set(_WORD.findall(plain)), key=len, reverse=True)


class TermCounts:
    """How many documents hold each indexed word (fts5vocab), on a read-only connection of its own."""

    def __init__(self, db: Database) -> None:
        """Open the counting connection; in-memory databases get none (words are then ranked by length)."""
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        # document counts change slowly and only rank words against each other: kept until the index grows 10%
        self._known: dict[str, int] = {}
        self._known_at = 0
        if db.path != ":memory:":
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


def related_query(title: str, counts: TermCounts) -> str | None:
    """An FTS5 query for titles sharing any of this title's rarest words (that some other article holds)."""
    terms = fts_terms(title)
    most = max(MIN_CEILING, int(counts.total() * MAX_SHARE))
    documents = counts.documents(terms)
    if documents:
        usable = [t for t in terms if 2 <= documents.get(t, 0) <= most]
        terms = sorted(usable, key=lambda t: (documents[t], -len(t), t))
    chosen = terms[:MAX_TERMS]
    if not chosen:
        return None
    return "{title} : (" + " OR ".join('"' + t.replace('"', '""') + '"' for t in chosen) + ")"
