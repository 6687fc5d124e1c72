"""The distributed fold: linking and placement of a whole batch on an executor's workers, the same functions as
the incremental folder (fold.link, fold.place, lsh.bucket_pairs, lsh.top_candidates), then a replay into the store.

Steps (documents numbered 0..n-1 in fold order):
1. LSH candidates through a band shuffle: (band key, document) rows partitioned by key -> lsh.bucket_pairs per
   partition (each document paired with the newest bucket_cap earlier documents under the key) -> pairs partitioned
   by document -> lsh.top_candidates (most shared bands, then newest; the first `candidates`);
2. lead-embedding neighbours per block of documents (each block gets its pool's vectors: the dated documents within
   the window of the block's times and the RECENT documents before it);
3. the exact text hash (the first document with the same text), on the driver;
4. verification per block (link.link_block), each block starting from the document frequencies of every document
   before it (the driver sums per-block term counts into prefixes);
5. connected components of the verified edges (scipy on the local executor, hash-to-min rounds on Ray);
6. placement (place.place_all) per component in document order: a story never spans two components.
The driver then stores the articles in fold batches, and ReplayFolder writes the computed edges and decisions
exactly as the incremental folder would have (the same store writes, provenance and story refreshes).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import StoreError
from newsfold.fold import lsh
from newsfold.fold.features import Features
from newsfold.fold.folder import Folder, FoldSettings
from newsfold.fold.index import FoldIndex, hash_key, quantise
from newsfold.fold.link import (
    Edge,
    LinkSettings,
    count_terms,
    link_block,
    neighbour_pool,
    neighbours,
    term_counts,
)
from newsfold.fold.place import Decision, PlaceSettings, place_all
from newsfold.fold.prepared import Prepared

log = logging.getLogger(__name__)

BLOCK = 512  # documents a neighbour / verification task
T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """What the distributed fold needs of an executor."""

    def map(self, fn: Callable[[T], R], payloads: Sequence[T]) -> list[R]:
        """fn over payloads on the workers, results in order."""
        ...

    def band_candidates(
        self, keys: NDArray[np.uint64], cap: int, limit: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(document, candidate) pairs of the LSH step, through a shuffle by band key then by document."""
        ...

    def components(self, n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each node's component label (the smallest node of its component)."""
        ...


@dataclass(slots=True)
class Corpus:
    """Every document of a batch fold, in fold order: what linking and placement need."""

    items: list[Features]
    keys: NDArray[np.uint64]
    vectors: NDArray[np.int8]
    times: NDArray[np.float64]

    @classmethod
    def of(cls, prepared: Sequence[Prepared], dim: int) -> Corpus:
        """A corpus from prepared articles in fold order."""
        items = [p.features for p in prepared]
        keys = np.vstack([p.keys for p in prepared]) if prepared else np.zeros((0, lsh.BANDS), np.uint64)
        vectors = np.zeros((len(prepared), dim), dtype=np.int8)
        for row, p in enumerate(prepared):
            if len(p.vector) == dim:
                vectors[row] = quantise(p.vector)
        times = np.array([f.at for f in items], dtype=np.float64)
        return cls(items, keys, vectors, times)

    @property
    def size(self) -> int:
        """How many documents."""
        return len(self.items)


@dataclass(slots=True)
class FoldResult:
    """Each document's verified edges and placement decision, by article id."""

    edges: dict[str, list[Edge]]
    decisions: dict[str, Decision]
    components: int


# --- the band shuffle's two steps (run per partition on workers) ---


def band_rows(keys: NDArray[np.uint64]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """(band key, document) rows of a key matrix, empty keys left out."""
    flat = keys.ravel()
    docs = np.repeat(np.arange(keys.shape[0], dtype=np.int64), keys.shape[1])
    keep = flat != np.uint64(0)
    return flat[keep], docs[keep]


def bucket_partition(part: tuple[NDArray[np.uint64], NDArray[np.int64], int]) -> tuple[NDArray[Any], NDArray[Any]]:
    """The shuffle's first reduce: one partition of (key, document) rows -> (document, earlier document) pairs."""
    keys, docs, cap = part
    return lsh.bucket_pairs(keys, docs, cap)


def top_partition(part: tuple[NDArray[np.int64], NDArray[np.int64], int]) -> tuple[NDArray[Any], NDArray[Any]]:
    """The shuffle's second reduce: one partition of pairs (by document) -> each document's top candidates."""
    firsts, seconds, limit = part
    first, second, _ = lsh.top_candidates(firsts, seconds, limit)
    return first, second


def split(values: NDArray[Any], parts: int, *columns: NDArray[Any]) -> list[list[NDArray[Any]]]:
    """Rows partitioned by a hash of values (the local executor's shuffle): [columns of partition 0, ...]."""
    where = (values % np.asarray(parts, dtype=values.dtype)).astype(np.int64)
    order = np.argsort(where, kind="stable")
    bounds = np.searchsorted(where[order], np.arange(parts + 1))
    return [[c[order[bounds[p] : bounds[p + 1]]] for c in columns] for p in range(parts)]


# --- neighbours, verification and placement tasks ---


@dataclass(slots=True)
class NeighbourTask:
    """One block's neighbour search: its documents and its pool."""

    docs: list[int]
    query: NDArray[np.int8]
    times: NDArray[np.float64]
    groups: list[str]
    pool: NDArray[np.int64]
    pool_vectors: NDArray[np.int8]
    pool_times: NDArray[np.float64]
    pool_groups: list[str]
    settings: LinkSettings


def run_neighbours(task: NeighbourTask) -> list[list[int]]:
    """link.neighbours over one block."""
    return neighbours(
        task.docs,
        task.query,
        task.times,
        task.groups,
        task.pool,
        task.pool_vectors,
        task.pool_times,
        task.pool_groups,
        task.settings,
    )


def run_term_counts(items: list[Features]) -> NDArray[np.int32]:
    """link.term_counts over one block."""
    return term_counts(items)


@dataclass(slots=True)
class VerifyTask:
    """One block's verification: its documents, their candidates' features and the df prefix at its start."""

    docs: list[int]
    items: list[Features]
    vectors: NDArray[np.int8]
    candidates: list[list[int]]
    known: dict[int, tuple[Features, NDArray[np.int8]]]
    df: NDArray[np.int32]
    ndocs: int
    settings: LinkSettings


def run_verify(task: VerifyTask) -> list[list[Edge]]:
    """link.link_block over one block (on a copy of the df prefix: Ray hands arrays over read-only)."""
    df = task.df.copy()
    return link_block(task.docs, task.items, task.vectors, task.candidates, task.known, df, task.ndocs, task.settings)


@dataclass(slots=True)
class Component:
    """One connected component: its documents (in order) with their ids, groups, times, vectors and edges."""

    docs: list[int]
    ids: list[str]
    groups: list[str]
    times: NDArray[np.float64]
    vectors: NDArray[np.int8]
    edges: list[list[Edge]]  # in component-local numbers


def run_place(task: tuple[list[Component], PlaceSettings]) -> list[list[Decision]]:
    """place.place_all over each component of a task, on a FoldIndex of the component alone."""
    components, settings = task
    out = []
    for comp in components:
        index = FoldIndex.standalone(comp.ids, comp.groups, comp.times, comp.vectors)
        out.append(place_all(index, list(range(len(comp.docs))), comp.edges, settings))
    return out


# --- the driver ---


def _blocks(n: int) -> list[tuple[int, int]]:
    """[start, end) of each block of documents."""
    return [(start, min(n, start + BLOCK)) for start in range(0, n, BLOCK)]


def _neighbour_tasks(corpus: Corpus, settings: LinkSettings, window_days: float) -> list[NeighbourTask]:
    """A neighbour task per block (the pool's vectors travel with it)."""
    groups = [f.group for f in corpus.items]
    tasks = []
    for start, end in _blocks(corpus.size):
        pool = neighbour_pool(corpus.times, start, end, corpus.times[start:end], window_days)
        tasks.append(
            NeighbourTask(
                list(range(start, end)),
                corpus.vectors[start:end],
                corpus.times[start:end],
                groups[start:end],
                pool,
                corpus.vectors[pool],
                corpus.times[pool],
                [groups[p] for p in pool.tolist()],
                settings,
            )
        )
    return tasks


def _exact(corpus: Corpus) -> list[int | None]:
    """Each document's first earlier document with the same text (in its group), or None."""
    first: dict[int, int] = {}
    out: list[int | None] = []
    for doc, item in enumerate(corpus.items):
        if not item.text_hash:
            out.append(None)
            continue
        found = first.setdefault(hash_key(item.group, item.text_hash), doc)
        out.append(found if found < doc else None)
    return out


def link_corpus(corpus: Corpus, settings: FoldSettings, runner: Runner, bucket_cap: int) -> list[list[Edge]]:
    """Folding's first phase over the whole corpus on the runner: each document's verified edges."""
    link_settings = Folder(settings).link_settings
    firsts, seconds = runner.band_candidates(corpus.keys, bucket_cap, settings.candidates)
    candidates: list[list[int]] = [[] for _ in range(corpus.size)]
    for first, second in zip(firsts.tolist(), seconds.tolist(), strict=True):
        candidates[first].append(second)
    near = runner.map(run_neighbours, _neighbour_tasks(corpus, link_settings, settings.window_days))
    exact = _exact(corpus)
    blocks = _blocks(corpus.size)
    for (start, _), found in zip(blocks, near, strict=True):
        for row, hits in enumerate(found):
            candidates[start + row] += hits
    for doc, same in enumerate(exact):
        if same is not None:
            candidates[doc].append(same)
    counts = runner.map(run_term_counts, [corpus.items[start:end] for start, end in blocks])
    df = np.zeros_like(counts[0]) if counts else np.zeros(0, dtype=np.int32)
    tasks = []
    for (start, end), block_df in zip(blocks, counts, strict=True):
        wanted = {c for own in candidates[start:end] for c in own}
        tasks.append(
            VerifyTask(
                list(range(start, end)),
                corpus.items[start:end],
                corpus.vectors[start:end],
                candidates[start:end],
                {c: (corpus.items[c], corpus.vectors[c]) for c in sorted(wanted)},
                df.copy(),
                start,
                link_settings,
            )
        )
        df += block_df
    return [edges for block in runner.map(run_verify, tasks) for edges in block]


def place_corpus(
    corpus: Corpus, edges: Sequence[Sequence[Edge]], settings: FoldSettings, runner: Runner
) -> tuple[list[Decision], int]:
    """Folding's second phase: connected components of the edges, placement per component on the runner."""
    a = np.array([doc for doc, own in enumerate(edges) for _ in own], dtype=np.int64)
    b = np.array([cand for own in edges for cand, _, _ in own], dtype=np.int64)
    labels = runner.components(corpus.size, a, b)
    members: dict[int, list[int]] = {}
    for doc, label in enumerate(labels.tolist()):
        members.setdefault(label, []).append(doc)
    decisions: list[Decision | None] = [None] * corpus.size
    components: list[Component] = []
    for docs in members.values():
        if len(docs) == 1:  # a document with no edge starts its own story
            decisions[docs[0]] = Decision(corpus.items[docs[0]].article_id, True)
            continue
        local = {doc: row for row, doc in enumerate(docs)}
        components.append(
            Component(
                docs,
                [corpus.items[d].article_id for d in docs],
                [corpus.items[d].group for d in docs],
                corpus.times[docs],
                corpus.vectors[docs],
                [[(local[c], rel, score) for c, rel, score in edges[d]] for d in docs],
            )
        )
    place_settings = Folder(settings).place_settings
    # tasks of about BLOCK documents each (components are mostly small)
    tasks: list[tuple[list[Component], PlaceSettings]] = []
    size = BLOCK
    for comp in sorted(components, key=lambda c: c.docs[0]):
        if size >= BLOCK:
            tasks.append(([], place_settings))
            size = 0
        tasks[-1][0].append(comp)
        size += len(comp.docs)
    for (comps, _), results in zip(tasks, runner.map(run_place, tasks), strict=True):
        for comp, decided in zip(comps, results, strict=True):
            for doc, decision in zip(comp.docs, decided, strict=True):
                decisions[doc] = decision
    out = [d for d in decisions if d is not None]
    return out, len(members)


def fold_corpus(corpus: Corpus, settings: FoldSettings, runner: Runner, bucket_cap: int = 32) -> FoldResult:
    """Link and place a whole corpus on the runner; the result is keyed by article id."""
    if corpus.size == 0:
        return FoldResult({}, {}, 0)
    edges = link_corpus(corpus, settings, runner, bucket_cap)
    decisions, components = place_corpus(corpus, edges, settings, runner)
    ids = [f.article_id for f in corpus.items]
    return FoldResult(dict(zip(ids, edges, strict=True)), dict(zip(ids, decisions, strict=True)), components)


class ReplayFolder(Folder):
    """A Folder that writes a distributed fold's edges and decisions instead of computing them (the store writes,
    provenance and story refreshes are the incremental folder's own). Document numbers must match the fold's."""

    def __init__(self, settings: FoldSettings, result: FoldResult, numbers: Mapping[str, int]) -> None:
        """Keep the computed fold (numbers: each article's document number in it)."""
        super().__init__(settings)
        self.result = result
        self.numbers = numbers

    def lsh_candidates(self, keys: NDArray[np.uint64], docs: Sequence[int]) -> list[list[tuple[int, int]]]:
        """None needed: the edges are computed."""
        return [[] for _ in docs]

    def link(
        self,
        conn: sqlite3.Connection,
        docs: Sequence[int],
        items: Sequence[Features],
        lsh_hits: Sequence[Sequence[tuple[int, int]]],
    ) -> list[list[Edge]]:
        """The computed edges (the document frequencies are still counted, for the store's fold state)."""
        index = self.index
        for doc, item in zip(docs, items, strict=True):
            if self.numbers[item.article_id] != doc:
                raise StoreError(f"distributed fold: {item.article_id} is document {doc} here, not its fold number")
            count_terms(index.df, item)
        index.ndocs += len(docs)
        return [self.result.edges[item.article_id] for item in items]

    def decide(self, doc: int, edges: Sequence[Edge]) -> Decision:
        """The computed decision."""
        return self.result.decisions[self.index.article_ids[doc]]
