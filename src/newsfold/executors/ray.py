"""The Ray executor: the same chunk tasks as an actor pool over Ray Data blocks (local or a cluster)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from newsfold.errors import NewsfoldError
from newsfold.executors.tasks import ChunkTask
from newsfold.fold.batch.distributed import band_rows
from newsfold.fold.features import lsh

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
MAX_ROUNDS = 64


def bucket_group(batch: dict[str, NDArray[Any]], cap: int, parts: int) -> dict[str, NDArray[Any]]:
    """Ray Data map_groups over one band-key partition: lsh.bucket_pairs, rows re-keyed by document."""
    firsts, seconds = lsh.bucket_pairs(batch["key"], batch["doc"].astype(np.int64), cap)
    return {"part": firsts % parts, "first": firsts, "second": seconds}


def top_group(batch: dict[str, NDArray[Any]], limit: int) -> dict[str, NDArray[Any]]:
    """Ray Data map_groups over one document partition: lsh.top_candidates."""
    first, second, _ = lsh.top_candidates(batch["first"].astype(np.int64), batch["second"].astype(np.int64), limit)
    return {"first": first, "second": second}


def send_labels(batch: dict[str, NDArray[Any]], labels: NDArray[np.int64], parts: int) -> dict[str, NDArray[Any]]:
    """Hash-to-min, the message step: an edge whose ends have different labels hooks both labels (roots) to the
    smaller one."""
    left, right = labels[batch["a"].astype(np.int64)], labels[batch["b"].astype(np.int64)]
    differ = left != right
    smaller = np.minimum(left, right)[differ]
    nodes = np.concatenate([left[differ], right[differ]])
    return {"part": nodes % parts, "node": nodes, "label": np.concatenate([smaller, smaller])}


def min_labels(batch: dict[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
    """Hash-to-min, the reduce step: each node's smallest label received."""
    nodes, labels = batch["node"].astype(np.int64), batch["label"].astype(np.int64)
    order = np.lexsort((labels, nodes))
    nodes, labels = nodes[order], labels[order]
    first = np.ones(len(nodes), dtype=bool)
    first[1:] = nodes[1:] != nodes[:-1]
    return {"node": nodes[first], "label": labels[first]}


def _fold_context() -> None:
    """Ray Data settings for the fold's shuffles: no progress bars; the sort-based pull shuffle (tasks), measured
    here at 0.2 s a small groupby against 10 s for the default hash shuffle, which starts aggregator actors each
    time (the fold runs a few shuffles per round of connected components)."""
    import ray.data  # noqa: PLC0415  ray is an optional extra
    from ray.data.context import ShuffleStrategy  # noqa: PLC0415  ray is an optional extra

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED


def _columns(dataset: Any, *names: str) -> list[NDArray[Any]]:
    """Columns of a Ray dataset gathered on the driver as numpy arrays."""
    parts = list(dataset.iter_batches(batch_format="numpy", batch_size=None))
    return [np.concatenate([p[n] for p in parts]) if parts else np.zeros(0, dtype=np.int64) for n in names]


class ArrowTask:
    """A chunk task as a Ray Data actor, answering with an Arrow table of the task's schema (Ray infers nothing)."""

    def __init__(self, task: ChunkTask) -> None:
        """Run task (unpickled once per actor: its models load once per actor)."""
        self.task = task

    def __call__(self, batch: dict[str, Any]) -> Any:
        """Columns in (numpy), an Arrow table out."""
        return pa.table(self.task(batch), schema=self.task.schema)


class RayExecutor:
    """Runs chunk tasks and the fold's steps on Ray: a cluster at address, or a local Ray instance with num_cpus
    CPUs."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        """Connect to (or start) Ray."""
        try:
            import ray  # noqa: PLC0415  ray is an optional extra
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

    def run(self, task: ChunkTask, rows: Iterable[dict[str, Any]], out: Path) -> None:
        """Run task on an actor pool (GPU actors when the task wants one and the cluster has GPUs) and write the
        rows it makes as Parquet parts under out."""
        import ray.data  # noqa: PLC0415  ray is an optional extra

        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        items = list(rows)  # from_items takes a list: all of them at once
        dataset = ray.data.from_items(items, override_num_blocks=max(1, min(len(items), self.parallelism * 4)))
        gpus = float(self._ray.cluster_resources().get("GPU", 0)) if task.gpu else 0.0  # type: ignore[no-untyped-call]
        # one CPU stays free for the write tasks: an actor pool holding every CPU starves them
        actors = max(1, int(gpus) if gpus >= 1 else self.parallelism - 1)
        resources: dict[str, Any] = {"num_gpus": 1} if gpus >= 1 else {}
        made = dataset.map_batches(
            ArrowTask,
            fn_constructor_args=(task,),
            batch_size=task.block,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=actors),
            **resources,
        )
        made.write_parquet(str(out))

    def map(self, fn: Callable[[T], R], payloads: Sequence[T]) -> list[R]:
        """fn over payloads as Ray tasks (payloads travel through the object store); results in order."""
        remote = self._ray.remote(fn)
        return list(self._ray.get([remote.remote(p) for p in payloads]))

    def imap(self, fn: Callable[[T], R], payloads: Iterable[T]) -> Iterator[R]:
        """fn over payloads as Ray tasks, taken lazily (two per CPU in flight), results in order: a payload enters
        the object store only when a slot frees."""
        remote = self._ray.remote(fn)
        window = 2 * self.parallelism
        pending: deque[Any] = deque()
        for payload in payloads:
            pending.append(remote.remote(payload))
            if len(pending) >= window:
                yield self._ray.get(pending.popleft())
        while pending:
            yield self._ray.get(pending.popleft())

    def band_candidates(
        self, keys: NDArray[np.uint64], cap: int, limit: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The band shuffle with Ray Data: rows grouped by key partition -> pairs grouped by document -> top-k."""
        import ray.data  # noqa: PLC0415  ray is an optional extra

        _fold_context()
        parts = self.parallelism
        flat, docs = band_rows(keys)
        rows = ray.data.from_arrow(pa.table({"part": flat % np.uint64(parts), "key": flat, "doc": docs}))
        pairs = rows.groupby("part", num_partitions=parts).map_groups(
            partial(bucket_group, cap=cap, parts=parts), batch_format="numpy"
        )
        tops = pairs.groupby("part", num_partitions=parts).map_groups(
            partial(top_group, limit=limit), batch_format="numpy"
        )
        first, second = _columns(tops, "first", "second")
        return first.astype(np.int64), second.astype(np.int64)

    def components(self, n: int, a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.int64]:
        """Connected components by hash-to-min rounds on Ray Data: each edge with differently labelled ends hooks
        both labels to the smaller (messages grouped by node, a min per node), then pointer jumping on the driver's
        label array; it ends when every edge's ends agree (a few rounds: O(log n)). Labels are each component's
        smallest node."""
        import ray.data  # noqa: PLC0415  ray is an optional extra

        _fold_context()
        labels = np.arange(n, dtype=np.int64)
        if np.array_equal(labels[a], labels[b]):
            return labels  # no edge joins two nodes
        parts = self.parallelism
        edges = ray.data.from_arrow(pa.table({"a": a, "b": b})).materialize()
        for _ in range(MAX_ROUNDS):
            if np.array_equal(labels[a], labels[b]):
                return labels  # every component is a star around its smallest node
            sent = edges.map_batches(send_labels, fn_args=(labels, parts), batch_format="numpy")
            received = sent.groupby("part", num_partitions=parts).map_groups(min_labels, batch_format="numpy")
            nodes, smallest = _columns(received, "node", "label")
            np.minimum.at(labels, nodes.astype(np.int64), smallest.astype(np.int64))
            while True:  # pointer jumping: every node to its root
                jumped = labels[labels]
                if np.array_equal(jumped, labels):
                    break
                labels = jumped
        raise NewsfoldError(f"connected components did not converge in {MAX_ROUNDS} rounds")

    def close(self) -> None:
        """Disconnect from Ray (a local instance stops)."""
        self._ray.shutdown()
