"""MinHash LSH: the banding catches translated copies (Jaccard ~0.6), skips unrelated texts, caps floods."""

from __future__ import annotations

import random

import numpy as np

from newsfold.fold.features import lsh
from newsfold.fold.features.text import shingles

WORDS = [f"word{i:04d}" for i in range(3000)]


def _pair(jaccard: float, size: int, rng: random.Random) -> tuple[list[str], list[str]]:
    """Two shingle sets of the given size sharing enough items for about the given Jaccard similarity."""
    shared = round(2 * size * jaccard / (1 + jaccard))
    pool = rng.sample(WORDS, 2 * size - shared)
    return pool[:size], pool[:shared] + pool[size:]


def test_banding_catches_pairs_near_0_6_and_skips_unrelated() -> None:
    """With 32 bands of 4 rows, pairs of Jaccard 0.6 are found (>= 95%), pairs of 0.1 almost never (<= 5%)."""
    rng = random.Random(3)
    found = {0.6: 0, 0.1: 0}
    for jaccard in found:
        for trial in range(100):
            a, b = _pair(jaccard, 150, rng)
            keys = lsh.band_keys(lsh.signatures([a, b]))
            index = lsh.LshIndex()
            index.add_many([trial], keys[:1])
            found[jaccard] += bool(index.query_many(keys[1:], 10)[0])
    assert found[0.6] >= 95
    assert found[0.1] <= 5


def test_query_ranks_by_shared_bands_and_respects_limit() -> None:
    """The closest document comes first; at most limit are returned."""
    rng = random.Random(5)
    base = rng.sample(WORDS, 200)
    variants = [base[: 200 - k * 20] + rng.sample(WORDS, k * 20) for k in range(6)]
    keys = lsh.band_keys(lsh.signatures(variants))
    index = lsh.LshIndex()
    index.add_many(list(range(1, 6)), keys[1:])
    hits = index.query_many(keys[:1], 3)[0]
    assert len(hits) <= 3
    assert hits[0][0] == 1


def test_thousands_of_identical_copies_stay_bounded() -> None:
    """A band shared by thousands of documents yields at most bucket_cap of them per sorted run, the newest."""
    keys = lsh.band_keys(lsh.signatures([shingles("the same story " * 50)] * 3000))
    index = lsh.LshIndex(bucket_cap=100)
    for start in range(0, 3000, 500):
        index.add_many(list(range(start, start + 500)), keys[start : start + 500])
    hits = index.query_many(keys[:1], 1000)[0]
    assert len(hits) <= 100 * len(index.runs) < 3000
    assert max(doc for doc, _ in hits) == 2999


def test_empty_text_gets_no_band_keys() -> None:
    """Documents marked empty are indexed under no key and find nothing."""
    sigs = lsh.signatures([["a"], ["a"]])
    keys = lsh.band_keys(sigs, empty=np.array([True, True]))
    index = lsh.LshIndex()
    index.add_many([0], keys[:1])
    assert index.query_many(keys[1:], 5) == [[]]
