"""An ingest's extraction and language identification in a worker process, ahead of the writer.

The worker reads the inputs in the order given, with one Extractor and one furniture memory (loaded from the store
before it starts), exactly as the ingest process would read them one after another: the same documents, the same
furniture learned. What the memory observed travels back with each chunk's documents, for the writer to save in its
next transaction. The writer (this process) stores, folds and runs the story hooks meanwhile.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from types import TracebackType

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureMemory
from newsfold.fold.ahead import default_workers, start_context, watch_owner
from newsfold.model import Article, RawInput
from newsfold.pipeline import Chain, RunReport, Step, StepStats, batched

log = logging.getLogger(__name__)

CHUNK = 8  # inputs sent to the worker at a time
AHEAD = 4  # chunks in flight at most (bounds the memory held by documents not yet stored)


@dataclass(slots=True)
class Chunk:
    """What the worker made of some inputs: per input read its documents or why it could not be read, the step and
    extraction times, and the furniture pages observed meanwhile."""

    outcomes: list[list[Article] | InputError] = field(default_factory=list)
    extract_seconds: float = 0.0
    steps: list[StepStats] = field(default_factory=list)
    furniture: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)


class _Worker:
    """The worker process's extractor, memory and steps (set by the pool's initializer, once)."""

    extractor: Extractor | None = None
    memory: FurnitureMemory | None = None
    steps: tuple[Step, ...] = ()


def _init_worker(memory: FurnitureMemory, owner: int) -> None:
    """Build this worker's extractor over memory and its language step; end with the owning process."""
    from newsfold.engine import default_steps

    _Worker.memory = memory
    _Worker.extractor = Extractor(memory)
    _Worker.steps = tuple(default_steps())
    watch_owner(owner)


def _extract_chunk(items: list[RawInput]) -> Chunk:
    """Extract and identify the languages of one chunk of inputs, in order."""
    if _Worker.extractor is None or _Worker.memory is None:  # the initializer always ran first
        raise RuntimeError("extraction worker started without an extractor")
    from newsfold.engine import read_input

    chunk = Chunk()
    report = RunReport()
    chain = Chain(_Worker.steps, report)
    for item in items:
        start = time.perf_counter()
        chunk.outcomes.append(read_input(_Worker.extractor, chain, item))  # whatever one input raises stays its own
        chunk.extract_seconds += time.perf_counter() - start
    chunk.steps = report.steps
    chunk.furniture = _Worker.memory.take_pending()
    return chunk


def worker_count(workers: int | None) -> int:
    """Extraction workers for an ingest: 1 where this process may use two cores or more (None), else as given."""
    if workers is None:
        return 1 if default_workers() >= 1 else 0
    return max(0, min(workers, 1))


class ExtractAhead:
    """Extracts an ingest's inputs in one worker process, a few chunks ahead of the caller."""

    def __init__(self, memory: FurnitureMemory) -> None:
        """Extract with a copy of memory in the worker; pages it observes are queued into memory for saving."""
        self.memory = memory
        self.extract_seconds = 0.0
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
        """Send a chunk to the worker (started on first use)."""
        if self._pool is None:
            log.info("extracting in a worker process")
            self._pool = ProcessPoolExecutor(
                1, mp_context=start_context(), initializer=_init_worker, initargs=(self.memory, os.getpid())
            )
        return self._pool.submit(_extract_chunk, items)

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
        chunk = future.result()
        self.memory.add_pending(chunk.furniture)
        self.extract_seconds += chunk.extract_seconds
        for stats in chunk.steps:
            self.steps.setdefault(stats.name, StepStats(stats.name))
            total = self.steps[stats.name]
            total.seen, total.emitted = total.seen + stats.seen, total.emitted + stats.emitted
            total.seconds += stats.seconds
        found = iter(chunk.outcomes)
        for item in items:
            yield (False, item) if isinstance(item, InputError) else (True, next(found))
