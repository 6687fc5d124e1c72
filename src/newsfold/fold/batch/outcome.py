"""What a batch fold stores, computed per connected component from its placement decisions, without a store.

The incremental folder writes each decision to the store, then, after each fold batch, recomputes provenance
(fold.link.provenance) and refreshes the metadata (store.stories) of every story the batch changed. For one component
this module computes the same end state from the same functions, called once per story instead of once per batch:

- each member's final story, relation and copy_of (provenance.story_placements over the story's final members);
- each live story's row (stories.story_fields over its final members);
- each merged story's row as the store leaves it: its metadata from its last refresh, i.e. over its members at the
  start of the batch that absorbed it (a story's member list only grows, so the length it had when it first changed
  in that batch marks them), size 0, merged_into the live story it ended in; a story created and absorbed in one
  batch was never refreshed and keeps the row create_story wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.link.index import FoldIndex
from newsfold.fold.link.link import Edge
from newsfold.fold.link.place import PlaceSettings, apply, decide
from newsfold.fold.link.provenance import MEMBER_COLUMNS, story_placements
from newsfold.store.stories import STORY_SOURCE_COLUMNS, StoryFields, story_fields

# the article columns the outcome reads (a member's row: provenance's and the story metadata's columns)
META_COLUMNS = tuple(dict.fromkeys(c for c in (*MEMBER_COLUMNS, *STORY_SOURCE_COLUMNS) if c != "relation"))
# a story row, in the stories table's column order (highlights and created are the store's defaults)
STORY_COLUMNS = (
    "id",
    "title",
    "languages",
    "first_published",
    "last_updated",
    "original_name",
    "original_url",
    "size",
    "sources",
    "merged_into",
)


@dataclass(slots=True)
class Component:
    """One connected component: its documents (in fold order) with their ids, groups, times, lead vectors, edges
    (in component-local numbers), article rows (META_COLUMNS) and fold batch numbers."""

    docs: list[int]
    ids: list[str]
    groups: list[str]
    times: NDArray[np.float64]
    vectors: NDArray[np.int8]
    edges: list[list[Edge]]
    rows: list[dict[str, Any]]
    batches: list[int]


@dataclass(slots=True)
class Outcome:
    """A component's result: per document (in the component's order) its story, relation and copy_of; the rows
    of every story created in it (STORY_COLUMNS), merged ones included."""

    docs: list[int]
    stories: list[str]
    relations: list[str]
    copies: list[str | None]
    story_rows: list[tuple[Any, ...]]


def place_component(comp: Component, settings: PlaceSettings) -> Outcome:
    """Place a component's documents in order (place.decide and place.apply, as the folder does), noting
    each absorbed story's members at its last refresh; then what the store would hold."""
    index = FoldIndex.standalone(comp.ids, comp.groups, comp.times, comp.vectors)
    marks: dict[str, int] = {}  # stories changed in the current batch -> their member count before it
    batch: int | None = None
    frozen: dict[str, list[int]] = {}  # absorbed story -> its members at its last refresh
    merged_into: dict[str, str] = {}
    for doc, own in enumerate(comp.edges):
        if comp.batches[doc] != batch:
            batch, marks = comp.batches[doc], {}
        decision = decide(index, doc, own, settings)
        for story in (decision.story, *decision.absorbed):
            marks.setdefault(story, len(index.members.get(story, [])))
        for old in decision.absorbed:
            frozen[old] = index.members[old][: marks[old]]
            merged_into[old] = decision.story
        apply(index, doc, decision)
    relations: list[str] = ["report"] * len(comp.docs)
    copies: list[str | None] = [None] * len(comp.docs)
    story_rows: list[tuple[Any, ...]] = []
    for story, members in index.members.items():
        if not members:
            continue
        fields, placed = _story(comp, sorted(members))
        for doc in members:
            relations[doc], copies[doc] = placed[comp.ids[doc]]
        story_rows.append((story, *_columns(fields), None))
    by_id = {article_id: doc for doc, article_id in enumerate(comp.ids)}
    for old, members in frozen.items():
        root = old
        while root in merged_into:
            root = merged_into[root]
        if members:
            fields, _ = _story(comp, sorted(members))
            story_rows.append((old, *_columns(fields)[:-2], 0, fields.sources, root))
        else:  # created and absorbed in one batch: create_story's row
            title = comp.rows[by_id[old]]["title"] or "(untitled)"
            story_rows.append((old, title, "[]", None, None, None, None, 0, 0, root))
    return Outcome(comp.docs, [index.story_of[d] for d in range(len(comp.docs))], relations, copies, story_rows)


def _story(comp: Component, members: Sequence[int]) -> tuple[StoryFields, dict[str, tuple[str, str | None]]]:
    """A story's fields and its members' (relation, copy_of), from its members (local numbers, in fold order)."""
    edges = [(comp.ids[d], comp.ids[c]) for d in members for c, rel, _ in comp.edges[d] if rel == "copy"]
    placed = story_placements([comp.rows[d] for d in members], edges)
    rows = [{**comp.rows[d], "relation": placed[comp.ids[d]].relation} for d in members]
    return story_fields(rows), {k: (p.relation, p.copy_of) for k, p in placed.items()}


def _columns(fields: StoryFields) -> tuple[Any, ...]:
    """A StoryFields as STORY_COLUMNS[1:-1] (title ... sources)."""
    return (
        fields.title,
        fields.languages,
        fields.first_published,
        fields.last_updated,
        fields.original_name,
        fields.original_url,
        fields.size,
        fields.sources,
    )


def place_components(task: tuple[list[Component], PlaceSettings]) -> list[Outcome]:
    """place_component over each component of a task (a worker's unit)."""
    components, settings = task
    return [place_component(comp, settings) for comp in components]
