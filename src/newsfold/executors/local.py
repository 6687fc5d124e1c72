"""The local executor: in-process, or a process pool of N workers, each with its own steps."""

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

from newsfold.executors.base import PREPARED_SCHEMA, ROW_SCHEMA
from newsfold.executors.tasks import ROW_COLUMNS, ExtractTask, InputItem, PrepareTask, columnar
from newsfold.fold.batch.distributed import band_rows, spill_partition, split, top_spilled
from newsfold.pipeline import batched

BLOCK = 32
ROWS_PER_PART = 1 << 20  # (band key, document) rows a shuffle partition holds at most (~16 MB, ~100 MB of pairs)
log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


class _Worker:
    """Per-process holder of one ExtractTask (set by the pool's initializer)."""

    task: ExtractTask | None = None
    prepare: PrepareTask | None = None


def _init_worker(max_bytes: int) -> None:
    """Create this worker process's task once."""
    _Worker.task = ExtractTask(max_bytes)


def _init_preparer(embedder: str, now: str) -> None:
    """Create this worker process's prepare task once."""
    _Worker.prepare = PrepareTask(embedder, now)


def _prepare_block(chunks: list[tuple[int, str]]) -> dict[str, list[Any]]:
    """Run the worker's prepare task over a few chunks."""
    assert _Worker.prepare is not None
    return _Worker.prepare.rows(chunks)


def _run_block(items: list[InputItem]) -> dict[str, list[Any]]:
    """Run the worker's task over one block of items."""
    assert _Worker.task is not None
    return columnar(_Worker.task.rows(items))


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
    """Runs the extract task in this process (workers=1) or in a pool of worker processes."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        """Use up to workers processes."""
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _blocks(self, items: Sequence[InputItem], max_bytes: int) -> Iterator[dict[str, list[Any]]]:
        """Column blocks of rows, in input order."""
        blocks = list(batched(items, BLOCK))
        if self.workers == 1:
            task = ExtractTask(max_bytes)
            for block in blocks:
                yield columnar(task.rows(block))
            return
        with ProcessPoolExecutor(self.workers, initializer=_init_worker, initargs=(max_bytes,)) as pool:
            yield from pool.map(_run_block, blocks)

    def extract(self, items: Sequence[InputItem], out: Path, max_bytes: int) -> None:
        """Extract every item, streaming rows into one Parquet file (constant memory)."""
        out.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(out / "part-00000.parquet", ROW_SCHEMA) as writer:
            for block in self._blocks(items, max_bytes):
                if block[ROW_COLUMNS[0]]:
                    writer.write_table(pa.table(block, schema=ROW_SCHEMA))

    def _prepared_blocks(
        self, chunks: Iterable[tuple[int, str]], embedder: str, now: str
    ) -> Iterator[dict[str, list[Any]]]:
        """Prepared column blocks, a few chunks each, in chunk order; chunks are taken as workers free up (at 1M
        articles the driver was at ~9 GB RSS with every chunk made up front, 2.7 GB with them taken lazily)."""
        blocks = batched(chunks, 4)
        if self.workers == 1:
            task = PrepareTask(embedder, now)
            for block in blocks:
                yield task.rows(block)
            return
        with ProcessPoolExecutor(self.workers, initializer=_init_preparer, initargs=(embedder, now)) as pool:
            yield from _in_order(pool, _prepare_block, blocks, 2 * self.workers)

    def prepare(self, chunks: Iterable[tuple[int, str]], out: Path, embedder: str, now: str) -> None:
        """Prepare every chunk, streaming rows into one Parquet file (chunks are read lazily)."""
        out.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(out / "part-00000.parquet", PREPARED_SCHEMA) as writer:
            for block in self._prepared_blocks(chunks, embedder, now):
                if block["chunk"]:
                    writer.write_table(pa.table(block, schema=PREPARED_SCHEMA))

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
        """Shut the fold's pool down (the extract and prepare pools close after each run)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
