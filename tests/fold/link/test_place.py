"""Placement's chaining safeguard: a report joins a story as a whole (edges to a share of its members, or its lead
near the story's centroid), not through one member."""

from __future__ import annotations

import numpy as np

from newsfold.fold.link.index import FoldIndex
from newsfold.fold.link.link import Edge
from newsfold.fold.link.place import PlaceSettings, decide

SETTINGS = PlaceSettings(max_story_days=45.0, centroid_floor=0.45, story_share=2 / 3)


def story_of_three() -> FoldIndex:
    """Three undated documents in story "s" (leads along axis 0) and a fourth, unplaced, whose lead is
    orthogonal to them (far from the centroid: only the share of members it links to can admit it)."""
    index = FoldIndex(dim=4)
    vectors = np.array([[1, 0, 0, 0]] * 3 + [[0, 1, 0, 0]], dtype=np.float32)
    index.add(
        [f"a{i}" for i in range(4)], ["news"] * 4, [np.nan] * 4, [None] * 4, np.zeros((4, 32), np.uint64), vectors
    )
    for doc in range(3):
        index.place(doc, "s")
    return index


def test_one_link_to_a_story_far_from_its_centroid_starts_a_new_story() -> None:
    """A report edge to one of three members (a single-link chain's step) does not join the story."""
    edges: list[Edge] = [(2, "report", 0.9)]
    decision = decide(story_of_three(), 3, edges, SETTINGS)
    assert decision.created and decision.story == "a3"


def test_links_to_most_members_join_the_story() -> None:
    """Report edges to two of three members (at least story_share of them) join it, lead far or not."""
    edges: list[Edge] = [(1, "report", 0.8), (2, "report", 0.9)]
    decision = decide(story_of_three(), 3, edges, SETTINGS)
    assert not decision.created and decision.story == "s"


def test_a_copy_edge_joins_through_one_member() -> None:
    """A copy is the same text: one copy edge is enough."""
    decision = decide(story_of_three(), 3, [(0, "copy", 0.95)], SETTINGS)
    assert decision.story == "s"


def test_a_one_member_story_is_joined_by_its_one_edge() -> None:
    """A story of one: the edge to it is all of its members."""
    index = story_of_three()
    index.place(1, "t")
    index.place(2, "u")
    decision = decide(index, 3, [(2, "report", 0.7)], SETTINGS)
    assert decision.story == "u"


def test_an_unread_lead_joins_one_story_and_bridges_none() -> None:
    """A document whose lead is unread (zero vector) joins the story it has most report edges to, and does not
    merge it with another story it also reports; a copy edge still merges."""
    index = FoldIndex(dim=4)
    vectors = np.array([[1, 0, 0, 0]] * 3 + [[0, 0, 0, 0]], dtype=np.float32)
    index.add(
        [f"a{i}" for i in range(4)], ["news"] * 4, [np.nan] * 4, [None] * 4, np.zeros((4, 32), np.uint64), vectors
    )
    index.place(0, "s")
    index.place(1, "t")
    index.place(2, "t")
    reports: list[Edge] = [(0, "report", 0.9), (1, "report", 0.8), (2, "report", 0.7)]
    decision = decide(index, 3, reports, SETTINGS)
    assert decision.story == "t" and decision.absorbed == ()
    decision = decide(index, 3, [(0, "copy", 0.9), (1, "report", 0.8)], SETTINGS)
    assert decision.story == "s" and decision.absorbed == ("t",)
