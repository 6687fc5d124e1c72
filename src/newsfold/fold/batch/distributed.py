"""The distributed fold: linking and placement of a whole batch on an executor's workers, the same functions as
the incremental folder (fold.link.link, fold.link.place, lsh.bucket_pairs, lsh.top_candidates,
fold.link.provenance), and what the store would hold computed per component (fold.batch.outcome), without a store.

Steps (documents numbered 0..n-1 in fold order; the driver keeps compact arrays, the features stay in the corpus
file, fold/batch/corpus.py):
1. LSH candidates through a band shuffle: (band key, document) rows partitioned by key -> lsh.bucket_pairs per
   partition (each document paired with the newest bucket_cap earlier documents under the key) -> pairs partitioned
   by document -> lsh.top_candidates (most shared bands, then newest; the first `candidates`); the process pool
   spills the pairs to files by document partition, Ray keeps them in its object store;
2. lead-embedding neighbours per block of documents (each block gets its pool's vectors: the dated documents within
   the window of the block's times and the RECENT documents before it);
3. the exact text hash (the first document with the same text), found while the corpus file is written;
4. verification per block (link.link_block), each block starting from the document frequencies of every document
   before it (per-block term counts, summed into prefixes as the blocks go);
5. connected components of the verified edges (scipy on the local executor, hash-to-min rounds on Ray);
6. placement (place.decide / place.apply) per component in document order, then each story's members, relations,
   provenance and metadata (fold.batch.outcome): a story never spans two components.
Steps 2, 4 and 6 build their payloads lazily, block by block, a bounded number in flight (Runner.imap); workers read
the features of a block and of its candidates from the corpus file.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.batch.corpus import BLOCK, Corpus, read_features
from newsfold.fold.batch.outcome import Component, Outcome, place_components
from newsfold.fold.features import lsh
from newsfold.fold.features.embed import Embedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.fold.link.index import DF_BUCKETS
from newsfold.fold.link.link import Edge, Leads, LinkSettings, link_block, neighbour_pool, neighbours, term_counts
from newsfold.fold.link.place import PlaceSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Runner(Protocol):
    """What the distributed fold needs of an executor."""

    def map(self, fn: Callable[[T], R], payloads: Sequence[T]) -> list[R]:
        """fn over payloads on the workers, results in order."""
        ...

    def imap(self, fn: Callable[[T], R], payloads: Iterable[T]) -> Iterator[R]:
        """fn over payloads taken lazily, a bounded number in flight; results in order."""
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
class FoldResult:
    """A batch fold's result in fold order: each document's story, relation and copy_of; every story's row
    (outcome.STORY_COLUMNS, merged stories included); the verified edges (document, candidate, is a copy, score);
    the document frequencies of the whole corpus."""

    stories: list[str]
    relations: list[str]
    copies: list[str | None]
    story_rows: list[tuple[Any, ...]]
    edges: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], NDArray[np.float64]]
    df: NDArray[np.int32]
    components: int
    seconds: dict[str, float] = field(default_factory=dict)  # wall seconds of link (incl. shuffle) and place


# --- the band shuffle's two steps (run per partition on workers) ---


def band_rows(keys: NDArray[np.uint64]) -> tuple[NDArray[np.uint64], NDArray[np.int64]]:
    """(band key, document) rows of a key matrix, empty keys left out."""
    flat = keys.ravel()
    docs = np.repeat(np.arange(keys.shape[0], dtype=np.int64), keys.shape[1])
    keep = flat != np.uint64(0)
    return flat[keep], docs[keep]


def spill_partition(task: tuple[NDArray[np.uint64], NDArray[np.int64], int, str, int, int]) -> int:
    """The local shuffle's first reduce, spilled: one partition of (key, document) rows -> its pairs, written as
    (document << 32 | earlier document) to one file per document partition under folder; return how many."""
    keys, docs, cap, folder, part, parts = task
    firsts, seconds = lsh.bucket_pairs(keys, docs, cap)
    combined = (firsts << np.int64(32)) | seconds
    for target, (pairs,) in enumerate(split(firsts, parts, combined)):
        np.save(Path(folder) / f"{target}-{part}.npy", pairs)
    return len(combined)


def top_spilled(task: tuple[str, int, int, int]) -> tuple[NDArray[Any], NDArray[Any]]:
    """The local shuffle's second reduce: one document partition's spilled pairs -> its documents' top candidates
    (the files are removed once read)."""
    folder, target, parts, limit = task
    files = [Path(folder) / f"{target}-{part}.npy" for part in range(parts)]
    combined = np.concatenate([np.load(f) for f in files])
    for f in files:
        f.unlink()
    first, second, _ = lsh.top_candidates(combined >> np.int64(32), combined & np.int64((1 << 32) - 1), limit)
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

    block: Leads
    among: Leads
    settings: LinkSettings


def run_neighbours(task: NeighbourTask) -> list[list[int]]:
    """link.neighbours over one block."""
    return neighbours(task.block, task.among, task.settings)


def run_term_counts(task: tuple[str, int, int]) -> NDArray[np.int32]:
    """link.term_counts over one block [start, end) of the corpus file."""
    path, start, end = task
    found = read_features(path, range(start, end))
    return term_counts([found[doc] for doc in range(start, end)])


@dataclass(slots=True)
class VerifyTask:
    """One block's verification: where its features are, its candidates (with their lead vectors) and the df
    prefix at its start."""

    path: str
    start: int
    end: int
    vectors: NDArray[np.int8]
    candidates: list[list[int]]
    wanted: NDArray[np.int64]
    wanted_vectors: NDArray[np.int8]
    df: NDArray[np.int32]
    settings: LinkSettings
    embedder: Embedder | None = None  # aligns the sentences of pairs in two languages (a worker loads its model)


def run_verify(task: VerifyTask) -> list[list[Edge]]:
    """link.link_block over one block, the block's and the candidates' features read from the corpus file (on a
    copy of the df prefix: Ray hands arrays over read-only)."""
    docs = list(range(task.start, task.end))
    found = read_features(task.path, np.union1d(np.asarray(docs, dtype=np.int64), task.wanted))
    known = {c: (found[c], v) for c, v in zip(task.wanted.tolist(), task.wanted_vectors, strict=True)}
    items = [found[doc] for doc in docs]
    df = task.df.copy()
    embed = task.embedder.encode if task.embedder is not None else None
    return link_block(docs, items, task.vectors, task.candidates, known, df, task.start, task.settings, embed)


# --- the driver ---


def _blocks(n: int) -> list[tuple[int, int]]:
    """[start, end) of each block of documents (a record batch of the corpus file each)."""
    return [(start, min(n, start + BLOCK)) for start in range(0, n, BLOCK)]


def _neighbour_tasks(corpus: Corpus, settings: LinkSettings, window_days: float) -> Iterator[NeighbourTask]:
    """A neighbour task per block, made when the runner takes it (the pool's vectors travel with it)."""
    groups = corpus.groups
    for start, end in _blocks(corpus.size):
        pool = neighbour_pool(corpus.times, start, end, corpus.times[start:end], window_days)
        slots = corpus.slots
        block = Leads(
            np.arange(start, end, dtype=np.int64),
            corpus.vectors[start:end],
            corpus.times[start:end],
            groups[start:end],
            None if slots is None else slots[start:end],
        )
        pool_groups = [groups[p] for p in pool.tolist()]
        pool_slots = None if slots is None else slots[pool]
        among = Leads(pool, corpus.vectors[pool], corpus.times[pool], pool_groups, pool_slots)
        yield NeighbourTask(block, among, settings)


class _Verification:
    """Verification tasks made block by block from the LSH candidates, each block's neighbours and term counts as
    they arrive (the df prefix advances as the blocks go); total holds the whole corpus's frequencies at the end."""

    def __init__(
        self,
        corpus: Corpus,
        settings: LinkSettings,
        firsts: NDArray[np.int64],
        seconds: NDArray[np.int64],
        embedder: Embedder | None = None,
    ):
        """Index the LSH pairs by document (CSR)."""
        self.corpus, self.settings, self.embedder = corpus, settings, embedder
        order = np.argsort(firsts, kind="stable")
        self.lsh = seconds[order]
        self.ptr = np.searchsorted(firsts[order], np.arange(corpus.size + 1))
        self.total = np.zeros(DF_BUCKETS, dtype=np.int32)

    def tasks(self, near: Iterable[list[list[int]]], counts: Iterable[NDArray[np.int32]]) -> Iterator[VerifyTask]:
        """A task per block, in order."""
        corpus = self.corpus
        for (start, end), found, block_df in zip(_blocks(corpus.size), near, counts, strict=True):
            candidates = []
            for row, doc in enumerate(range(start, end)):
                own = self.lsh[self.ptr[doc] : self.ptr[doc + 1]].tolist() + found[row]
                if corpus.exact[doc] >= 0:
                    own.append(int(corpus.exact[doc]))
                candidates.append(own)
            wanted = np.unique(np.asarray([c for own in candidates for c in own], dtype=np.int64))
            yield VerifyTask(
                str(corpus.path),
                start,
                end,
                corpus.vectors[start:end],
                candidates,
                wanted,
                corpus.vectors[wanted],
                self.total.copy(),
                self.settings,
                self.embedder,
            )
            self.total += block_df


Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_], NDArray[np.float64]]


def link_corpus(
    corpus: Corpus, settings: FoldSettings, runner: Runner, bucket_cap: int
) -> tuple[Edges, NDArray[np.int32]]:
    """Folding's first phase over the whole corpus on the runner: the verified edges (document, candidate, copy,
    score; by document, then candidate) and the corpus's document frequencies."""
    folder = Folder(settings)
    link_settings = folder.link_settings
    started = time.perf_counter()
    firsts, seconds = runner.band_candidates(corpus.keys, bucket_cap, settings.candidates)
    log.info("fold: band shuffle %.1f s, %d candidate pairs", time.perf_counter() - started, len(firsts))
    near = runner.imap(run_neighbours, _neighbour_tasks(corpus, link_settings, settings.window_days))
    counts = runner.imap(run_term_counts, ((str(corpus.path), s, e) for s, e in _blocks(corpus.size)))
    verification = _Verification(corpus, link_settings, firsts, seconds, folder.embedder)
    a: list[int] = []
    b: list[int] = []
    copy: list[bool] = []
    score: list[float] = []
    results = runner.imap(run_verify, verification.tasks(near, counts))
    for (start, _), block in zip(_blocks(corpus.size), results, strict=True):
        for row, own in enumerate(block):
            for cand, relation, value in own:
                a.append(start + row)
                b.append(cand)
                copy.append(relation == "copy")
                score.append(value)
    edges = (
        np.asarray(a, dtype=np.int64),
        np.asarray(b, dtype=np.int64),
        np.asarray(copy, dtype=np.bool_),
        np.asarray(score, dtype=np.float64),
    )
    return edges, verification.total


def _place_tasks(
    corpus: Corpus, edges: Edges, labels: NDArray[np.int64], settings: PlaceSettings
) -> Iterator[tuple[list[Component], PlaceSettings]]:
    """Components packed into tasks of about BLOCK documents, in order of their first document, made lazily."""
    a, b, copy, score = edges
    ptr = np.searchsorted(a, np.arange(corpus.size + 1))
    order = np.lexsort((np.arange(corpus.size), labels))
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    groups = np.split(order, cuts) if corpus.size else []
    task: list[NDArray[np.int64]] = []
    size = 0
    for docs in [*groups, None]:
        if docs is not None:
            task.append(docs)
            size += len(docs)
            if size < BLOCK:
                continue
        if not task:
            break
        rows = corpus.meta.take(np.concatenate(task)).to_pylist()
        components, at = [], 0
        for members in task:
            local = {int(doc): row for row, doc in enumerate(members.tolist())}
            own: list[list[Edge]] = []
            for doc in members.tolist():
                span = slice(ptr[doc], ptr[doc + 1])
                own.append(
                    [
                        (local[c], "copy" if is_copy else "report", s)
                        for c, is_copy, s in zip(
                            b[span].tolist(), copy[span].tolist(), score[span].tolist(), strict=True
                        )
                    ]
                )
            components.append(
                Component(
                    members.tolist(),
                    [corpus.ids[d] for d in members.tolist()],
                    [corpus.groups[d] for d in members.tolist()],
                    corpus.times[members],
                    corpus.vectors[members],
                    own,
                    rows[at : at + len(members)],
                    corpus.batches[members].tolist(),
                )
            )
            at += len(members)
        yield components, settings
        task, size = [], 0


def place_corpus(corpus: Corpus, edges: Edges, settings: FoldSettings, runner: Runner) -> tuple[list[Outcome], int]:
    """Folding's second phase: connected components of the edges, placement and outcome per component on the
    runner (components in order of their first document)."""
    labels = runner.components(corpus.size, edges[0], edges[1])
    place_settings = Folder(settings).place_settings
    outcomes = [
        o for block in runner.imap(place_components, _place_tasks(corpus, edges, labels, place_settings)) for o in block
    ]
    return outcomes, len(outcomes)


def fold_corpus(corpus: Corpus, settings: FoldSettings, runner: Runner, bucket_cap: int = 32) -> FoldResult:
    """Link and place a whole corpus on the runner; what the store would hold, in fold order."""
    n = corpus.size
    empty = np.zeros(0, dtype=np.int64)
    if n == 0:
        edges0 = (empty, empty, np.zeros(0, dtype=np.bool_), np.zeros(0, dtype=np.float64))
        return FoldResult([], [], [], [], edges0, np.zeros(DF_BUCKETS, dtype=np.int32), 0)
    started = time.perf_counter()
    edges, df = link_corpus(corpus, settings, runner, bucket_cap)
    linked = time.perf_counter()
    outcomes, components = place_corpus(corpus, edges, settings, runner)
    seconds = {"link": linked - started, "place": time.perf_counter() - linked}
    log.info("fold: link %.1f s, place %.1f s (%d documents)", seconds["link"], seconds["place"], n)
    stories: list[str] = [""] * n
    relations: list[str] = [""] * n
    copies: list[str | None] = [None] * n
    story_rows: list[tuple[Any, ...]] = []
    for outcome in outcomes:
        for doc, story, relation, copy_of in zip(
            outcome.docs, outcome.stories, outcome.relations, outcome.copies, strict=True
        ):
            stories[doc], relations[doc], copies[doc] = story, relation, copy_of
        story_rows += outcome.story_rows
    return FoldResult(stories, relations, copies, story_rows, edges, df, components, seconds)
