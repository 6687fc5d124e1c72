"""A failure stays with its input or its story: ingest, run and batch keep the rest, say what failed, exit 2."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.engine import ingest
from newsfold.errors import InputError
from newsfold.executors.tasks import DocumentsTask, InputItem
from newsfold.fold.incremental.folder import Folder
from newsfold.ingest.collect import Collected, Collector
from newsfold.ingest.files import iter_inputs
from newsfold.model import Article
from newsfold.steps import default_documents, default_pipeline
from newsfold.store import integrity as integrity_db
from newsfold.store.db import Database
from newsfold.store.sources import Source
from tests.ingest.helpers import article_html, invoke

SURROGATE_FEED = (
    '<rss version="2.0"><channel><item><title>&#xD800;</title><link>https://x.example/1</link></item></channel></rss>'
)


def _good(tmp_path: Path, count: int = 2) -> list[Path]:
    """Saved pages of distinct stories."""
    out = []
    for i in range(count):
        path = tmp_path / f"good{i}.html"
        path.write_text(article_html(f"Story number {i} of the day", seed=60 + i, url=f"https://g{i}.example/n/{i}"))
        out.append(path)
    return out


def _articles(db: Database) -> int:
    """Articles stored."""
    with db.read() as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def test_one_bad_file_keeps_the_rest_and_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    """A feed whose reader raises (a lone surrogate) fails alone: both good files are stored, exit status 2."""
    bad = tmp_path / "a.rss"
    bad.write_text(SURROGATE_FEED)
    good = _good(tmp_path)
    db_path = tmp_path / "c.db"
    status, out = invoke(runner, ["ingest", str(good[0]), str(bad), str(good[1]), "--db", str(db_path)])
    assert status == 2
    assert "2 new" in out and "1 failed" in out
    # the failure names its input, on one line (the feed itself reads since the surrogate is replaced: its entry fails)
    assert f"{bad}: " in out or "https://x.example/1: " in out
    assert "Traceback" not in out
    db = Database(db_path)
    assert _articles(db) == 2
    db.close()


def test_a_reader_that_raises_mid_input_fails_that_input_only(tmp_path: Path) -> None:
    """iter_inputs turns whatever one file's reader raises into that file's InputError and goes on."""
    bad = tmp_path / "a.rss"
    bad.write_text(SURROGATE_FEED)
    good = _good(tmp_path, 1)
    items = list(iter_inputs([str(bad), str(good[0])]))
    assert isinstance(items[0], InputError) and items[0].location == str(bad)
    assert not isinstance(items[-1], InputError) and items[-1].origin.location == str(good[0])


class _Explodes:
    """A step that raises on the article with a given title (what an extraction bug would do)."""

    name = "explodes"

    def __init__(self, title: str) -> None:
        """Raise on title."""
        self.title = title

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Pass articles through, raising on the chosen one."""
        for article in articles:
            if article.title == self.title:
                raise RecursionError("maximum recursion depth exceeded")
            yield article


def test_an_exception_in_a_step_fails_its_input_only(tmp_path: Path, db: Database) -> None:
    """Any exception from one input's extraction or steps becomes that input's failure; the batch is stored."""
    good = _good(tmp_path, 3)
    report = ingest(
        db,
        iter_inputs(map(str, good)),
        replace(default_pipeline(), documents=(_Explodes("Story number 1 of the day"),)),
    )
    assert report.new == 2 and _articles(db) == 2
    assert [f.location for f in report.failures] == [str(good[1])]
    assert "RecursionError" in report.failures[0].reason


def test_a_document_that_breaks_folding_fails_alone(
    tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch whose folding raises is stored document by document: only the one that breaks it fails."""
    good = _good(tmp_path, 3)
    real = Folder.fold

    def fold(self: Folder, conn: object, articles: list[Article], prepared: object = None) -> set[str]:
        if any(a.title == "Story number 2 of the day" for a in articles):
            raise IndexError("list index out of range")
        return real(self, conn, articles, prepared)  # type: ignore[arg-type]

    monkeypatch.setattr(Folder, "fold", fold)
    report = ingest(db, iter_inputs(map(str, good)), prepare_workers=0)
    assert report.new == 2 and _articles(db) == 2
    assert [f.location for f in report.failures] == [str(good[2])]
    with db.read() as conn:
        unplaced = conn.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0]
    assert unplaced == 0


def test_a_failing_story_hook_is_reported_kept_pending_and_rerun(tmp_path: Path, db: Database) -> None:
    """A hook that raises on one story: the others finish, that story is reported and stays pending; the next
    start reruns it."""
    good = _good(tmp_path, 3)
    seen: list[set[str]] = []
    broken = {"on": True}

    def story_of(title: str) -> str:
        with db.read() as conn:
            return str(conn.execute("SELECT story_id FROM articles WHERE title = ?", (title,)).fetchone()[0])

    def hook(database: Database, changed: set[str]) -> None:
        seen.append(set(changed))
        marks = ",".join("?" * len(changed))
        with database.read() as conn:
            rows = conn.execute(f"SELECT title FROM articles WHERE story_id IN ({marks})", sorted(changed))
            titles = {r[0] for r in rows}
        if broken["on"] and "Story number 2 of the day" in titles:
            raise KeyError("boom")

    report = ingest(db, iter_inputs(map(str, good)), default_pipeline(hooks=[hook]), batch_size=8)
    assert report.new == 3
    bad = story_of("Story number 2 of the day")
    assert [f.location for f in report.failures] == [f"story {bad}"]
    assert "KeyError" in report.failures[0].reason
    with db.read() as conn:
        assert integrity_db.pending_stories(conn) == {bad}
    broken["on"] = False
    seen.clear()
    again = ingest(db, iter(()), default_pipeline(hooks=[hook]))  # the next start: the pending story's hooks rerun
    assert not again.failures
    assert seen == [{bad}]
    with db.read() as conn:
        assert integrity_db.pending_stories(conn) == set()


class _RaisingFetcher:
    """A fetcher whose fetch raises what an unguarded HTTP library might (httpx.InvalidURL is a ValueError...)."""

    stop = None

    def fetch(self, url: str, **_: object) -> object:
        """Raise."""
        raise RuntimeError(f"Invalid URL {url!r}")


def test_a_page_whose_fetch_raises_fails_alone() -> None:
    """`run`: a feed entry whose fetch raises something unexpected is that page's failure, not the process's end."""
    collector = Collector(_RaisingFetcher())  # type: ignore[arg-type]
    out = Collected(source=Source(id=1, url="https://feeds.example/rss", name="Feeds"))
    collector.fetch_page(out, "http://0177.0.0.1/")
    assert [f.location for f in out.failures] == ["http://0177.0.0.1/"]
    assert "RuntimeError" in out.failures[0].reason
    whole = collector.collect(Source(id=1, url="http://127.000.000.001/", name="Bad"), list)
    assert whole.error is not None and "RuntimeError" in whole.error


def test_batch_extraction_skips_a_raising_input(tmp_path: Path) -> None:
    """`batch`: an input whose reader raises is a skipped row with its reason; the others are kept."""
    bad = tmp_path / "a.rss"
    bad.write_text(SURROGATE_FEED)
    good = _good(tmp_path, 1)
    rows = list(DocumentsTask(default_documents(), 1 << 20).rows([InputItem(0, str(bad)), InputItem(1, str(good[0]))]))
    kept = [r for r in rows if r["status"] == "kept"]
    skipped = [r for r in rows if r["status"] != "kept"]
    assert len(kept) == 1 and kept[0]["order"] == 1
    assert len(skipped) == 1 and skipped[0]["location"] == str(bad)
