"""MinHash signatures (rensa) and a banded LSH index held in sorted numpy arrays, compact enough for 1M articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rensa import RMinHash

# bands x rows: a pair of Jaccard similarity s becomes a candidate with probability 1 - (1 - s**rows)**bands.
# 32 x 4 (128 permutations): s=0.6 -> 0.99, s=0.5 -> 0.87, s=0.4 -> 0.56, s=0.2 -> 0.05 (a banding tuned for a
# 0.8 threshold, e.g. 9 x 13, gives s=0.6 about 0.01, which loses translated copies such as the seeds).
BANDS = 32
ROWS = 4
NUM_PERM = BANDS * ROWS
SEED = 1729
_MIX = np.uint64(0x9E3779B97F4A7C15)
_EMPTY_KEY = np.uint64(0)


def signatures(shingle_sets: Sequence[Sequence[str]]) -> NDArray[np.uint32]:
    """MinHash signatures, one row of NUM_PERM values per shingle set (rensa, hashed in Rust)."""
    if not shingle_sets:
        return np.zeros((0, NUM_PERM), dtype=np.uint32)
    matrix = RMinHash.digest_matrix_from_token_sets([list(s) for s in shingle_sets], NUM_PERM, SEED)
    return np.asarray(matrix.to_rows(), dtype=np.uint32).reshape(len(shingle_sets), NUM_PERM)


def band_keys(sigs: NDArray[np.uint32], empty: NDArray[np.bool_] | None = None) -> NDArray[np.uint64]:
    """Collapse each band of ROWS signature values into one 64-bit key (band number mixed in); 0 marks no key."""
    n = sigs.shape[0]
    rows = sigs.reshape(n, BANDS, ROWS).astype(np.uint64)
    keys = np.zeros((n, BANDS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            keys = (keys ^ rows[:, :, r]) * _MIX
            keys ^= keys >> np.uint64(29)
        keys ^= (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(0xBF58476D1CE4E5B9)
    keys[keys == _EMPTY_KEY] = np.uint64(1)
    if empty is not None:
        keys[empty] = _EMPTY_KEY
    return keys


DIRECTORY_MIN = 1 << 15  # runs this long get a directory (shorter ones fit in the cache: a plain binary search)
SLOT_ENTRIES = 2  # a directory has a slot for about this many entries of its run (1 to 2 slots in fact: a power of 2)
_CHUNK = 1 << 20


@dataclass(slots=True)
class Run:
    """One sorted run: band keys in order, their documents (12 bytes an entry), and for a long run a directory.

    The directory maps the top `bits` bits of a key to where its keys start (keys are well-mixed hashes, so a slot
    holds about SLOT_ENTRIES entries): a needle is searched in its slot's few entries, one or two cache lines,
    instead of by a binary search over the whole run (a cache miss at every step in a run of millions).
    """

    keys: NDArray[np.uint64]
    docs: NDArray[np.int32]
    bits: int = 0
    directory: NDArray[np.signedinteger[Any]] = field(default_factory=lambda: np.zeros(0, dtype=np.int32))

    @classmethod
    def build(cls, keys: NDArray[np.uint64], docs: NDArray[np.int32], directory_min: int) -> Run:
        """A run of sorted keys and their documents, with a directory when it has at least directory_min entries."""
        run = cls(keys, docs)
        if len(keys) < max(directory_min, 1):
            return run
        run.bits = max(1, (len(keys) // SLOT_ENTRIES).bit_length())
        shift = np.uint64(64 - run.bits)
        # counted in chunks (the keys are sorted, so a chunk's slots are a short range): no temporary array as
        # long as the run, which at 1M documents is 32M entries
        run.directory = np.zeros((1 << run.bits) + 1, dtype=np.int32 if len(keys) < 2**31 else np.int64)
        for start in range(0, len(keys), _CHUNK):
            slots = (keys[start : start + _CHUNK] >> shift).astype(np.intp)
            first = int(slots[0])
            counts = np.bincount(slots - first)
            run.directory[first + 1 : first + 1 + len(counts)] += counts.astype(run.directory.dtype)
        np.cumsum(run.directory, out=run.directory)
        return run

    def lower_bounds(self, needles: NDArray[np.uint64]) -> NDArray[np.int64]:
        """For each (sorted) needle, where it would go in the run's keys (numpy's searchsorted, side left)."""
        if not self.bits:
            return self.keys.searchsorted(needles, side="left").astype(np.int64)
        slots = (needles >> np.uint64(64 - self.bits)).astype(np.intp)
        lo, hi = self.directory[slots].astype(np.int64), self.directory[slots + 1].astype(np.int64)
        out = lo.copy()  # an empty slot: the needle goes where the slot starts
        filled = np.flatnonzero(hi > lo)
        out[filled] = _search(self.keys, needles[filled], lo[filled], hi[filled], right=False)
        return out

    def upper_bounds(self, needles: NDArray[np.uint64], lower: NDArray[np.int64]) -> NDArray[np.int64]:
        """For needles found in the run at lower (their lower bounds), where their entries end (side right)."""
        if not self.bits:
            return self.keys.searchsorted(needles, side="right").astype(np.int64)
        slots = (needles >> np.uint64(64 - self.bits)).astype(np.intp)
        return _search(self.keys, needles, lower, self.directory[slots + 1].astype(np.int64), right=True)

    @property
    def nbytes(self) -> int:
        """Memory held by the run and its directory."""
        return int(self.keys.nbytes + self.docs.nbytes + self.directory.nbytes)


def _search(
    keys: NDArray[np.uint64], needles: NDArray[np.uint64], lo: NDArray[np.int64], hi: NDArray[np.int64], right: bool
) -> NDArray[np.int64]:
    """Vectorised binary search of each needle within its own range keys[lo:hi] (never empty): the first position
    whose key is >= the needle (> the needle when right), hi when there is none."""
    base, size = lo.copy(), hi - lo
    if len(size) == 0:
        return base
    for _ in range(int(size.max()).bit_length()):  # each step halves every range; a range of one stays put
        half = size >> 1
        mid = base + half
        below = keys[mid] <= needles if right else keys[mid] < needles
        base = np.where(below, mid, base)
        size -= half
    last = keys[base] <= needles if right else keys[base] < needles
    return base + last


@dataclass(slots=True)
class LshIndex:
    """Band keys of every indexed document in sorted runs (log-structured), compact enough for 1M documents.

    Each added batch becomes a sorted run and runs of similar size are merged, so adding costs O(log n) amortised;
    a query searches each run once, a long run through its directory (see Run).
    """

    runs: list[Run] = field(default_factory=list)
    bucket_cap: int = 32
    directory_min: int = DIRECTORY_MIN

    def add_many(self, docs: Sequence[int], keys: NDArray[np.uint64]) -> None:
        """Index documents (by number) under their band keys, one row of keys per document."""
        if len(docs) == 0:
            return
        flat = keys.ravel()
        owners = np.repeat(np.asarray(docs, dtype=np.int32), keys.shape[1])
        keep = flat != _EMPTY_KEY
        flat, owners = flat[keep], owners[keep]
        order = np.argsort(flat, kind="stable")
        flat, owners = flat[order], owners[order]
        if len(flat):  # a document under one key twice (two equal bands) is indexed once
            fresh = np.ones(len(flat), dtype=bool)
            fresh[1:] = (flat[1:] != flat[:-1]) | (owners[1:] != owners[:-1])
            flat, owners = flat[fresh], owners[fresh]
        while self.runs and len(self.runs[-1].keys) <= 2 * len(flat):
            old = self.runs.pop()
            # a linear merge of two sorted runs; newer entries go after older ones with the same key
            at = np.searchsorted(old.keys, flat, side="right")
            flat, owners = np.insert(old.keys, at, flat), np.insert(old.docs, at, owners)
        self.runs.append(Run.build(flat, owners, self.directory_min))

    def newest(self, needles: NDArray[np.uint64], cap: int) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
        """(key, document) entries: for each distinct needle key, its newest `cap` indexed documents (across runs:
        runs hold increasing document ranges, and a key's entries within a run are in document order)."""
        needles = np.sort(needles[needles != _EMPTY_KEY])
        if len(needles):
            needles = needles[np.concatenate(([True], needles[1:] != needles[:-1]))]
        remaining = np.full(len(needles), cap, dtype=np.int64)
        found_keys: list[NDArray[np.uint64]] = []
        found_docs: list[NDArray[np.int64]] = []
        for run in reversed(self.runs):
            # one search per needle: most needles are in no run, and only those found need their bucket's end
            lo = run.lower_bounds(needles)
            inside = np.flatnonzero(lo < len(run.keys))
            sel = inside[run.keys[lo[inside]] == needles[inside]]
            if len(sel) == 0:
                continue
            hi = run.upper_bounds(needles[sel], lo[sel])
            counts = np.minimum(hi - lo[sel], remaining[sel])
            sel, hi, counts = sel[counts > 0], hi[counts > 0], counts[counts > 0]
            if len(sel) == 0:
                continue
            starts = hi - counts
            total = int(counts.sum())
            offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
            found_keys.append(run.keys[offsets])
            found_docs.append(run.docs[offsets].astype(np.int64))
            remaining[sel] -= counts
        if not found_keys:
            return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        return np.concatenate(found_keys), np.concatenate(found_docs)

    def query_earlier(self, keys: NDArray[np.uint64], docs: Sequence[int], limit: int) -> list[list[tuple[int, int]]]:
        """LSH candidates of new documents (numbered after every indexed one), before they are added.

        For document d: earlier documents (indexed, or earlier rows of this call) sharing a band key with it, a key
        contributing only its newest bucket_cap earlier documents; ranked by shared bands, then newest; the first
        limit. This depends on the fold order only, not on how documents are cut into batches.
        """
        numbers = np.asarray(docs, dtype=np.int64)
        old_keys, old_docs = self.newest(keys.ravel(), self.bucket_cap)
        all_keys = np.concatenate([old_keys, keys.ravel()])
        all_docs = np.concatenate([old_docs, np.repeat(numbers, keys.shape[1])])
        owner = np.concatenate([np.zeros(len(old_keys), dtype=bool), np.ones(keys.size, dtype=bool)])
        pairs = bucket_pairs(all_keys, all_docs, self.bucket_cap, owner)
        firsts, seconds, shared = top_candidates(*pairs, limit)
        if len(numbers) == 0:
            return []
        # pairs come sorted by document, and docs are consecutive: each document's pairs are one slice
        ends = np.cumsum(np.bincount(firsts - numbers[0], minlength=len(numbers))).tolist()
        hits = list(zip(seconds.tolist(), shared.tolist(), strict=True))
        return [hits[start:end] for start, end in zip([0, *ends[:-1]], ends, strict=True)]

    def query_many(self, keys: NDArray[np.uint64], limit: int) -> list[list[tuple[int, int]]]:
        """For each row of band keys, queried on its own against the index: (document, shared bands) pairs, most
        shared first, then newest; at most limit (a key yields its newest bucket_cap documents)."""
        first = max((int(run.docs.max()) for run in self.runs if len(run.docs)), default=-1) + 1
        out: list[list[tuple[int, int]]] = []
        for row in range(keys.shape[0]):
            out += self.query_earlier(keys[row : row + 1], [first], limit)
        return out

    @property
    def nbytes(self) -> int:
        """Memory held by the sorted runs and their directories."""
        return sum(run.nbytes for run in self.runs)


def bucket_pairs(
    keys: NDArray[np.uint64],
    docs: NDArray[np.int64],
    cap: int,
    owner: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The band-bucket step of LSH: for each (key, document) entry (of an owner entry, when owner is given), pairs
    (document, earlier document) with each of the newest `cap` earlier documents under the same key.

    One function for the local index (a batch's keys with the index's newest entries) and for a partition of the
    distributed band shuffle (every entry whose key hashes to the partition).
    """
    keep = keys != _EMPTY_KEY
    owned = np.ones(len(keys), dtype=bool) if owner is None else owner
    keys, docs, owned = keys[keep], docs[keep], owned[keep]
    order = np.lexsort((docs, keys))
    keys, docs, owned = keys[order], docs[order], owned[order]
    if len(keys):  # one document twice under one key (two equal bands) counts once
        fresh = np.ones(len(keys), dtype=bool)
        fresh[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
        keys, docs, owned = keys[fresh], docs[fresh], owned[fresh]
    position = np.arange(len(keys))
    counts = np.where(owned, np.minimum(position - np.searchsorted(keys, keys, side="left"), cap), 0)
    total = int(counts.sum())
    offsets = np.repeat(position - counts - (np.cumsum(counts) - counts), counts) + np.arange(total)
    return np.repeat(docs, counts), docs[offsets]


def top_candidates(
    firsts: NDArray[np.int64], seconds: NDArray[np.int64], limit: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Pairs counted into (document, candidate, shared bands), sorted by document, then most shared, then newest
    candidate; at most limit candidates a document."""
    if len(firsts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    combined = (firsts.astype(np.int64) << np.int64(32)) | seconds.astype(np.int64)
    pairs, shared = np.unique(combined, return_counts=True)
    first, second = pairs >> np.int64(32), pairs & np.int64((1 << 32) - 1)
    order = np.lexsort((-second, -shared, first))
    first, second, shared = first[order], second[order], shared[order]
    rank = np.arange(len(first)) - np.searchsorted(first, first, side="left")
    keep = rank < limit
    return first[keep], second[keep], shared[keep].astype(np.int64)
