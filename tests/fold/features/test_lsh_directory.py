"""The LSH index's run directories: searches through a directory answer what a plain binary search answers."""

from __future__ import annotations

import random

import numpy as np

from newsfold.fold.features import lsh
from newsfold.fold.features.lsh import LshIndex, Run

TOP = 2**64 - 1


def boundary_keys(bits: int, rng: random.Random, count: int) -> np.ndarray:
    """Keys on and next to the directory's slot boundaries (top `bits` bits), the extremes, and random ones."""
    shift = 64 - bits
    edges: list[int] = [1, 2, TOP, TOP - 1, 1 << 63, (1 << 63) - 1]
    for _ in range(count):
        slot = rng.randrange(1 << bits)
        edges += [slot << shift, (slot << shift) | ((1 << shift) - 1), max(1, (slot << shift) - 1)]
    edges += [rng.randrange(1, 2**64) for _ in range(count)]
    return np.array([k for k in edges if k], dtype=np.uint64)


def brute_newest(entries: list[tuple[int, int]], needles: np.ndarray, cap: int) -> list[tuple[int, int]]:
    """The definition of LshIndex.newest: each distinct non-zero needle's newest cap documents."""
    out = []
    for key in {int(k) for k in needles if k}:
        docs = sorted(d for k, d in entries if k == key)
        out += [(key, d) for d in docs[-cap:]]
    return sorted(out)


def test_directory_search_equals_numpy_searchsorted() -> None:
    """lower_bounds through a directory is searchsorted(side=left) for any needle, in or out of the run, on slot
    boundaries, at 1 and at 2**64 - 1; upper_bounds of found needles is searchsorted(side=right)."""
    rng = random.Random(11)
    for size in (1, 2, 3, 17, 1000):
        keys = np.sort(boundary_keys(8, rng, size))
        keys = np.sort(np.concatenate([keys, keys[: size // 3]]))  # repeated keys: buckets of several documents
        run = Run.build(keys, np.arange(len(keys), dtype=np.int32), directory_min=1)
        assert run.bits >= 1 and run.directory[0] == 0 and run.directory[-1] == len(keys)
        needles = np.unique(np.concatenate([keys, boundary_keys(run.bits, rng, 200)]))
        np.testing.assert_array_equal(run.lower_bounds(needles), keys.searchsorted(needles, side="left"))
        found = needles[np.isin(needles, keys)]
        lower = keys.searchsorted(found, side="left").astype(np.int64)
        np.testing.assert_array_equal(run.upper_bounds(found, lower), keys.searchsorted(found, side="right"))


def test_a_short_run_has_no_directory_and_an_empty_run_finds_nothing() -> None:
    """Runs shorter than directory_min are searched without a directory; an empty run never gets one."""
    keys = np.array([5, 9, 9], dtype=np.uint64)
    assert Run.build(keys, np.arange(3, dtype=np.int32), directory_min=4).bits == 0
    empty = Run.build(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32), directory_min=0)
    assert empty.bits == 0 and len(empty.lower_bounds(keys)) == 3
    index = LshIndex(directory_min=1)
    index.add_many([0, 1], np.zeros((2, lsh.BANDS), dtype=np.uint64))  # documents without keys: an empty run
    assert len(index.runs) == 1 and len(index.runs[0].keys) == 0
    assert index.query_earlier(np.full((1, lsh.BANDS), 7, dtype=np.uint64), [2], 5) == [[]]


def test_index_with_directories_equals_the_definition_through_merges() -> None:
    """Batches of every size (some without keys, some flooding one key) merged into runs with directories: newest
    and query_earlier give what the definition and an index without directories give."""
    rng = random.Random(5)
    pool = boundary_keys(6, rng, 40)
    with_dir, plain = LshIndex(bucket_cap=3, directory_min=1), LshIndex(bucket_cap=3, directory_min=10**9)
    entries: list[tuple[int, int]] = []
    doc = 0
    for batch in [1, 5, 0, 64, 3, 200, 2, 7, 130, 1, 1, 40]:
        keys = np.array(rng.choices(pool.tolist(), k=batch * lsh.BANDS), dtype=np.uint64).reshape(batch, lsh.BANDS)
        if batch > 4:
            keys[rng.randrange(batch)] = 0  # a document with no keys
            keys[:, 0] = pool[0]  # a flood: every document under one key
        docs = list(range(doc, doc + batch))
        assert with_dir.query_earlier(keys, docs, 6) == plain.query_earlier(keys, docs, 6)
        needles = np.concatenate([keys.ravel(), boundary_keys(6, rng, 5), np.zeros(3, dtype=np.uint64)])
        got = sorted(zip(*(a.tolist() for a in with_dir.newest(needles, 3)), strict=True))
        assert got == brute_newest(entries, needles, 3)
        with_dir.add_many(docs, keys)
        plain.add_many(docs, keys)
        entries += [(int(k), d) for d, row in zip(docs, keys, strict=True) for k in set(row.tolist()) if k]
        doc += batch
    assert any(run.bits for run in with_dir.runs) and len(with_dir.runs) > 1, "merged runs with directories"
    assert with_dir.nbytes > plain.nbytes, "directories are counted in the index's memory"
