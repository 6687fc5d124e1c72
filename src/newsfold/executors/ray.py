"""The Ray executor: the same ExtractTask as an actor pool over Ray Data blocks (local or a cluster)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsfold.errors import NewsfoldError
from newsfold.executors.base import PREPARED_SCHEMA, ROW_SCHEMA
from newsfold.executors.tasks import ExtractTask, InputItem, PrepareTask

log = logging.getLogger(__name__)


class ArrowExtractTask(ExtractTask):
    """ExtractTask answering with an Arrow table of the fixed row schema (Ray infers nothing)."""

    def __call__(self, batch: dict[str, Any]) -> Any:
        """Columns in (numpy), an Arrow table out."""
        return pa.table(super().__call__(batch), schema=ROW_SCHEMA)


class ArrowPrepareTask(PrepareTask):
    """PrepareTask answering with an Arrow table of the fixed prepared schema."""

    def __call__(self, batch: dict[str, Any]) -> Any:
        """Columns in (numpy), an Arrow table out."""
        return pa.table(super().__call__(batch), schema=PREPARED_SCHEMA)


class RayExecutor:
    """Runs ExtractTask on Ray: a cluster at address, or a local Ray instance with num_cpus CPUs."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        """Connect to (or start) Ray."""
        try:
            import ray
        except ImportError as exc:
            raise NewsfoldError("Ray is not installed: pip install 'newsfold[ray]'") from exc
        self._ray = ray
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
        if not ray.is_initialized():
            quiet: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
            if address:
                ray.init(address=address, **quiet)
            else:
                ray.init(num_cpus=num_cpus, include_dashboard=False, **quiet)
        self.parallelism = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]

    def extract(self, items: Sequence[InputItem], out: Path, max_bytes: int) -> None:
        """Extract every item on an actor pool and write the rows as Parquet parts under out."""
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        blocks = max(1, min(len(items), self.parallelism * 4))
        dataset = ray.data.from_items(
            [{"order": i.order, "location": i.location} for i in items], override_num_blocks=blocks
        )
        # one CPU stays free for the write tasks: an actor pool holding every CPU starves them
        actors = max(1, self.parallelism - 1)
        rows = dataset.map_batches(
            ArrowExtractTask,
            fn_constructor_args=(max_bytes,),
            batch_size=16,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors),
        )
        rows.write_parquet(str(out))

    def prepare(self, chunks: Sequence[tuple[int, str]], out: Path, embedder: str, now: str) -> None:
        """Prepare every chunk on an actor pool (GPU actors when the cluster has GPUs); Parquet parts under out."""
        import ray.data

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        blocks = max(1, min(len(chunks), self.parallelism * 4))
        dataset = ray.data.from_items([{"chunk": c, "payload": p} for c, p in chunks], override_num_blocks=blocks)
        gpus = float(self._ray.cluster_resources().get("GPU", 0))  # type: ignore[no-untyped-call]
        actors = max(1, int(gpus) if gpus >= 1 else self.parallelism - 1)
        resources: dict[str, Any] = {"num_gpus": 1} if gpus >= 1 else {}
        rows = dataset.map_batches(
            ArrowPrepareTask,
            fn_constructor_args=(embedder, now),
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors),
            **resources,
        )
        rows.write_parquet(str(out))

    def close(self) -> None:
        """Disconnect from Ray (a local instance stops)."""
        self._ray.shutdown()
