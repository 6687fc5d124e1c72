"""What an executor does: extract and prepare inputs into Parquet parts, and run the distributed fold's steps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from newsfold.executors.tasks import INT_COLUMNS, ROW_COLUMNS, InputItem

ROW_SCHEMA = pa.schema([(column, pa.int64() if column in INT_COLUMNS else pa.string()) for column in ROW_COLUMNS])
PREPARED_SCHEMA = pa.schema(
    [
        ("chunk", pa.int64()),
        ("article_id", pa.string()),
        ("group", pa.string()),
        ("at", pa.float64()),
        ("text_hash", pa.string()),
        ("shingles", pa.list_(pa.string())),
        ("term_ids", pa.list_(pa.int64())),
        ("term_counts", pa.list_(pa.float64())),
        ("names", pa.list_(pa.string())),
        ("lead", pa.string()),
        ("language", pa.string()),
        ("title_words", pa.list_(pa.string())),
        ("sentences", pa.list_(pa.string())),
        ("name_keys", pa.list_(pa.string())),
        ("keys", pa.list_(pa.uint64())),
        ("vector", pa.list_(pa.float32())),
    ]
)


T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ExtractTask over items and writes its rows under a folder as Parquet files."""

    name: str

    def extract(self, items: Sequence[InputItem], out: Path, max_bytes: int) -> None:
        """Extract every item and write the rows (kept and skipped) as Parquet files under out."""
        ...

    def prepare(self, chunks: Iterable[tuple[int, str]], out: Path, embedder: str, now: str) -> None:
        """Run PrepareTask over (chunk, JSON rows) pairs, taken lazily; write the prepared rows as Parquet under out."""
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
