"""Lines that recur across many pages of one source are furniture: learned as a source accumulates pages."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from newsfold.store import furniture as furniture_db
from newsfold.store.base import Connection

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
        self.observe_digest(source, keys, page_digest(source, page))

    def observe_digest(self, source: str, keys: Iterable[str], digest: str) -> bool:
        """Count one page of a source known by its digest; False when that page was already counted."""
        distinct = {k for k in keys if k and len(k) <= MAX_LINE_CHARS}
        if digest in self._seen:
            return False
        self._seen.add(digest)
        self._pages[source] += 1
        for key in distinct:
            self._lines[source][key] += 1
        self._pending.append((digest, source, frozenset(distinct)))
        return True

    def recurring(self, source: str | None, keys: Sequence[str]) -> frozenset[str]:
        """Which of keys (a page's line keys) are furniture learned on the source's pages."""
        if not source or self._pages[source] < self.min_pages:
            return frozenset()
        floor = max(self.min_pages, self.min_share * self._pages[source])
        lines = self._lines[source]
        return frozenset(key for key in keys if lines.get(key, 0) >= floor)

    def known(self, source: str | None) -> frozenset[str]:
        """The lines learned to be furniture on a source's pages."""
        if not source or self._pages[source] < self.min_pages:
            return frozenset()
        floor = max(self.min_pages, self.min_share * self._pages[source])
        return frozenset(key for key, count in self._lines[source].items() if count >= floor)

    def load(self, conn: Connection) -> None:
        """Read what the store has learned so far."""
        for source, pages in furniture_db.source_page_counts(conn).items():
            self._pages[source] = pages
        for source, key, pages in furniture_db.line_page_counts(conn):
            self._lines[source][key] = pages

    def save(self, conn: Connection) -> None:
        """Add the pages observed since the last save to the store (inside the caller's write transaction);
        a page the store has already counted is skipped."""
        for digest, source, keys in self._pending:
            furniture_db.count_page(conn, digest, source, keys)
        self._pending.clear()

    def pending(self) -> list[tuple[str, str, frozenset[str]]]:
        """The pages observed since the last save: (digest, source, line keys)."""
        return list(self._pending)

    def take_pending(self) -> list[tuple[str, str, frozenset[str]]]:
        """The pages observed since the last save or take, forgotten here (another memory saves them)."""
        pages, self._pending = self._pending, []
        return pages

    def add_pending(self, pages: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        """Queue pages (digest, source, line keys) that another memory observed, for the next save."""
        self._pending.extend((digest, source, frozenset(keys)) for digest, source, keys in pages)

    def replay(self, record: str | None) -> str | None:
        """Learn from one input's FurnitureLog record, as if it were extracted now; the seed to extract it again
        with (from_seed) when what earlier inputs taught changes its furniture, else None."""
        if not record:
            return None
        touched = False
        asked: defaultdict[str, set[str]] = defaultdict(set)
        counted: list[tuple[str, set[str], str]] = []
        seen_before: list[str] = []
        for event in json.loads(record):
            if event[0] == "ask":
                asked[event[1]].update(event[2])
                touched = touched or bool(self.recurring(event[1], event[2]))
            elif self.observe_digest(event[1], event[2], event[3]):
                counted.append((event[1], set(event[2]), event[3]))
            elif event[3] not in {digest for _, _, digest in counted}:
                seen_before.append(event[3])
        if not touched:
            return None
        # what the memory held before this input, for the sources it asked about
        pages = {source: self._pages[source] for source in asked}
        lines = {source: {key: self._lines[source].get(key, 0) for key in keys} for source, keys in asked.items()}
        for source, keys, _ in counted:
            if source in pages:
                pages[source] -= 1
                for key in keys & asked[source]:
                    lines[source][key] -= 1
        lines = {source: {key: n for key, n in counts.items() if n > 0} for source, counts in lines.items()}
        return json.dumps({"pages": pages, "lines": lines, "seen": seen_before}, sort_keys=True)

    @classmethod
    def from_seed(cls, seed: str) -> FurnitureMemory:
        """A memory holding what replay() said an input must be extracted again with."""
        data = json.loads(seed)
        memory = cls()
        memory._pages.update(data["pages"])
        for source, counts in data["lines"].items():
            memory._lines[source].update(counts)
        memory._seen.update(data["seen"])
        return memory


def page_digest(source: str, page: str) -> str:
    """Identifies one page of a source (the same text seen twice is counted once)."""
    return hashlib.sha1(f"{source}\n{page}".encode()).hexdigest()


class FurnitureLog(FurnitureMemory):
    """A memory that learns nothing and records what extraction asked and observed, in order: `newsfold batch`
    extracts inputs in parallel, then replays every input's record in input order (FurnitureMemory.replay), so
    it learns what `newsfold ingest` of the same inputs learns and extracts again the inputs that changes."""

    def __init__(self) -> None:
        """Start with nothing recorded."""
        super().__init__()
        self.events: list[list[object]] = []

    def observe(self, source: str | None, keys: Iterable[str], page: str) -> None:
        """Record a page seen (its short line keys and digest); learn nothing."""
        if source:
            distinct = sorted({k for k in keys if k and len(k) <= MAX_LINE_CHARS})
            self.events.append(["see", source, distinct, page_digest(source, page)])

    def recurring(self, source: str | None, keys: Sequence[str]) -> frozenset[str]:
        """Record what a page asked about (only lines short enough to be furniture); answer nothing."""
        if source:
            self.events.append(["ask", source, sorted({k for k in keys if k and len(k) <= MAX_LINE_CHARS})])
        return frozenset()

    def take(self) -> str | None:
        """The events recorded since the last take, as JSON (None when there were none)."""
        if not self.events:
            return None
        record = json.dumps(self.events, ensure_ascii=False)
        self.events = []
        return record
