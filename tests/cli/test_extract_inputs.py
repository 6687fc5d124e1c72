"""`newsfold extract` reads an input exactly as `ingest` does: WARC records, feeds and OPML lists included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from tests.extract.test_html import PARAGRAPHS, page
from tests.ingest.warcs import write_warc


def _extract(path: Path) -> tuple[int, list[dict[str, object]], str]:
    """Run `extract --json` on one file: status, documents, stderr."""
    result = CliRunner().invoke(cli, ["extract", str(path), "--json"], catch_exceptions=False, standalone_mode=False)
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return int(result.return_value or 0), docs, result.stderr


@pytest.mark.parametrize("name", ["pages.warc.gz", "pages.warc"])
def test_warc_records_are_read_as_pages(tmp_path: Path, name: str) -> None:
    """Each HTML response of a WARC (gzipped or not) is one page, not a binary file nor one text."""
    path = tmp_path / name
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    write_warc(path, [("https://news.example.org/a", page(body)), ("https://news.example.org/b", page(body))])
    status, docs, err = _extract(path)
    assert status == 0, err
    assert len(docs) == 2
    assert all(d["kind"] == "article" and "northern districts" in str(d["text"]) for d in docs)


def _feed(entries: list[tuple[str, str]]) -> str:
    """An RSS feed of (link, content) entries."""
    items = "".join(
        f"<item><title>Story {i}</title><link>{link}</link><pubDate>Fri, 03 May 2024 10:00:00 GMT</pubDate>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        for i, (link, content) in enumerate(entries)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Example News</title><link>https://news.example.org/</link>{items}</channel></rss>"
    )


def test_feed_entries_are_documents_of_their_own(tmp_path: Path) -> None:
    """A feed carrying whole articles gives one document per entry, not one article of raw entries."""
    full = "".join(f"<p>{p}</p>" for p in PARAGRAPHS * 2)
    path = tmp_path / "news.rss"
    path.write_text(_feed([("https://news.example.org/1", full), ("https://news.example.org/2", full)]), "utf-8")
    status, docs, err = _extract(path)
    assert status == 0, err
    assert [d["title"] for d in docs] == ["Story 0", "Story 1"]
    assert "<item>" not in str(docs[0]["text"])


def test_what_needs_fetching_is_refused_saying_to_use_ingest(tmp_path: Path) -> None:
    """Feed entries that only link to their pages, and OPML lists, need fetching: one line each, naming ingest."""
    feed = tmp_path / "links.rss"
    feed.write_text(_feed([("https://news.example.org/1", "Short teaser.")]), "utf-8")
    opml = tmp_path / "sources.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>s</title></head><body>'
        '<outline type="rss" text="x" xmlUrl="https://news.example.org/feed"/></body></opml>',
        "utf-8",
    )
    for path in (feed, opml):
        status, docs, err = _extract(path)
        assert status == 2
        assert not docs
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1
        assert str(path) in lines[0] or "news.example.org" in lines[0]
        assert "newsfold ingest" in lines[0]
