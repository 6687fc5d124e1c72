"""The folding index: every folded article's band keys, lead embedding, time and story, loaded from the store."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.features import lsh
from newsfold.fold.features.text import NAME_KEYS
from newsfold.model import KINDS
from newsfold.store import fold_state as fold_db
from newsfold.store import integrity as integrity_db
from newsfold.store.base import Connection

log = logging.getLogger(__name__)

DF_BUCKETS = 1 << 18
# the store keeps the document frequencies as a whole table ('df', 1 MB) plus the changes of later batches ('df+N':
# the buckets a batch changed and by how much, ~40 KB): writing the whole table every batch of 64 cost more than
# storing the batch's articles; after DF_DELTAS changes the whole table is written again and the changes dropped
DF_DELTAS = 64
SCALE = np.float32(127.0)  # embeddings are kept as int8 (unit vectors * 127): 512 bytes an article, cosine +-0.01


def quantise(vectors: NDArray[np.float32]) -> NDArray[np.int8]:
    """Unit vectors to int8."""
    out: NDArray[np.int8] = np.clip(np.rint(vectors * SCALE), -127, 127).astype(np.int8)
    return out


def hash_key(group: str, text_hash: str) -> int:
    """A compact dictionary key for an exact text within a group."""
    return int(text_hash[:15], 16) * 4 + KINDS.index(group) if group in KINDS else int(text_hash[:15], 16) * 4 + 3


def _widen(span: tuple[float, float], t: float) -> tuple[float, float]:
    """A (first, last) time span stretched to cover t (an undated t, NaN, changes nothing)."""
    if math.isnan(t):
        return span
    if math.isnan(span[0]):
        return t, t
    return min(span[0], t), max(span[1], t)


@dataclass(slots=True)
class FoldIndex:
    """In-memory state of folding; the store holds the same (fold_docs, fold_state) so it can be rebuilt."""

    dim: int
    article_ids: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    times: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    vectors: NDArray[np.int8] = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int8))
    # each document's name keys (features.key_slots: NAME_KEYS hashes, 0 empty), for candidates across scripts
    slots: NDArray[np.uint64] = field(default_factory=lambda: np.zeros((0, NAME_KEYS), dtype=np.uint64))
    size: int = 0
    by_article: dict[str, int] = field(default_factory=dict)
    by_hash: dict[int, int] = field(default_factory=dict)
    story_of: list[str] = field(default_factory=list)
    members: dict[str, list[int]] = field(default_factory=dict)
    # per story, kept as documents are placed and stories merged (placement asks for both at every decision: computing
    # them from the members made a decision linear in its story's size); absent = recompute from the members
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)
    firsts: dict[str, int] = field(default_factory=dict)
    lsh: lsh.LshIndex = field(default_factory=lsh.LshIndex)
    df: NDArray[np.int32] = field(default_factory=lambda: np.zeros(DF_BUCKETS, dtype=np.int32))
    ndocs: int = 0
    loaded_doc: int = -1
    df_stored: NDArray[np.int32] | None = None  # the frequencies the store holds (None: not known, write them whole)

    def _grow(self, extra: int) -> None:
        """Make room for extra documents in the arrays (capacity grows by a quarter: little slack at 1M)."""
        need = self.size + extra
        if need <= len(self.times):
            return
        capacity = max(need, len(self.times) + len(self.times) // 4, 1024)
        times = np.full(capacity, math.nan)
        times[: self.size] = self.times[: self.size]
        vectors = np.zeros((capacity, self.dim), dtype=np.int8)
        slots = np.zeros((capacity, NAME_KEYS), dtype=np.uint64)
        if self.size:
            vectors[: self.size] = self.vectors[: self.size]
            slots[: self.size] = self.slots[: self.size]
        self.times, self.vectors, self.slots = times, vectors, slots

    def add(  # noqa: PLR0913  one column per parameter of the documents appended
        self,
        article_ids: Sequence[str],
        groups: Sequence[str],
        times: Sequence[float],
        hashes: Sequence[str | None],
        keys: NDArray[np.uint64],
        vectors: NDArray[np.float32],
        slots: NDArray[np.uint64] | None = None,
    ) -> list[int]:
        """Append documents (not yet in a story; slots: their name keys, none when not given); return their
        numbers."""
        count = len(article_ids)
        self._grow(count)
        docs = list(range(self.size, self.size + count))
        self.times[self.size : self.size + count] = times
        if vectors.shape[1] == self.dim:
            self.vectors[self.size : self.size + count] = quantise(vectors)
        if slots is not None:
            self.slots[self.size : self.size + count] = slots
        for doc, article_id, group, text_hash in zip(docs, article_ids, groups, hashes, strict=True):
            self.article_ids.append(article_id)
            self.groups.append(group)
            self.story_of.append("")
            self.by_article[article_id] = doc
            if text_hash is not None:
                self.by_hash.setdefault(hash_key(group, text_hash), doc)
        self.size += count
        self.lsh.add_many(docs, keys)
        return docs

    @classmethod
    def standalone(
        cls, article_ids: Sequence[str], groups: Sequence[str], times: NDArray[np.float64], vectors: NDArray[np.int8]
    ) -> FoldIndex:
        """An index of some documents only (numbered 0..n-1), for placement: no band keys, no frequencies."""
        index = cls(dim=vectors.shape[1], times=np.asarray(times, dtype=np.float64).copy(), vectors=vectors.copy())
        index.article_ids, index.groups = list(article_ids), list(groups)
        index.story_of = [""] * len(article_ids)
        index.by_article = {a: doc for doc, a in enumerate(article_ids)}
        index.size = len(article_ids)
        return index

    def embeddings(self, docs: Sequence[int] | NDArray[np.int64]) -> NDArray[np.float32]:
        """The lead embeddings of documents, back to float32."""
        out: NDArray[np.float32] = self.vectors[docs].astype(np.float32) / SCALE
        return out

    def place(self, doc: int, story_id: str) -> None:
        """Record that doc belongs to story_id."""
        old = self.story_of[doc]
        if old == story_id:
            return
        if old:
            self.members[old].remove(doc)
            self.spans.pop(old, None)
            self.firsts.pop(old, None)
        self.story_of[doc] = story_id
        members = self.members.setdefault(story_id, [])
        members.append(doc)
        if len(members) == 1 or story_id in self.firsts:
            self.firsts[story_id] = min(self.firsts.get(story_id, doc), doc)
        if len(members) == 1 or story_id in self.spans:
            self.spans[story_id] = _widen(self.spans.get(story_id, (math.nan, math.nan)), float(self.times[doc]))

    def merge(self, keep: str, absorbed: str) -> None:
        """Move every document of story absorbed into story keep."""
        moved = self.members.pop(absorbed, [])
        if not moved:
            return
        for doc in moved:
            self.story_of[doc] = keep
        members = self.members.setdefault(keep, [])
        fresh = not members
        members.extend(moved)
        first = self.firsts.pop(absorbed, None)
        first = min(moved) if first is None else first
        span = self.spans.pop(absorbed, None) or self._span_of(moved)
        if fresh or keep in self.firsts:
            self.firsts[keep] = min(self.firsts.get(keep, first), first)
        if fresh or keep in self.spans:
            old = self.spans.get(keep, (math.nan, math.nan))
            self.spans[keep] = _widen(_widen(old, span[0]), span[1])

    def first(self, story_id: str) -> int:
        """The lowest-numbered (earliest folded) document of a story."""
        if story_id not in self.firsts:
            self.firsts[story_id] = min(self.members[story_id])
        return self.firsts[story_id]

    def span(self, story_id: str) -> tuple[float, float]:
        """Earliest and latest known time of a story's documents (NaN, NaN when none is dated)."""
        if story_id in self.spans:
            return self.spans[story_id]
        span = self._span_of(self.members.get(story_id, []))
        if story_id in self.members:
            self.spans[story_id] = span
        return span

    def _span_of(self, docs: Sequence[int]) -> tuple[float, float]:
        """Earliest and latest known time of some documents."""
        times = self.times[list(docs)]
        times = times[~np.isnan(times)]
        return (math.nan, math.nan) if len(times) == 0 else (float(times.min()), float(times.max()))

    def centroid(self, story_id: str) -> NDArray[np.float32]:
        """The mean lead embedding of a story (unit length, or zeros)."""
        docs = self.members.get(story_id, [])
        if not docs:
            return np.zeros(self.dim, dtype=np.float32)
        mean: NDArray[np.float32] = self.embeddings(docs[-64:]).mean(axis=0)
        norm = float(np.linalg.norm(mean))
        return mean / np.float32(norm) if norm > 0 else mean

    @property
    def nbytes(self) -> int:
        """Memory held by the index's arrays (LSH runs, times, embeddings, frequencies)."""
        return int(self.lsh.nbytes + self.times.nbytes + self.vectors.nbytes + self.df.nbytes)


def save_docs(
    conn: Connection,
    index: FoldIndex,
    docs: Sequence[int],
    hashes: Sequence[str | None],
    keys: NDArray[np.uint64],
) -> None:
    """Write new documents' features and the current frequencies to the store (a document's name-key slots follow
    its band keys in the bands column: a store written before them holds band keys only, read as no name keys)."""
    index.loaded_doc = fold_db.save_fold_docs(
        conn,
        [
            fold_db.FoldDoc(
                article_id=index.article_ids[doc],
                group=index.groups[doc],
                at=None if math.isnan(index.times[doc]) else float(index.times[doc]),
                text_hash=text_hash,
                bands=keys[row].tobytes() + index.slots[doc].tobytes(),
                embedding=index.vectors[doc].tobytes(),
            )
            for row, (doc, text_hash) in enumerate(zip(docs, hashes, strict=True))
        ],
    )
    save_df(conn, index)


def save_df(conn: Connection, index: FoldIndex) -> None:
    """Write the index's document frequencies: as the change since what the store holds, or whole (see DF_DELTAS)."""
    count, last = fold_db.df_changes(conn)
    fold_db.set_fold_ndocs(conn, index.ndocs)
    if index.df_stored is None or count >= DF_DELTAS:
        fold_db.replace_fold_df(conn, index.df.tobytes())
    else:
        changed = np.flatnonzero(index.df != index.df_stored).astype(np.int32)
        if len(changed):
            number = last + 1 if last is not None else 0
            change = np.concatenate([changed, index.df[changed] - index.df_stored[changed]]).astype(np.int32)
            fold_db.add_fold_df_change(conn, number, change.tobytes())
    index.df_stored = index.df.copy()


def stored_df(state: dict[str, bytes]) -> NDArray[np.int32] | None:
    """The document frequencies a store's fold_state rows hold (the whole table plus the changes after it)."""
    if "df" not in state:
        return None
    df = np.frombuffer(state["df"], dtype=np.int32).copy()
    for key in sorted(k for k in state if k.startswith("df+")):
        change = np.frombuffer(state[key], dtype=np.int32)
        buckets, by = change[: len(change) // 2], change[len(change) // 2 :]
        df[buckets] += by
    return df


def load_new(conn: Connection, index: FoldIndex) -> int:
    """Bring the index up to date with documents other processes folded since it was loaded; return how many."""
    rows = fold_db.fold_docs_after(conn, index.loaded_doc)
    if not rows:
        return 0
    bands = [np.frombuffer(r.bands, dtype=np.uint64) for r in rows]
    keys = np.stack([b[: lsh.BANDS] for b in bands])
    slots = np.zeros((len(rows), NAME_KEYS), dtype=np.uint64)
    for i, b in enumerate(bands):
        slots[i, : len(b) - lsh.BANDS] = b[lsh.BANDS : lsh.BANDS + NAME_KEYS]
    vectors = np.zeros((len(rows), index.dim), dtype=np.float32)
    for i, row in enumerate(rows):
        stored = np.frombuffer(row.embedding or b"", dtype=np.int8)
        if len(stored) == index.dim:
            vectors[i] = stored.astype(np.float32) / SCALE
    docs = index.add(
        [r.article_id for r in rows],
        [r.group for r in rows],
        [math.nan if r.at is None else r.at for r in rows],
        [r.text_hash for r in rows],
        keys,
        vectors,
        slots,
    )
    for doc, row in zip(docs, rows, strict=True):
        if row.story_id:
            index.place(doc, row.story_id)
    state = integrity_db.fold_state(conn)
    df = stored_df(state)
    if df is not None:
        index.df, index.df_stored = df, df.copy()
        index.ndocs = int(state["ndocs"].decode())
    index.loaded_doc = rows[-1].doc
    log.info("fold index: loaded %d documents from the store", len(docs))
    return len(docs)
