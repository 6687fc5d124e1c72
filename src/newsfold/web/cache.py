"""A small LRU cache of rendered responses, each valid for a stamp (the database's version or a page's own), and
single-flight builds: after a change, one request rebuilds a page while the others wait for it (or are answered
with the page as it was, where that is allowed)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar, runtime_checkable

import anyio

from newsfold.store.base import Backend

T = TypeVar("T")


@runtime_checkable
class CountsChanges(Protocol):
    """A database that keeps a change counter of its own (PostgreSQL's backend)."""

    def data_version(self) -> int:
        """The counter now."""
        ...


class DataVersion:
    """The database's change counter (SQLite: PRAGMA data_version on a connection of its own; PostgreSQL: the
    counter every write transaction moves): it moves on every commit."""

    def __init__(self, db: Backend) -> None:
        """Watch db; in-memory databases have no file to watch, so nothing is cached for them."""
        self.enabled = db.path != ":memory:"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._counter: Callable[[], int] | None = None
        if self.enabled and isinstance(db, CountsChanges):
            self._counter = db.data_version
        elif self.enabled:
            uri = f"file:{Path(db.path).resolve().as_posix()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)

    def current(self) -> int | None:
        """The counter now (None: caching is off for this database)."""
        if self._counter is not None:
            return self._counter()
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
        self._items: OrderedDict[Hashable, tuple[Hashable, float, T, Hashable]] = OrderedDict()
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

    def latest(self, key: Hashable, max_age: float | None = None) -> T | None:
        """The value last cached for key, whatever its stamp (a page as it was before the latest change), if cached
        less than max_age seconds ago (any age without one)."""
        found = self.latest_marked(key, max_age)
        return found[0] if found is not None else None

    def latest_marked(self, key: Hashable, max_age: float | None = None) -> tuple[T, Hashable] | None:
        """As latest(), with the mark it was cached with."""
        with self._lock:
            item = self._items.get(key)
            if item is None or (max_age is not None and time.monotonic() - item[1] > max_age):
                return None
            return item[2], item[3]

    def put(self, key: Hashable, stamp: Hashable | None, value: T, mark: Hashable = None) -> None:
        """Remember value for key at this stamp (with a mark of what it was made from, for latest_marked)."""
        if stamp is None:
            return
        with self._lock:
            self._items[key] = (stamp, time.monotonic(), value, mark)
            self._items.move_to_end(key)
            while len(self._items) > self.max_entries:
                self._items.popitem(last=False)


@dataclass(slots=True)
class _Flight(Generic[T]):
    """One build in progress: done once it finished; its value unless it failed."""

    done: anyio.Event = field(default_factory=anyio.Event)
    value: T | None = None


class SingleFlight(Generic[T]):
    """At most one build per key at a time (on one event loop): callers arriving meanwhile share its result."""

    def __init__(self) -> None:
        """No build in progress."""
        self._flights: dict[Hashable, _Flight[T]] = {}
        self.shared = 0

    def running(self, key: Hashable) -> bool:
        """Whether a build for key is in progress."""
        return key in self._flights

    async def run(self, key: Hashable, build: Callable[[], Awaitable[T]]) -> T:
        """The result of the build in progress for key, else of build() (run now, shared with those who come while
        it runs); when the build waited for failed, the caller builds for itself."""
        flight = self._flights.get(key)
        if flight is not None:
            await flight.done.wait()
            if flight.value is not None:
                self.shared += 1
                return flight.value
            return await build()
        flight = self._flights[key] = _Flight()
        try:
            flight.value = await build()
            return flight.value
        finally:
            del self._flights[key]
            flight.done.set()
