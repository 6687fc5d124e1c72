"""The distributed fold (process pool and local Ray) gives exactly the stories, members, relations and edges of the
incremental folder that `newsfold ingest` runs, on a few thousand documents: the exported Parquet (articles and
stories) and the store loaded in bulk from its result equal the incremental folder's; its union-find equals
scipy's."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsfold.batch import BatchJob
from newsfold.executors.base import Executor
from newsfold.executors.local import LocalExecutor
from newsfold.executors.tasks import ROW_SCHEMA, columnar, kept_row
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.fold.link.index import stored_df
from newsfold.steps import default_pipeline
from tests.executors.corpus import mixed_articles

SETTINGS = FoldSettings(embedder="hashing")
Snapshot = dict[str, set[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def prepared_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch output folder with ~2,500 documents extracted (written directly) and prepared."""
    out = tmp_path_factory.mktemp("dist") / "base"
    articles = mixed_articles(300, 1800)
    (out / "extracted").mkdir(parents=True)
    rows = columnar(kept_row(order, article) for order, article in enumerate(articles))
    pq.write_table(pa.table(rows, schema=ROW_SCHEMA), out / "extracted" / "part-00000.parquet")
    job = BatchJob([], out, LocalExecutor(2), max_bytes=1, pipeline=default_pipeline(folder=Folder(SETTINGS)))
    (out / "manifest.json").write_text(json.dumps({"fingerprint": job.fingerprint, "completed": ["extract"]}))
    job._stage_prepare()  # the stage itself, then the folds below start from its output
    return out


STAMPS = {"ingested", "created"}  # when a row was written: the only columns that differ between two runs


def fold_with(base: Path, target: Path, executor: Executor, distributed: bool) -> Snapshot:
    """Run the fold and export stages on a copy of the prepared folder, then load a store from it; what the store
    and the exported Parquet hold."""
    shutil.copytree(base, target)
    job = BatchJob(
        [], target, executor, max_bytes=1, pipeline=default_pipeline(folder=Folder(SETTINGS)), distributed=distributed
    )
    (target / "manifest.json").write_text(
        json.dumps({"fingerprint": job.fingerprint, "completed": ["extract", "prepare"]})
    )
    report = job.run()
    assert report.ran == ["fold", "export"]
    assert (target / "store.db").exists() != distributed, "the distributed fold writes no store"
    job.load_store(target / "loaded.db")
    conn = sqlite3.connect(target / "loaded.db")
    try:
        got = snapshot(conn)
    finally:
        conn.close()
    for name in ("articles", "stories"):
        table = pq.read_table(target / f"{name}.parquet")
        got[f"{name}.parquet"] = {
            tuple(row[c] for c in table.column_names if c not in STAMPS) for row in table.to_pylist()
        }
    return got


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """Stories (with merges and metadata), members with relations and copy_of, verified edges, fold documents and
    the fold state (document frequencies)."""
    queries = {
        "stories": "SELECT * FROM stories",
        "members": "SELECT seq, id, story_id, relation, copy_of, score FROM articles",
        "edges": "SELECT a, b, relation, score FROM fold_edges",
        "docs": "SELECT doc, article_id, grp, at, text_hash, bands, embedding FROM fold_docs",
        "state": "SELECT key, value FROM fold_state",
    }
    out: Snapshot = {}
    for name, sql in queries.items():
        cursor = conn.execute(sql)
        columns = [d[0] for d in cursor.description]
        keep = [i for i, c in enumerate(columns) if c not in STAMPS]
        out[name] = {tuple(row[i] for i in keep) for row in cursor}
    # the frequencies as the store's rows add up (a whole table and later changes, or one whole table)
    state = {str(key): bytes(value) for key, value in out.pop("state")}
    df = stored_df(state)
    out["state"] = {("ndocs", state.get("ndocs")), ("df", None if df is None else df.tobytes())}
    return out


@pytest.fixture(scope="module")
def sequential(prepared_out: Path) -> Snapshot:
    """The incremental folder's result (the fold `newsfold ingest` runs, batch by batch)."""
    return fold_with(prepared_out, prepared_out.parent / "sequential", LocalExecutor(1), distributed=False)


def test_sequential_fold_makes_real_stories(sequential: Snapshot) -> None:
    assert len(sequential["members"]) > 2000
    stories = {m[2] for m in sequential["members"]}
    assert len(stories) < 0.6 * len(sequential["members"]), "copies and reports fold together"
    assert {e[2] for e in sequential["edges"]} == {"copy", "report"}
    assert {m[3] for m in sequential["members"]} == {"original", "copy", "report"}
    merged = [s for s in sequential["stories"] if s[-1] is not None]
    assert merged, "bridges merged stories (their rows keep the metadata of their last refresh)"
    assert any(s[-3] == 0 and s[2] != "[]" for s in merged), "a merged story refreshed before it was absorbed"
    assert len(sequential["stories.parquet"]) == len(stories)
    assert len(sequential["articles.parquet"]) == len(sequential["members"])


def test_process_pool_fold_equals_sequential(prepared_out: Path, sequential: Snapshot) -> None:
    executor = LocalExecutor(2)
    try:
        got = fold_with(prepared_out, prepared_out.parent / "pool", executor, distributed=True)
    finally:
        executor.close()
    for name in sequential:
        assert got[name] == sequential[name], name


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[Executor]:
    """A local 2-CPU Ray for the module."""
    pytest.importorskip("ray")
    from newsfold.executors.ray import RayExecutor  # noqa: PLC0415  ray is an optional extra

    executor = RayExecutor(num_cpus=2)
    yield executor
    executor.close()


@pytest.mark.slow
def test_ray_fold_equals_sequential(prepared_out: Path, sequential: Snapshot, ray_executor: Executor) -> None:
    got = fold_with(prepared_out, prepared_out.parent / "ray", ray_executor, distributed=True)
    for name in sequential:
        assert got[name] == sequential[name], name


def random_graph(n: int, m: int, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """m random edges on n nodes (self-loops and repeats included), plus a long path (many hash-to-min rounds)."""
    a = [rng.randrange(n) for _ in range(m)] + list(range(n // 2, n - 1))
    b = [rng.randrange(n) for _ in range(m)] + list(range(n // 2 + 1, n))
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    """Components as sets of nodes."""
    groups: dict[int, set[int]] = {}
    for node, label in enumerate(labels.tolist()):
        groups.setdefault(label, set()).add(node)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.slow
def test_ray_union_find_equals_scipy(ray_executor: Executor) -> None:

    rng = random.Random(5)
    for n, m in ((1, 0), (50, 20), (400, 300), (3000, 1500)):
        a, b = random_graph(n, m, rng)
        _, expected = connected_components(coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False)
        labels = ray_executor.components(n, a, b)
        assert partition(labels) == partition(expected)
        assert all(labels[node] == min(group) for group in partition(labels) for node in group)
        local = LocalExecutor(1).components(n, a, b)
        assert np.array_equal(local, labels)
