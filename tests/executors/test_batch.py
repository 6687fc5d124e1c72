"""`newsfold batch`: the same stories as `newsfold ingest`, resumable, counts that add up."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from newsfold.batch import BatchJob
from newsfold.cli import cli
from newsfold.executors.local import LocalExecutor
from newsfold.fold.features.embed import Embedder
from newsfold.fold.features.prepared import Prepared
from newsfold.fold.incremental import folder as folder_module
from newsfold.model import Article
from newsfold.store.db import Database
from tests.conftest import SEED_ARTICLE, SEED_LIMITED, data_dir
from tests.extract.test_furniture import PROMO
from tests.extract.test_furniture import _page as furniture_page


def run(args: list[str]) -> tuple[int, str, str]:
    """Invoke the CLI in-process."""
    result = CliRunner().invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    return int(result.return_value or 0), result.stdout, result.stderr


def memberships(stories_jsonl: str) -> set[frozenset[str]]:
    """Stories as sets of member article ids."""
    return {frozenset(a["id"] for a in json.loads(line)["articles"]) for line in stories_jsonl.splitlines()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A mixed folder: the seeds, small HTML and text pages, and bad inputs."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SEED_ARTICLE, folder / "a.txt")
    shutil.copy(SEED_LIMITED, folder / "sub" / "b.txt")
    for i in range(12):
        (folder / f"page{i:02d}.html").write_text(
            f"<html><head><title>Harbour report {i}</title></head><body><article><h1>Harbour report {i}</h1>"
            f"<p>The harbour authority of town {i} said on Monday that {i * 3} ships were delayed by storms "
            f"and that the pier would reopen after repairs costing {i * 1000} euros.</p></article></body></html>"
        )
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    return folder


def test_batch_equals_ingest_and_counts_add_up(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "ingest.db"
    run(["ingest", str(corpus), "--db", str(db)])
    expected = memberships(run(["stories", "--json", "--limit", "1000", "--db", str(db)])[1])
    out = tmp_path / "out"
    status, _, err = run(["batch", str(corpus), "--out", str(out), "--workers", "2", "--db", str(tmp_path / "b.db")])
    assert status == 2, "two inputs are skipped"
    assert "empty.txt: empty file" in err and "binary.txt: binary file" in err
    loaded = run(["stories", "--json", "--limit", "1000", "--db", str(tmp_path / "b.db")])[1]
    assert memberships(loaded) == expected
    # the loaded store ran the story hooks once per story: highlights, entities, timelines as ingest has them
    by_id = {
        s["id"]: s
        for s in map(json.loads, run(["stories", "--json", "--limit", "1000", "--db", str(db)])[1].splitlines())
    }
    for story in map(json.loads, loaded.splitlines()):
        want = by_id[story["id"]]
        assert (story["highlights"], story["entities"], story["timeline"]) == (
            want["highlights"],
            want["entities"],
            want["timeline"],
        )
    assert any(s["timeline"] for s in by_id.values()), "the seed story has a timeline"
    status, page, _ = run(["refresh-pages", "--db", str(tmp_path / "b.db")])
    assert page.strip() == "0 story pages stored", "every story's page was stored when the store was loaded"
    extracted = pq.read_table(out / "extracted").to_pylist()
    inputs = {r["location"] for r in extracted}
    assert len(inputs) == 16, "read = kept + skipped: every input has a row"
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    stories = pq.read_table(out / "stories.parquet").to_pylist()
    assert len(articles) == sum(1 for r in extracted if r["status"] == "kept")
    assert {a["story_id"] for a in articles} == {s["id"] for s in stories}
    assert parquet_view(out) == store_view(db), "the exported Parquet equals what ingest stored"


STORED = ("id", "title", "text", "language", "published", "source_url", "story_id", "relation", "copy_of")
STORY = ("id", "title", "languages", "first_published", "last_updated", "original_name", "original_url", "size")


def parquet_view(out: Path) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """Articles (with story, relation, copy_of) and live stories (with metadata) of a batch's Parquet output."""
    articles = pq.read_table(out / "articles.parquet", columns=list(STORED)).to_pylist()
    stories = pq.read_table(out / "stories.parquet", columns=list(STORY)).to_pylist()
    return {tuple(a.values()) for a in articles}, {tuple(s.values()) for s in stories}


def store_view(db: Path) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
    """The same of a store that `newsfold ingest` wrote."""
    conn = sqlite3.connect(db)
    try:
        articles = {tuple(r) for r in conn.execute(f"SELECT {', '.join(STORED)} FROM articles")}
        live = "WHERE merged_into IS NULL AND size > 0"
        stories = {tuple(r) for r in conn.execute(f"SELECT {', '.join(STORY)} FROM stories {live}")}
    finally:
        conn.close()
    return articles, stories


def test_batch_resumes_after_its_last_completed_stage(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    assert first.ran == ["extract", "prepare", "fold", "export"]
    (out / "articles.parquet").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["completed"].remove("export")
    (out / "manifest.json").write_text(json.dumps(manifest))
    again = BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    assert again.resumed == ["extract", "prepare", "fold"] and again.ran == ["export"]
    assert (out / "articles.parquet").exists()
    assert again.documents == first.documents and again.stories == first.stories


def test_an_interrupted_fold_is_redone_and_its_leftovers_ignored(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    before = {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in ("articles", "stories")}
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["completed"] = ["extract", "prepare"]  # the fold stopped half-way: its output never appeared
    (out / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(out / "folded")
    (out / "folded.tmp").mkdir()
    (out / "folded.tmp" / "members.parquet").write_text("half a file")
    (out / "articles.parquet").write_text("a stale export")
    again = BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    assert again.resumed == ["extract", "prepare"] and again.ran == ["fold", "export"]
    assert not (out / "folded.tmp").exists()
    after = {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in ("articles", "stories")}
    for name, rows in before.items():
        strip = [{k: v for k, v in row.items() if k not in ("ingested", "created")} for row in rows]
        assert strip == [{k: v for k, v in row.items() if k not in ("ingested", "created")} for row in after[name]]
    assert again.stories == first.stories > 0


def test_other_inputs_start_over(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    (corpus / "late.txt").write_text("A late addition\n\nA new report arrived about the harbour and its ships.\n")
    again = BatchJob([str(corpus)], out, LocalExecutor(1), max_bytes=1_000_000).run()
    assert again.ran == ["extract", "prepare", "fold", "export"]


@pytest.mark.slow
def test_local_ray_gives_the_same_stories(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    db = tmp_path / "ingest.db"
    run(["ingest", str(corpus), "--db", str(db)])
    expected = memberships(run(["stories", "--json", "--limit", "1000", "--db", str(db)])[1])
    status, _, err = run(
        ["batch", str(corpus), "--out", str(tmp_path / "r"), "--local", "2", "--db", str(tmp_path / "r.db")]
    )
    assert status == 2, err
    assert memberships(run(["stories", "--json", "--limit", "1000", "--db", str(tmp_path / "r.db")])[1]) == expected


def write_mixed_corpus(folder: Path, real: int) -> int:
    """Real wikinews-en stories as .txt files, an edited copy of every third one, and synthetic reports."""

    source = data_dir("wikinews-en") / "wikinews_2019.csv"
    folder.mkdir(parents=True)
    with source.open(newline="", encoding="utf-8") as handle:
        rows = [r for _, r in zip(range(real), csv.DictReader(handle), strict=False)]
    written = 0
    for i, row in enumerate(rows):
        text = f"{row['title']}\n\n{row['text']}\n"
        (folder / f"wn{i:04d}.txt").write_text(text, encoding="utf-8")
        written += 1
        if i % 3 == 0:
            copy = text.replace(" the ", " the the ", 2) + "\nThis article was republished from Wikinews.\n"
            (folder / f"wn{i:04d}-copy.txt").write_text(copy, encoding="utf-8")
            written += 1
    for i in range(real):
        town = ["Harbourton", "Millbrook", "Eastfield", "Kingsbay"][i % 4]
        (folder / f"syn{i:04d}.txt").write_text(
            f"Storm closes the pier in {town}\n\nThe harbour authority of {town} said that {i % 7 + 2} ships were "
            f"delayed by the storm and that the pier would reopen after repairs. Mayor Ana Lopez of {town} thanked "
            f"the crews. Report number {i} adds that {i * 13 % 97} families were moved to the school hall.\n",
            encoding="utf-8",
        )
        written += 1
    return written


def test_prepared_folding_equals_ingest_on_real_and_synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "mixed"
    written = write_mixed_corpus(corpus, 80)
    db = tmp_path / "ingest.db"
    run(["ingest", str(corpus), "--db", str(db)])
    expected = memberships(run(["stories", "--json", "--limit", "10000", "--db", str(db)])[1])
    assert sum(len(s) > 1 for s in expected) >= 20, "copies and reports fold into stories of several articles"

    computed: list[int] = []
    original = folder_module.prepare

    def counting(articles: Sequence[Article], embedder: Embedder, now: datetime) -> list[Prepared]:
        """The folder's own preparation, counted."""
        computed.append(len(articles))
        return original(articles, embedder, now)

    monkeypatch.setattr(folder_module, "prepare", counting)
    out = tmp_path / "out"
    job = BatchJob([str(corpus)], out, LocalExecutor(2), max_bytes=1_000_000)
    report = job.run()
    assert report.documents == written and not report.skipped
    assert sum(computed) == 0, "the folder used the executor's prepared inputs and computed none itself"
    prepared = pq.read_table(out / "prepared", columns=["article_id", "chunk"]).to_pylist()
    assert len(prepared) == written
    assert not (out / "store.db").exists(), "the distributed fold writes Parquet, no store"
    job.load_store(tmp_path / "b.db")
    got = memberships(run(["stories", "--json", "--limit", "10000", "--db", str(tmp_path / "b.db")])[1])
    assert got == expected
    assert parquet_view(out) == store_view(db), "the exported Parquet equals what ingest stored"


def _texts(db: Path) -> dict[str, str]:
    """Every stored article's text by id."""
    store = Database(db)
    try:
        with store.read() as conn:
            return dict(conn.execute("SELECT id, text FROM articles").fetchall())
    finally:
        store.close()


def _furniture_rows(db: Path) -> list[tuple[str, str, int]]:
    """What a store learned about recurring lines."""
    store = Database(db)
    try:
        with store.read() as conn:
            return conn.execute("SELECT source, line_key, pages FROM furniture_lines ORDER BY 1, 2").fetchall()
    finally:
        store.close()


@pytest.mark.parametrize("runner", ["pool", pytest.param("ray", marks=pytest.mark.slow)])
def test_batch_learns_furniture_as_ingest_does(tmp_path: Path, runner: str) -> None:
    """Pages of one site whose promo line no rule knows: ingest learns it as furniture after a few pages; batch,
    which extracts the pages in parallel, gives the same texts and saves the same furniture in its store."""
    if runner == "ray":
        pytest.importorskip("ray")
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(6):
        (folder / f"page{n}.txt").write_bytes(furniture_page(n))
    (folder / "page9.txt").write_bytes(furniture_page(0))  # the same page again counts once
    run(["ingest", str(folder), "--db", str(tmp_path / "ingest.db")])
    expected = _texts(tmp_path / "ingest.db")
    assert sum(PROMO in text for text in expected.values()) < len(expected), "ingest learned the promo"
    where = ["--workers", "2"] if runner == "pool" else ["--local", "2"]
    status, _, err = run(["batch", str(folder), "--out", str(tmp_path / "out"), *where, "--db", str(tmp_path / "b.db")])
    assert status == 0, err
    assert _texts(tmp_path / "b.db") == expected
    assert _furniture_rows(tmp_path / "b.db") == _furniture_rows(tmp_path / "ingest.db")
    articles = pq.read_table(tmp_path / "out" / "articles.parquet").to_pylist()
    assert {a["id"]: a["text"] for a in articles} == expected
