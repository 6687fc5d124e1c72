"""Preparing the next batches of an ingest on another core while the current one is stored and folded.

Preparation (the pipeline's prepare step: features, band keys, lead embeddings) depends only on the articles and the
embedder, so it can run ahead in a worker process; folding itself must stay in the writer's transaction. Threads
would not do: features are pure-Python work that holds the GIL (only the embedder's matrix products release it).
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType

from newsfold.fold.features.prepared import Prepared, PrepareStep
from newsfold.model import Article

log = logging.getLogger(__name__)


class _Worker:
    """Per-process holder of the worker's prepare step (set by the pool's initializer, once per worker process)."""

    step: PrepareStep | None = None


def _init_worker(step: PrepareStep, owner: int) -> None:
    """Keep this worker process's copy of the prepare step (its embedder's model loads on first use, in the worker),
    and watch the ingest process that owns the pool."""
    _Worker.step = step
    watch_owner(owner)


def watch_owner(owner: int) -> None:
    """In a worker process: end it once the owning process (or the worker's own parent) is gone."""
    watch = threading.Thread(target=_exit_with, args=(owner, os.getppid()), name="owner-watch", daemon=True)
    watch.start()


def _exit_with(owner: int, parent: int, every: float = 0.5) -> None:
    """End this worker once the owning process is gone (or its own parent, the owner or a fork server, is): a
    killed ingest (SIGKILL runs no cleanup) must not leave its worker waiting for work forever."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(0)
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            os._exit(0)


def _prepare_in_worker(articles: Sequence[Article], now: datetime) -> list[Prepared]:
    """Prepare one batch with the worker's prepare step."""
    if _Worker.step is None:  # the initializer always ran first; this keeps the types honest
        raise RuntimeError("prepare worker started without its step")
    return _Worker.step(articles, now)


def default_workers() -> int:
    """Worker processes for preparing ahead: one less than the cores this process may use (0: none)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, 4))


def start_context() -> multiprocessing.context.BaseContext:
    """How to start workers: fork (milliseconds, and a loaded model is shared) when this process runs no other
    thread; else a fork server (forking a threaded process can deadlock the child, e.g. while the scheduler's
    fetch threads hold locks), or the platform's default where there is no fork."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


class PrepareAhead:
    """A small process pool that prepares the next batches of articles while the caller folds the current one.

    batches() yields each batch with its prepared inputs (by article id). The first batch is prepared in this
    process, so a run of a single batch never starts a pool; the pool starts when a second batch exists and is shut
    down on close().
    """

    def __init__(self, step: PrepareStep, workers: int | None = None) -> None:
        """Prepare with copies of the step in up to workers processes (None: default_workers(); 0: no pool)."""
        self.step = step
        self.workers = default_workers() if workers is None else max(0, workers)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PrepareAhead:
        """Use as a context manager: the pool is shut down on exit."""
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """Shut the pool down (pending work is cancelled when leaving on an error)."""
        self.close(cancel=exc is not None)

    def close(self, cancel: bool = False) -> None:
        """Shut the pool down, waiting for its workers to exit."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=cancel)
            self._pool = None

    def _submit(self, batch: list[Article]) -> Future[list[Prepared]]:
        """Send a batch to the pool (started on first use)."""
        if self._pool is None:
            log.info("preparing ahead in %d worker process(es)", self.workers)
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=start_context(),
                initializer=_init_worker,
                initargs=(self.step, os.getpid()),
            )
        return self._pool.submit(_prepare_in_worker, batch, datetime.now(UTC))

    def batches(self, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], dict[str, Prepared]]]:
        """Each batch with its prepared inputs, in order, while later batches are prepared meanwhile.

        The first batch is prepared in this process (the pool starts with the second: a run of one batch starts
        none); with no pool wanted, every batch is yielded unprepared (empty mapping). When the workers fall behind,
        this process prepares the latest batch they have not started (work sharing: the pool never makes a run
        slower than preparing everything here).
        """
        stream = iter(batches)
        first = next(stream, None)
        if first is None:
            return
        if self.workers == 0:
            yield from ((batch, {}) for batch in _chain(first, stream))
            return
        # the first batch is prepared here and handed out at once: the caller folds it while the next ones are read
        # (waiting for a second batch first would keep the writer idle while its inputs are extracted)
        yield first, {p.features.article_id: p for p in self.step(first, datetime.now(UTC))}
        second = next(stream, None)
        if second is None:
            return
        pending: deque[_Pending] = deque([_Pending(second, self._submit(second))])
        for batch in stream:
            while len(pending) > self.workers + 2:
                yield self._collect(pending)
            pending.append(_Pending(batch, self._submit(batch)))
        while pending:
            yield self._collect(pending)

    def _collect(self, pending: deque[_Pending]) -> tuple[list[Article], dict[str, Prepared]]:
        """The oldest pending batch with its prepared inputs by article id; while its worker is busy, prepare the
        latest batch no worker has started here (worker errors are raised here)."""
        head = pending[0]
        while head.future is not None and not head.future.done():
            stolen = next((p for p in reversed(pending) if p.future is not None and p.future.cancel()), None)
            if stolen is None:
                break
            stolen.future, stolen.ready = None, self.step(stolen.batch, datetime.now(UTC))
        pending.popleft()
        ready = head.ready if head.future is None else head.future.result()
        return head.batch, {p.features.article_id: p for p in ready}


@dataclass(slots=True)
class _Pending:
    """A batch on its way: prepared by a worker (future) or here (ready)."""

    batch: list[Article]
    future: Future[list[Prepared]] | None
    ready: list[Prepared] = field(default_factory=list)


def _chain(first: list[Article], rest: Iterator[list[Article]]) -> Iterator[list[Article]]:
    """first, then every batch of rest."""
    yield first
    yield from rest
