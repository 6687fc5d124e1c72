"""An ingest's per-document steps (extraction, language identification, ...) in a worker process, ahead of the writer.

The worker reads the inputs in the order given, with one Extractor and one furniture memory (loaded from the store
before it starts), exactly as the ingest process would read them one after another: the same documents, the same
furniture learned. What the memory observed travels back with each chunk's documents, for the writer to save in its
next transaction. The writer (this process) stores, folds and runs the story hooks meanwhile.
"""

from __future__ import annotations

import ctypes
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureMemory
from newsfold.fold.incremental.ahead import default_workers, start_context, watch_owner
from newsfold.model import Article, RawInput
from newsfold.pipeline import Chain, RunReport, Step, StepStats, batched
from newsfold.reading import read_input

log = logging.getLogger(__name__)

AheadWork = Callable[[list[Article]], object]  # a story hook's work on each chunk's documents, in the worker

CHUNK = 8  # inputs sent to the worker at a time
# chunks in flight at most: enough to keep the worker busy while the writer folds a batch and runs its story hooks
# (it pulls a whole batch of inputs at a time), and a bound on the memory held by documents not yet stored
AHEAD = 32
# the story hooks' work is done in the worker only while it is this many chunks ahead of the writer: when it is the
# slower of the two (the writer waits for its chunks), the hooks do that work in the writer instead
LEAD = 8


@dataclass(slots=True)
class Chunk:
    """What the worker made of some inputs: per input read its documents or why it could not be read, the step and
    extraction times, and the furniture pages observed meanwhile."""

    outcomes: list[list[Article] | InputError] = field(default_factory=list)
    extract_seconds: float = 0.0
    steps: list[StepStats] = field(default_factory=list)
    furniture: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)
    ahead: list[object] = field(default_factory=list)
    work_seconds: float = 0.0
    number: int = 0


class _Worker:
    """The worker process's extractor, memory and steps (set by the pool's initializer, once)."""

    extractor: Extractor | None = None
    memory: FurnitureMemory | None = None
    steps: tuple[Step, ...] = ()
    works: tuple[AheadWork, ...] = ()
    collected: ctypes.c_longlong | None = None
    lead = LEAD


def _init_worker(  # noqa: PLR0913  a pool initializer's arguments: everything the worker keeps
    memory: FurnitureMemory,
    steps: tuple[Step, ...],
    owner: int,
    works: tuple[AheadWork, ...] = (),
    collected: ctypes.c_longlong | None = None,
    lead: int = LEAD,
) -> None:
    """Build this worker's extractor over memory, keep the pipeline's document steps and the story hooks' work
    ahead (with the shared number of the last chunk the writer collected and the lead it needs); end with the
    owning process."""
    _Worker.works = works
    _Worker.collected = collected
    _Worker.lead = lead
    _Worker.memory = memory
    _Worker.extractor = Extractor(memory)
    _Worker.steps = steps
    watch_owner(owner)


def _extract_chunk(items: list[RawInput], number: int = 0) -> Chunk:
    """Extract one chunk of inputs and run the document steps on them, in order; do the story hooks' work ahead on their
    documents while this chunk (its number) is at least the lead ahead of the last one the writer collected."""
    if _Worker.extractor is None or _Worker.memory is None:  # the initializer always ran first
        raise RuntimeError("extraction worker started without an extractor")
    chunk = Chunk(number=number)
    report = RunReport()
    chain = Chain(_Worker.steps, report)
    for item in items:
        start = time.perf_counter()
        chunk.outcomes.append(read_input(_Worker.extractor, chain, item))  # whatever one input raises stays its own
        chunk.extract_seconds += time.perf_counter() - start
    chunk.steps = report.steps
    chunk.furniture = _Worker.memory.take_pending()
    documents = [d for outcome in chunk.outcomes if not isinstance(outcome, InputError) for d in outcome]
    start = time.perf_counter()
    collected = _Worker.collected.value if _Worker.collected is not None else number
    chunk.ahead = [_work(ahead, documents) for ahead in _Worker.works] if number - collected >= _Worker.lead else []
    chunk.work_seconds = time.perf_counter() - start
    return chunk


def _work(work: AheadWork, documents: list[Article]) -> object:
    """What one story hook's work ahead makes of a chunk's documents; None when it fails (an optimisation only: the
    hook then does that work itself, in the writer, where a failure is reported as the story's)."""
    try:
        return work(documents)
    except Exception:  # the boundary of work done ahead: never the ingest's failure, done again by the writer
        log.debug("work ahead %r failed on a chunk of %d documents", work, len(documents), exc_info=True)
        return None


def worker_count(workers: int | None) -> int:
    """Extraction workers for an ingest: 1 where this process may use two cores or more (None), else as given."""
    if workers is None:
        return 1 if default_workers() >= 1 else 0
    return max(0, min(workers, 1))


class ExtractAhead:
    """Runs an ingest's per-document steps in one worker process, a few chunks ahead of the caller."""

    def __init__(
        self,
        memory: FurnitureMemory,
        steps: Sequence[Step],
        works: Sequence[tuple[AheadWork, Callable[[Any], None]]] = (),
    ) -> None:
        """Extract with a copy of memory in the worker, then run the document steps; pages it observes are queued
        into memory for saving. Each (work, receive) pair: work runs in the worker on every chunk's documents,
        receive gets what it made here (before the chunk's documents are handed out)."""
        self.memory = memory
        self.documents = tuple(steps)
        self.works = tuple(works)
        self.chunks = 0  # sent to the worker
        self.chunks_with_work = 0  # of them, those the worker did the hooks' work for
        self._collected: ctypes.c_longlong | None = None  # the number of the last chunk collected, shared
        self.extract_seconds = 0.0
        self.work_seconds = 0.0  # the hooks' work ahead, in the worker
        self.waited = 0.0  # seconds this process waited for the worker's chunks
        self.steps: dict[str, StepStats] = {}
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ExtractAhead:
        """Use as a context manager: the worker is shut down on exit."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Shut the worker down (pending chunks cancelled when leaving on an error)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=exc is not None)
            self._pool = None

    def _submit(self, items: list[RawInput]) -> Future[Chunk]:
        """Send a chunk to the worker (started on first use), numbered."""
        if self._pool is None:
            log.info("extracting in a worker process")
            context = start_context()
            self._collected = context.RawValue(ctypes.c_longlong, 0) if self.works else None
            self._pool = ProcessPoolExecutor(
                1,
                mp_context=context,
                initializer=_init_worker,
                initargs=(
                    self.memory,
                    self.documents,
                    os.getpid(),
                    tuple(work for work, _ in self.works),
                    self._collected,
                    LEAD,
                ),
            )
        self.chunks += 1
        return self._pool.submit(_extract_chunk, items, self.chunks)

    def outcomes(self, inputs: Iterable[RawInput | InputError]) -> Iterator[tuple[bool, list[Article] | InputError]]:
        """Per input, in order: whether it was read, and its documents or its error (the furniture the worker
        observed is queued for saving before the documents of its chunk are handed out)."""
        pending: deque[tuple[list[RawInput | InputError], Future[Chunk]]] = deque()
        for items in batched(inputs, CHUNK):
            pending.append((items, self._submit([i for i in items if not isinstance(i, InputError)])))
            while len(pending) >= AHEAD:
                yield from self._collect(*pending.popleft())
        while pending:
            yield from self._collect(*pending.popleft())

    def _collect(
        self, items: list[RawInput | InputError], future: Future[Chunk]
    ) -> Iterator[tuple[bool, list[Article] | InputError]]:
        """A chunk's outcomes beside its inputs (a worker's error raised here), its furniture queued first."""
        start = time.perf_counter()
        chunk = future.result()
        self.waited += time.perf_counter() - start
        self.work_seconds += chunk.work_seconds
        self.chunks_with_work += int(bool(chunk.ahead))
        if self._collected is not None:
            self._collected.value = chunk.number
        self.memory.add_pending(chunk.furniture)
        for (_, receive), made in zip(self.works, chunk.ahead, strict=False):
            if made is not None:
                receive(made)
        self.extract_seconds += chunk.extract_seconds
        for stats in chunk.steps:
            self.steps.setdefault(stats.name, StepStats(stats.name))
            total = self.steps[stats.name]
            total.seen, total.emitted = total.seen + stats.seen, total.emitted + stats.emitted
            total.seconds += stats.seconds
        found = iter(chunk.outcomes)
        for item in items:
            yield (False, item) if isinstance(item, InputError) else (True, next(found))
