"""MinHash signatures (rensa) and a banded LSH index held in sorted numpy arrays, compact enough for 1M articles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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


Run = tuple[NDArray[np.uint64], NDArray[np.int32]]  # band keys, document numbers (12 bytes an entry)


@dataclass(slots=True)
class LshIndex:
    """Band keys of every indexed document in sorted runs (log-structured), compact enough for 1M documents.

    Each added batch becomes a sorted run and runs of similar size are merged, so adding costs O(log n) amortised
    and a query is one vectorised binary search per run (at most about log2(n) runs).
    """

    runs: list[Run] = field(default_factory=list)
    bucket_cap: int = 32

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
        self.runs.append((flat, owners))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (new_keys, new_docs), (old_keys, old_docs) = self.runs.pop(), self.runs.pop()
            # a linear merge of two sorted runs; newer entries go after older ones with the same key
            at = np.searchsorted(old_keys, new_keys, side="right")
            self.runs.append((np.insert(old_keys, at, new_keys), np.insert(old_docs, at, new_docs)))

    def newest(self, needles: NDArray[np.uint64], cap: int) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
        """(key, document) entries: for each distinct needle key, its newest `cap` indexed documents (across runs:
        runs hold increasing document ranges, and a key's entries within a run are in document order)."""
        needles = np.unique(needles[needles != _EMPTY_KEY])
        remaining = np.full(len(needles), cap, dtype=np.int64)
        found_keys: list[NDArray[np.uint64]] = []
        found_docs: list[NDArray[np.int64]] = []
        for run_keys, run_docs in reversed(self.runs):
            # one binary search per needle: most needles are in no run, and only those found need their bucket's
            # end (at 1M documents the searches are most of a query's time, and they are cache misses)
            lo = np.searchsorted(run_keys, needles, side="left")
            inside = np.flatnonzero(lo < len(run_keys))
            sel = inside[run_keys[lo[inside]] == needles[inside]]
            if len(sel) == 0:
                continue
            hi = np.searchsorted(run_keys, needles[sel], side="right")
            counts = np.minimum(hi - lo[sel], remaining[sel])
            sel, hi, counts = sel[counts > 0], hi[counts > 0], counts[counts > 0]
            if len(sel) == 0:
                continue
            starts = hi - counts
            total = int(counts.sum())
            offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
            found_keys.append(run_keys[offsets])
            found_docs.append(run_docs[offsets].astype(np.int64))
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
        out: list[list[tuple[int, int]]] = [[] for _ in range(len(numbers))]
        if len(numbers) == 0:
            return out
        rows = (firsts - numbers[0]).tolist()  # docs are consecutive
        for row, doc, count in zip(rows, seconds.tolist(), shared.tolist(), strict=True):
            out[row].append((doc, count))
        return out

    def query_many(self, keys: NDArray[np.uint64], limit: int) -> list[list[tuple[int, int]]]:
        """For each row of band keys, queried on its own against the index: (document, shared bands) pairs, most
        shared first, then newest; at most limit (a key yields its newest bucket_cap documents)."""
        first = max((int(d.max()) for _, d in self.runs if len(d)), default=-1) + 1
        out: list[list[tuple[int, int]]] = []
        for row in range(keys.shape[0]):
            out += self.query_earlier(keys[row : row + 1], [first], limit)
        return out

    @property
    def nbytes(self) -> int:
        """Memory held by the sorted runs."""
        return int(sum(k.nbytes + d.nbytes for k, d in self.runs))


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
