"""What an executor does: run the extract task over input items and write the rows as Parquet parts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pyarrow as pa

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
        ("keys", pa.list_(pa.uint64())),
        ("vector", pa.list_(pa.float32())),
    ]
)


class Executor(Protocol):
    """Runs ExtractTask over items and writes its rows under a folder as Parquet files."""

    name: str

    def extract(self, items: Sequence[InputItem], out: Path, max_bytes: int) -> None:
        """Extract every item and write the rows (kept and skipped) as Parquet files under out."""
        ...

    def prepare(self, chunks: Sequence[tuple[int, str]], out: Path, embedder: str, now: str) -> None:
        """Run PrepareTask over (chunk, JSON rows) pairs and write the prepared rows as Parquet files under out."""
        ...

    def close(self) -> None:
        """Release workers or the cluster connection."""
        ...
