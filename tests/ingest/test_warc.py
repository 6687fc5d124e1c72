"""WARC archives: HTML responses become articles, other records are skipped, memory stays flat."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from newsfold.ingest.warc import iter_warc
from newsfold.model import RawInput
from newsfold.store.db import Database
from tests.ingest.helpers import article_html, invoke
from tests.ingest.warcs import write_warc


def test_warc_html_responses_become_articles(tmp_path: Path, runner: CliRunner) -> None:
    """`newsfold ingest file.warc.gz` stores one article per HTML page, with the record's URL."""
    pages = [(f"http://w.example/story/{i}", article_html(f"Story number {i}", seed=i)) for i in range(3)]
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages)
    items = list(iter_warc(warc))
    assert [i.url for i in items if isinstance(i, RawInput)] == [u for u, _ in pages]
    db_path = tmp_path / "w.db"
    status, output = invoke(runner, ["ingest", str(warc), "--db", str(db_path)])
    assert status == 0, output
    assert "3 new" in output
    db = Database(db_path)
    with db.read() as conn:
        rows = conn.execute("SELECT title, origin_location FROM articles ORDER BY title").fetchall()
    db.close()
    assert [r["origin_location"] for r in rows] == [u for u, _ in pages]
    assert rows[0]["title"] == "Story number 0"
    assert "0 new" in invoke(runner, ["ingest", str(warc), "--db", str(db_path)])[1]


def test_broken_warc_is_reported(tmp_path: Path, runner: CliRunner) -> None:
    """A file named .warc that is not one fails with one line and exit status 2."""
    bad = tmp_path / "bad.warc"
    bad.write_bytes(b"this is not a warc archive at all\r\n\r\n")
    status, output = invoke(runner, ["ingest", str(bad), "--db", str(tmp_path / "b.db")])
    assert status == 2
    assert "bad.warc: not a readable WARC archive" in output


def _peak(path: Path) -> tuple[int, int]:
    """Records streamed and the peak traced memory while streaming them."""
    tracemalloc.start()
    count = sum(1 for item in iter_warc(path) if isinstance(item, RawInput))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return count, peak


def test_warc_streams_in_constant_memory(tmp_path: Path) -> None:
    """Ten times the records do not take (anywhere near) ten times the memory."""
    page = article_html("Same size page", seed=7)
    small, large = tmp_path / "small.warc.gz", tmp_path / "large.warc.gz"
    write_warc(small, ((f"http://w.example/{i}", page) for i in range(100)), extras=False)
    write_warc(large, ((f"http://w.example/{i}", page) for i in range(1000)), extras=False)
    small_count, small_peak = _peak(small)
    large_count, large_peak = _peak(large)
    assert (small_count, large_count) == (100, 1000)
    assert large_peak < small_peak * 2
