"""Placement, folding's second phase: from a document's verified edges, join a story, start one, or merge several.

A pure in-memory function of the edges, the documents' times and lead vectors, and the stories placed so far (a
FoldIndex): no store access. The incremental folder applies each decision to the store as it goes; the distributed
batch fold runs it per connected component of the edge graph (a story never spans two components) and computes the
stories' rows from the decisions there (fold/batch/outcome.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.link.index import FoldIndex
from newsfold.fold.link.link import Edge
from newsfold.fold.link.verify import DAY


@dataclass(slots=True, frozen=True)
class PlaceSettings:
    """What placement needs of the fold settings."""

    max_story_days: float
    centroid_floor: float
    story_share: float = 2 / 3
    share_members: int = 12


@dataclass(slots=True, frozen=True)
class Decision:
    """Where a document goes: its story, whether that story is new (its id is the document's article id), and the
    stories it absorbs (merged into it, oldest first)."""

    story: str
    created: bool
    absorbed: tuple[str, ...] = ()


def _too_long(index: FoldIndex, story: str, t: float, settings: PlaceSettings) -> bool:
    """Whether adding a document of time t would stretch a story beyond max_story_days (copies too: a text
    re-published for months must not chain into one endless story)."""
    first, last = index.span(story)
    if math.isnan(t) or math.isnan(first):
        return False
    return max(last, t) - min(first, t) > settings.max_story_days * DAY


def _off_centre(index: FoldIndex, story: str, vector: NDArray[np.int8], settings: PlaceSettings) -> bool:
    """Whether a lead is too far from a story's centroid to join it by a report link (caps single-link chains)."""
    if not np.any(vector):
        return False
    centroid = index.centroid(story).astype(np.float64)
    return float(vector.astype(np.float64) @ centroid) / 127.0 < settings.centroid_floor


def _agrees(index: FoldIndex, story: str, linked: int, settings: PlaceSettings) -> bool:
    """Whether a document's edges reach enough of a story's members (agreement, capped at share_members)."""
    size = min(len(index.members.get(story, [])), settings.share_members)
    return linked >= settings.story_share * max(1, size) - 1e-9


def decide(index: FoldIndex, doc: int, edges: Sequence[Edge], settings: PlaceSettings) -> Decision:
    """Where document doc goes, given its edges to earlier documents (whose stories index knows): a story linked
    by a copy edge, or by report edges to a share of its members, or by a report edge with the document's lead
    near the story's centroid; a document whose lead is unread joins one story by report edges, never two."""
    t = float(index.times[doc])
    vector = index.vectors[doc]
    linked: dict[str, bool] = {}
    count: dict[str, int] = {}
    for cand, relation, _ in edges:
        story = index.story_of[cand]
        linked[story] = linked.get(story, False) or relation == "copy"
        count[story] = count.get(story, 0) + 1
    accepted = [
        story
        for story, by_copy in linked.items()
        if not _too_long(index, story, t, settings)
        and (
            by_copy or _agrees(index, story, count[story], settings) or not _off_centre(index, story, vector, settings)
        )
    ]
    if not accepted:
        return Decision(index.article_ids[doc], True)
    if not np.any(vector):
        # a lead the encoder cannot read has no centroid to be near: by report edges alone it joins the one story
        # it links most (then the oldest) and bridges none (a story it copies still merges)
        reported = [story for story in accepted if not linked[story]]
        if reported:
            best = min(reported, key=lambda story: (-count[story], index.first(story)))
            accepted = [story for story in accepted if linked[story] or story == best]
    accepted.sort(key=index.first)
    return Decision(accepted[0], False, tuple(accepted[1:]))


def apply(index: FoldIndex, doc: int, decision: Decision) -> None:
    """Record a decision in the index: merge the absorbed stories, then place the document."""
    for old in decision.absorbed:
        index.merge(decision.story, old)
    index.place(doc, decision.story)
