"""A syndicated page whose rel=canonical names the original on another site is stored under its own URL as a
copy of it: fetched first, second or read from files, it never blocks, replaces or hides the original."""

from __future__ import annotations

from html import escape

import pytest

from newsfold.engine import ingest
from newsfold.model import Origin, RawInput
from newsfold.store.db import Database
from tests.ingest.helpers import paragraphs

ORIGINAL = "https://origin.example/news/1"
COPY = "https://syndic.example/world/55"


def _html(site: str, canonical: str, own: str | None = None) -> bytes:
    """The story page as a site serves it: its canonical link, its og:url (own) and its site name."""
    og = f'<meta property="og:url" content="{escape(own)}">' if own else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(33))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Harbour talks resume</title>"
        f'<link rel="canonical" href="{escape(canonical)}">{og}'
        f'<meta property="og:site_name" content="{escape(site)}">'
        '<meta property="article:published_time" content="2026-11-20T10:00:00Z"></head>'
        f"<body><article><h1>Harbour talks resume</h1>{body}</article></body></html>"
    ).encode()


def _fetched(url: str, data: bytes) -> RawInput:
    """A page as the fetcher hands it over (its URL known)."""
    return RawInput(Origin(location=url, media_type="text/html"), data, media_type="text/html", url=url)


def _file(name: str, data: bytes) -> RawInput:
    """A saved page read from a file (no URL but what it says about itself)."""
    return RawInput(Origin(location=name, media_type="text/html"), data, media_type="text/html")


def _rows(db: Database) -> dict[str, tuple[str, str | None, str | None]]:
    """Stored articles by source name: (canonical URL, relation, copy_of)."""
    with db.read() as conn:
        rows = conn.execute("SELECT id, source_name, canonical_url, relation, copy_of, story_id FROM articles")
        return {
            r["source_name"]: (r["canonical_url"], r["relation"], r["copy_of"], r["id"], r["story_id"]) for r in rows
        }


ORIGINAL_PAGE = _html("Origin Times", ORIGINAL)
COPY_PAGE = _html("Syndic Daily", ORIGINAL, COPY)


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param([[_fetched(COPY, COPY_PAGE)], [_fetched(ORIGINAL, ORIGINAL_PAGE)]], id="copy fetched first"),
        pytest.param([[_fetched(ORIGINAL, ORIGINAL_PAGE)], [_fetched(COPY, COPY_PAGE)]], id="copy fetched second"),
        pytest.param([[_file("copy.html", COPY_PAGE), _file("original.html", ORIGINAL_PAGE)]], id="from files"),
    ],
)
def test_a_syndicated_copy_is_stored_under_its_own_url(db: Database, inputs: list[list[RawInput]]) -> None:
    """Both pages are stored; the copy keeps its own URL and is a copy of the original, which stays the original."""
    new = sum(ingest(db, batch, prepare_workers=0).new for batch in inputs)
    assert new == 2
    rows = _rows(db)
    original, copy = rows["Origin Times"], rows["Syndic Daily"]
    assert original[0] == ORIGINAL and original[1] == "original"
    assert copy[0] == COPY and copy[1] == "copy" and copy[2] == original[3]
    assert copy[4] == original[4]  # one story


def test_a_syndicated_copy_alone_is_a_copy_of_the_outside_original(db: Database) -> None:
    """Before the original is stored, the copy names it by URL (an outside original) and keeps its own."""
    assert ingest(db, [_fetched(COPY, COPY_PAGE)], prepare_workers=0).new == 1
    canonical, relation, copy_of, _, _ = _rows(db)["Syndic Daily"]
    assert (canonical, relation, copy_of) == (COPY, "copy", ORIGINAL)
