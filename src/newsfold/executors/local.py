"""The local executor: in-process, or a process pool of N workers, each with its own copy of the task's steps."""

from __future__ import annotations

import logging
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

from newsfold.executors.tasks import ChunkTask
from newsfold.fold.batch.distributed import band_rows, spill_partition, split, top_spilled
from newsfold.pipeline import batched

ROWS_PER_PART = 1 << 20  # (band key, document) rows a shuffle partition holds at most (~16 MB, ~100 MB of pairs)
log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


class _Worker:
    """Per-process holder of the chunk task this pool runs (set by the pool's initializer)."""

    task: ChunkTask | None = None


def _init_worker(task: ChunkTask) -> None:
    """Keep this worker process's copy of the task (its models load on its first chunk)."""
    _Worker.task = task


def _run_chunk(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Run the worker's task over one chunk."""
    if _Worker.task is None:  # the initializer always ran first; this keeps the types honest
        raise RuntimeError("executor worker started without its task")
    return _Worker.task(batch)


def _columns(rows: Sequence[dict[str, Any]]) -> dict[str, list[Any]]:
    """A chunk of rows as columns (the keys of its first row)."""
    return {key: [row[key] for row in rows] for key in rows[0]}


def _in_order(pool: ProcessPoolExecutor, fn: Callable[[T], R], payloads: Iterable[T], window: int) -> Iterator[R]:
    """fn over payloads taken lazily on a pool, at most window in flight; results in order."""
    pending: deque[Future[R]] = deque()
    for payload in payloads:
        pending.append(pool.submit(fn, payload))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class LocalExecutor:
    """Runs chunk tasks in this process (workers=1) or in a pool of worker processes."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        """Use up to workers processes."""
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _chunks(self, task: ChunkTask, rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, list[Any]]]:
        """What task makes of each chunk of rows, in order; chunks are taken as workers free up (at 1M articles
        the driver was at ~9 GB RSS with every chunk made up front, 2.7 GB with them taken lazily)."""
        chunks = (_columns(chunk) for chunk in batched(rows, task.block))
        if self.workers == 1:
            yield from map(task, chunks)
            return
        with ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(task,)) as pool:
            yield from _in_order(pool, _run_chunk, chunks, 2 * self.workers)

    def run(self, task: ChunkTask, rows: Iterable[dict[str, Any]], out: Path) -> None:
        """Run task over rows, streaming what it makes into one Parquet file (constant memory)."""
        out.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(out / "part-00000.parquet", task.schema) as writer:
            for made in self._chunks(task, rows):
                if any(made.values()):
                    writer.write_table(pa.table(made, schema=task.schema))

    def map(self, fn: Callable[[T], R], payloads: Sequence[T]) -> list[R]:
        """fn over payloads: in this process (workers=1), else on a pool kept for the fold's steps."""
        if self.workers == 1 or len(payloads) <= 1:
            return [fn(p) for p in payloads]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        return list(self._pool.map(fn, payloads))

    def imap(self, fn: Callable[[T], R], payloads: Iterable[T]) -> Iterator[R]:
        """fn over payloads taken lazily (two per worker in flight), results in order: a payload is made only when
        a slot frees, so the driver never holds every payload at once."""
        if self.workers == 1:
            yield from map(fn, payloads)
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        yield from _in_order(self._pool, fn, payloads, 2 * self.workers)

    def band_candidates(
        self, keys: NDArray[np.uint64], cap: int, limit: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The band shuffle on the pool: rows split by key, each partition's pairs spilled to files by document
        partition, then each document partition's top candidates. Pairs gathered on the driver outgrew memory
        at 1M documents (a republished text shares all 32 bands with each of its earlier copies: up to 1,024
        pairs a document); spilled, the driver holds the rows and the top candidates only."""
        flat, docs = band_rows(keys)
        parts = max(self.workers * 4, -(-len(flat) // ROWS_PER_PART))
        with tempfile.TemporaryDirectory(prefix="newsfold-shuffle-") as spill:
            rows = ((k, d, cap, spill, p, parts) for p, (k, d) in enumerate(split(flat, parts, flat, docs)))
            pairs = sum(self.imap(spill_partition, rows))
            del flat, docs
            tops = list(self.imap(top_spilled, ((spill, p, parts, limit) for p in range(parts))))
        log.info("band shuffle: %d rows in %d partitions, %d pairs spilled", keys.size, parts, pairs)
        empty = np.zeros(0, dtype=np.int64)
        return np.concatenate([empty, *(t[0] for t in tops)]), np.concatenate([empty, *(t[1] for t in tops)])

    def components(self, n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        """Connected components by scipy.sparse.csgraph, labelled by each component's smallest node."""
        from scipy.sparse import coo_matrix  # noqa: PLC0415  scipy is the [ray] extra's (the batch fold's components)
        from scipy.sparse.csgraph import connected_components  # noqa: PLC0415  scipy is the [ray] extra's (the batch fold's components)

        graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
        _, labels = connected_components(graph, directed=False)
        smallest = np.full(int(labels.max()) + 1 if n else 0, n, dtype=np.int64)
        np.minimum.at(smallest, labels, np.arange(n, dtype=np.int64))
        out: NDArray[np.int64] = smallest[labels]
        return out

    def close(self) -> None:
        """Shut the fold's pool down (a chunk task's pool closes after its run)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
