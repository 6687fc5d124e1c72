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
        self.runs.append((flat[order], owners[order]))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (new_keys, new_docs), (old_keys, old_docs) = self.runs.pop(), self.runs.pop()
            # a linear merge of two sorted runs; newer entries go after older ones with the same key
            at = np.searchsorted(old_keys, new_keys, side="right")
            self.runs.append((np.insert(old_keys, at, new_keys), np.insert(old_docs, at, new_docs)))

    def query_many(self, keys: NDArray[np.uint64], limit: int) -> list[list[tuple[int, int]]]:
        """For each row of band keys: (document, shared bands) pairs, most shared first, then newest; at most limit.

        A band shared by more than bucket_cap documents of a run (thousands of identical copies) yields only the
        run's newest bucket_cap, so one flood cannot make every query slow.
        """
        m = keys.shape[0]
        flat = keys.ravel()
        rows = np.repeat(np.arange(m, dtype=np.int64), keys.shape[1])
        keep = flat != _EMPTY_KEY
        flat, rows = flat[keep], rows[keep]
        order = np.argsort(flat)  # sorted needles let each binary search start where the last one ended
        flat, rows = flat[order], rows[order]
        hit_rows: list[NDArray[np.int64]] = []
        hit_docs: list[NDArray[np.int32]] = []
        for run_keys, run_docs in self.runs:
            hi = np.searchsorted(run_keys, flat, side="right")
            counts = np.minimum(hi - np.searchsorted(run_keys, flat, side="left"), self.bucket_cap)
            sel = counts > 0
            if not sel.any():
                continue
            counts, starts = counts[sel], hi[sel] - counts[sel]
            total = int(counts.sum())
            offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
            hit_docs.append(run_docs[offsets])
            hit_rows.append(np.repeat(rows[sel], counts))
        out: list[list[tuple[int, int]]] = [[] for _ in range(m)]
        if not hit_docs:
            return out
        combined = (np.concatenate(hit_rows) << np.int64(40)) | np.concatenate(hit_docs).astype(np.int64)
        pairs, shared = np.unique(combined, return_counts=True)
        pair_rows, pair_docs = pairs >> np.int64(40), pairs & np.int64((1 << 40) - 1)
        order = np.lexsort((-pair_docs, -shared, pair_rows))
        pair_rows, pair_docs, shared = pair_rows[order], pair_docs[order], shared[order]
        # cut each row to its first `limit` pairs before any Python loop (rows come sorted)
        rank = np.arange(len(pair_rows)) - np.searchsorted(pair_rows, pair_rows, side="left")
        keep = rank < limit
        for row, doc, count in zip(
            pair_rows[keep].tolist(), pair_docs[keep].tolist(), shared[keep].tolist(), strict=True
        ):
            out[row].append((doc, count))
        return out

    @property
    def nbytes(self) -> int:
        """Memory held by the sorted runs."""
        return int(sum(k.nbytes + d.nbytes for k, d in self.runs))
