"""The fold index keeps each story's time span and first document as documents are placed and stories merged."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from newsfold.fold.link.index import FoldIndex


def _truth(index: FoldIndex, story: str) -> tuple[tuple[float, float], int]:
    """A story's span and first document, computed from its members."""
    times = [index.times[d] for d in index.members[story] if not math.isnan(index.times[d])]
    span = (min(times), max(times)) if times else (math.nan, math.nan)
    return span, min(index.members[story])


def _same(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("seed", range(20))
def test_spans_and_firsts_match_the_members_after_random_placements(seed: int) -> None:
    """Random joins, merges, re-placements and undated documents, with the cache read at random moments."""
    rng = random.Random(seed)
    n = 300
    times = np.array([math.nan if rng.random() < 0.15 else rng.uniform(0, 1e6) for _ in range(n)])
    index = FoldIndex.standalone([f"a{i}" for i in range(n)], ["g"] * n, times, np.zeros((n, 4), dtype=np.int8))
    for doc in range(n):
        live = [s for s, m in index.members.items() if m]
        roll = rng.random()
        if not live or roll < 0.2:
            index.place(doc, f"s{doc}")
        elif roll < 0.3 and len(live) > 1:
            keep, absorbed = rng.sample(live, 2)
            index.merge(keep, absorbed)
            index.place(doc, keep)
        else:
            index.place(doc, rng.choice(live))
        if rng.random() < 0.1 and doc > 0:  # a document moved to another story (a store reload can do this)
            index.place(rng.randrange(doc), rng.choice([s for s, m in index.members.items() if m]))
        for story in rng.sample(sorted(s for s, m in index.members.items() if m), k=1):
            span, first = _truth(index, story)
            assert _same(index.span(story), span) and index.first(story) == first
    for story, members in index.members.items():
        if members:
            span, first = _truth(index, story)
            assert _same(index.span(story), span) and index.first(story) == first


def test_a_story_of_undated_documents_has_no_span() -> None:
    index = FoldIndex.standalone(["a", "b"], ["g", "g"], np.array([math.nan, math.nan]), np.zeros((2, 4), np.int8))
    index.place(0, "s")
    index.place(1, "s")
    assert all(math.isnan(t) for t in index.span("s"))
    assert index.first("s") == 0
