"""Name-key neighbours: candidates across scripts for pairs of which one lead is unread, as defined."""

from __future__ import annotations

import numpy as np

from newsfold.fold.link.link import KEY_SHARED, RECENT, Leads, LinkSettings, key_neighbours, neighbours
from newsfold.fold.link.pairs import load_pair_model
from newsfold.fold.link.verify import DAY


def by_definition(  # noqa: PLR0913  the pool's columns and the cap, as key_neighbours reads them
    docs: list[int], vectors: np.ndarray, times: np.ndarray, groups: list[str], slots: np.ndarray, limit: int
) -> list[list[int]]:
    """Pair by pair: earlier documents of the group, one of the two leads unread, sharing >= KEY_SHARED non-empty
    slots, within the window (among the RECENT previous when either is undated); most shared first, then newest."""
    out = []
    for doc in docs:
        own = {int(k) for k in slots[doc] if k}
        found = []
        for other in range(doc):
            if groups[other] != groups[doc] or (np.any(vectors[doc]) and np.any(vectors[other])):
                continue
            if np.isnan(times[doc]) or np.isnan(times[other]):
                if doc - other > RECENT:
                    continue
            elif abs(times[doc] - times[other]) > 7 * DAY:
                continue
            shared = sum(1 for k in slots[other] if int(k) in own)
            if len(own) >= KEY_SHARED and shared >= KEY_SHARED:
                found.append((-shared, -other))
        out.append([-other for _, other in sorted(found)[:limit]])
    return out


def test_key_neighbours_follow_the_definition() -> None:
    """key_neighbours() equals the definition over unread and read leads, undated documents and two groups."""
    rng = np.random.default_rng(15)
    n, first = 300, 240
    vectors = (rng.integers(-2, 3, size=(n, 6)) * 40).astype(np.int8)
    vectors[rng.random(n) < 0.3] = 0  # unread leads
    times = np.where(rng.random(n) < 0.15, np.nan, np.sort(rng.random(n)) * 20 * DAY)
    groups = ["press_release" if g else "article" for g in rng.random(n) < 0.2]
    slots = rng.integers(1, 40, size=(n, 16)).astype(np.uint64)
    slots[rng.random((n, 16)) < 0.5] = 0
    settings = LinkSettings(7.0, 0.7, 0.8, 1.0, 0.7, 0.99, 5, load_pair_model(), 0.99)
    docs = list(range(first, n))
    pool = np.arange(n, dtype=np.int64)
    block = Leads(np.asarray(docs, dtype=np.int64), vectors[first:], times[first:], groups[first:], slots[first:])
    among = Leads(pool, vectors, times, groups, slots)
    found = key_neighbours(block, among, settings)
    assert found == by_definition(docs, vectors, times, groups, slots, settings.candidates)
    assert sum(1 for f in found if f) > len(docs) // 4
    lead_only = neighbours(Leads(block.docs, block.vectors, block.times, block.groups), among, settings)
    both = neighbours(block, among, settings)
    assert both == [lead + [d for d in keyed if d not in lead] for lead, keyed in zip(lead_only, found, strict=True)]
