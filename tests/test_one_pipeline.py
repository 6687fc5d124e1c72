"""One pipeline: adding a stage is adding one Step to newsfold.steps.default_documents(), and then `ingest` and
`batch` (in this process, a process pool, Ray) all run it; the pipeline names its steps in the order they run."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from benchmarks.digest import overall, store_digest
from click.testing import CliRunner

from newsfold import steps as steps_module
from newsfold.cli import cli
from newsfold.hooks import pipeline
from newsfold.model import Article
from newsfold.pipeline import Step
from tests.conftest import SEEDS
from tests.test_digest import SEEDS_STORE

MARK = "marked by the added step"


class Mark:
    """A test stage: writes MARK into each document's section, a column every store and export keeps."""

    name = "mark"

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Mark each article."""
        for article in articles:
            article.section = MARK
            yield article


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default document steps with Mark added at their end: the one place a stage is added."""
    original = steps_module.default_documents

    def documents() -> list[Step]:
        return [*original(), Mark()]

    monkeypatch.setattr(steps_module, "default_documents", documents)


def _run(args: list[str]) -> None:
    """Invoke the CLI in-process, failing on a non-zero status."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    assert int(result.return_value or 0) == 0, result.stderr


def _sections(db: Path) -> list[str | None]:
    """Every stored article's section."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT section FROM articles")]
    finally:
        conn.close()


def test_the_pipeline_names_its_steps_in_order() -> None:
    names = pipeline().names
    assert names[:4] == ["read", "language", "prepare", "fold"]
    assert names[4:] == ["enrich", "translate", "pages"]


@pytest.mark.usefixtures("marked")
def test_ingest_runs_an_added_step(tmp_path: Path) -> None:
    db = tmp_path / "ingest.db"
    _run(["ingest", str(SEEDS), "--db", str(db)])
    assert _sections(db) == [MARK] * 3
    assert overall(store_digest(db)) != SEEDS_STORE, "the pinned digest sees a step added"


@pytest.mark.usefixtures("marked")
@pytest.mark.parametrize("runner", ["in-process", "pool", "ray"])
def test_batch_runs_an_added_step(tmp_path: Path, runner: str) -> None:
    where = {"in-process": ["--workers", "1"], "pool": ["--workers", "2"], "ray": ["--local", "2"]}[runner]
    if runner == "ray":
        ray = pytest.importorskip("ray", reason="Ray is an optional extra (pip install 'newsfold[ray]')")
        ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # Ray's workers cannot import tests/
    out, db = tmp_path / "out", tmp_path / "batch.db"
    _run(["batch", str(SEEDS), "--out", str(out), "--db", str(db), *where])
    assert pq.read_table(out / "articles.parquet").column("section").to_pylist() == [MARK] * 3
    assert _sections(db) == [MARK] * 3
