"""What `newsfold ingest` and `newsfold batch` store for the seeds, pinned as digests (benchmarks/digest.py): a step
dropped, reordered or run differently by one command changes them."""

from __future__ import annotations

from pathlib import Path

from benchmarks.digest import batch_digest, overall, store_digest
from click.testing import CliRunner

from newsfold.cli import cli
from tests.conftest import SEEDS

# the seeds' store (articles, stories, fold edges, entities, mentions, events) and a batch's Parquet export, measured
# before the one pipeline of issue 20 and unchanged by it
SEEDS_STORE = "0a758eaf709f04b6"
SEEDS_BATCH = "aa504cf471fd89b0"


def _run(args: list[str]) -> None:
    """Invoke the CLI in-process, failing on a non-zero status."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    assert int(result.return_value or 0) == 0, result.stderr


def test_ingest_stores_the_pinned_digest(tmp_path: Path) -> None:
    db = tmp_path / "seeds.db"
    _run(["ingest", str(SEEDS), "--db", str(db)])
    parts = store_digest(db)
    assert [parts[t][0] for t in ("articles", "stories", "fold_edges")] == [3, 2, 1]
    assert parts["entities"][0] > 0 and parts["events"][0] > 0, "the story hooks ran"
    assert overall(parts) == SEEDS_STORE, parts


def test_batch_writes_and_loads_the_pinned_digests(tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "batch.db"
    _run(["batch", str(SEEDS), "--out", str(out), "--db", str(db)])
    assert overall(batch_digest(out)) == SEEDS_BATCH, batch_digest(out)
    assert overall(store_digest(db)) == SEEDS_STORE, store_digest(db)
