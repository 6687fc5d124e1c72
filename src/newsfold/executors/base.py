"""What an executor does: run the pipeline's per-document steps (a ChunkTask) over rows into Parquet parts, and the
distributed fold's steps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from newsfold.executors.tasks import ChunkTask

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs chunk tasks (the pipeline's per-document steps) and the distributed fold's steps on its workers."""

    name: str

    def run(self, task: ChunkTask, rows: Iterable[dict[str, Any]], out: Path) -> None:
        """Run task over rows (taken lazily, task.block a chunk) and write the rows it makes, in order, as Parquet
        files under out."""
        ...

    def map(self, fn: Callable[[T], R], payloads: Sequence[T]) -> list[R]:
        """fn (a module-level function) over payloads on the workers; the results in order."""
        ...

    def imap(self, fn: Callable[[T], R], payloads: Iterable[T]) -> Iterator[R]:
        """fn over payloads taken lazily, a bounded number in flight (the driver makes a payload when a slot
        frees); the results in order."""
        ...

    def band_candidates(
        self, keys: NDArray[np.uint64], cap: int, limit: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The LSH step of the distributed fold: (document, candidate) pairs, through a shuffle by band key (pairs
        by lsh.bucket_pairs) then by document (top candidates by lsh.top_candidates)."""
        ...

    def components(self, n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        """Connected components of the graph on nodes 0..n-1 with edges (a[i], b[i]): each node's smallest member."""
        ...

    def close(self) -> None:
        """Release workers or the cluster connection."""
        ...
