"""A small LRU cache of rendered responses, emptied whenever the database changes."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from typing import Generic, TypeVar

from newsfold.store.db import Database

T = TypeVar("T")


class DataVersion:
    """The database's change counter (PRAGMA data_version) on a connection of its own: it moves on every commit."""

    def __init__(self, db: Database) -> None:
        """Watch db's file; in-memory databases have no file to watch, so nothing is cached for them."""
        self.enabled = db.path != ":memory:"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if self.enabled:
            uri = f"file:{Path(db.path).resolve().as_posix()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)

    def current(self) -> int | None:
        """The counter now (None: caching is off for this database)."""
        if self._conn is None:
            return None
        with self._lock:
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        """Close the watching connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class ResponseCache(Generic[T]):
    """Values keyed by request, each valid for one stamp (a data version); least recently used dropped first."""

    def __init__(self, max_entries: int = 4096) -> None:
        """An empty cache of at most max_entries values."""
        self.max_entries = max_entries
        self._items: OrderedDict[Hashable, tuple[Hashable, float, T]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, stamp: Hashable | None, max_age: float | None = None) -> T | None:
        """The value cached for key at this stamp (and younger than max_age seconds), or None."""
        if stamp is None:
            return None
        with self._lock:
            item = self._items.get(key)
            if item is None or item[0] != stamp or (max_age is not None and time.monotonic() - item[1] > max_age):
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[2]

    def put(self, key: Hashable, stamp: Hashable | None, value: T) -> None:
        """Remember value for key at this stamp."""
        if stamp is None:
            return
        with self._lock:
            self._items[key] = (stamp, time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)
