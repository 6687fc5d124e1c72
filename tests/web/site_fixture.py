"""The web tests' database: the seeds through the real ingest path, folded together, plus synthetic stories."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from newsfold.config import Config, load_config
from newsfold.engine import ingest
from newsfold.ingest.files import iter_inputs
from newsfold.model import Article, Origin, OriginalRef, Paragraph, Relation, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from tests.conftest import SEED_ARTICLE, SEED_LIMITED

HOSTILE_HTML = """<!doctype html><html><head>
<title>Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt; headline</title>
<link rel="canonical" href="javascript:window.__pwned=2">
<meta property="og:site_name" content="Evil &lt;img src=x onerror=window.__pwned=3&gt; Times">
<style>body{display:none}</style></head>
<body><article><h1>Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt; headline</h1>
<p>First paragraph with an <a href="javascript:window.__pwned=4">evil link</a> and
&lt;img src=x onerror="window.__pwned=5"&gt; text, long enough to count as an article body for the extractor.</p>
<p onclick="window.__pwned=6" style="position:fixed;top:0;left:0;width:100%;height:100%">Second paragraph:
&lt;svg onload=window.__pwned=7&gt; and &lt;style&gt;body{display:none}&lt;/style&gt; and more words that make
the body long enough for extraction to keep it.</p>
<script>window.__pwned=8</script>
<p>Third paragraph: javascript:alert(1) &lt;iframe src="javascript:window.__pwned=9"&gt;&lt;/iframe&gt; and
&lt;a href="javascript:window.__pwned=10"&gt;click&lt;/a&gt; closing words of the hostile article body.</p>
</article></body></html>
"""

NOW = datetime.now(UTC).replace(microsecond=0)
OLD_DAY = datetime(2023, 5, 17, 9, 30, tzinfo=UTC)


@dataclass(slots=True)
class Fixture:
    """What the tests need to know about the fixture database."""

    path: Path
    seed_story: str
    seed_articles: list[str]
    quake_story: str
    quake_articles: list[str]
    hostile_article: str
    hostile_story: str
    wire_stories: list[str] = field(default_factory=list)


def article(  # noqa: PLR0913  a test article's fields, most with defaults
    title: str,
    text: str,
    source: str,
    language: str,
    published: datetime | None,
    url: str | None = None,
    **extra: Any,
) -> Article:
    """A synthetic article."""
    return Article(
        origin=Origin(f"synthetic:{source}:{title}"),
        title=title,
        paragraphs=[Paragraph(p) for p in text.split("\n\n")],
        source=SourceRef(source, url),
        language=language,
        published=published,
        **extra,
    )


def add_story(conn: sqlite3.Connection, items: Sequence[tuple[Article, Relation]]) -> str:
    """Store articles as one story (the first one's id), with the given relations."""
    articles_db.insert_articles(conn, [a for a, _ in items])
    story_id = items[0][0].id
    stories_db.create_story(conn, story_id, items[0][0].title or "")
    first = items[0][0].id
    for item, relation in items:
        stories_db.set_member(conn, item.id, story_id, relation, copy_of=first if relation == "copy" else None)
    stories_db.refresh_story(conn, story_id)
    return story_id


def fold_together(conn: sqlite3.Connection, ids: Sequence[str]) -> str:
    """Put articles into one story as copies of one outside original (what folding must make of the seeds)."""
    rows = [conn.execute("SELECT story_id FROM articles WHERE id = ?", (i,)).fetchone()[0] for i in ids]
    keep = rows[0]
    stories_db.merge_stories(conn, keep, [r for r in rows[1:] if r != keep])
    for article_id in ids:
        stories_db.set_member(conn, article_id, keep, "copy")
    stories_db.refresh_story(conn, keep)
    return str(keep)


def seed_article_id(conn: sqlite3.Connection, seed: Path) -> str:
    """The id of the news article extracted from a seed file (the longest article about Karbala)."""
    rows = conn.execute(
        "SELECT id FROM articles WHERE origin_location = ? AND kind = 'article' AND text LIKE '%Karbala%' "
        "ORDER BY length(text) DESC",
        (str(seed),),
    ).fetchall()
    assert rows, f"no article about Karbala extracted from {seed}"
    return str(rows[0][0])


def build(folder: Path) -> Fixture:
    """Build the fixture database in folder."""
    path = folder / "site.db"
    hostile = folder / "hostile.html"
    hostile.write_text(HOSTILE_HTML, encoding="utf-8")
    db = Database(path)
    ingest(db, iter_inputs([str(SEED_ARTICLE), str(SEED_LIMITED), str(hostile)]))
    with db.write() as conn:
        seeds = [seed_article_id(conn, SEED_ARTICLE), seed_article_id(conn, SEED_LIMITED)]
        seed_story = fold_together(conn, seeds)
        hostile_id = conn.execute("SELECT id FROM articles WHERE origin_location = ?", (str(hostile),)).fetchone()[0]
        quake = [
            article(
                "Earthquake shakes the coast of Valdoria",
                "A strong earthquake shook the coast of Valdoria on Monday.\n\nRescuers searched the harbour town.",
                "Alpha News",
                "en",
                NOW - timedelta(hours=3),
                "https://alpha.example/quake",
                highlights=["A strong earthquake hit Valdoria", "Rescuers search the harbour town"],
            ),
            article(
                "Erdbeben erschüttert die Küste von Valdoria",
                "Ein starkes Erdbeben erschütterte am Montag die Küste von Valdoria.",
                "Beta Zeitung",
                "de",
                NOW - timedelta(hours=2),
                "https://beta.example/beben",
                machine_translated=True,
                original=OriginalRef("Alpha News", "https://alpha.example/quake", "en", NOW - timedelta(hours=3)),
            ),
            article(
                "Un terremoto sacude la costa de Valdoria",
                "Un fuerte terremoto sacudió el lunes la costa de Valdoria.",
                "Gamma Diario",
                "es",
                NOW - timedelta(hours=1),
                "https://gamma.example/terremoto",
            ),
        ]
        quake_story = add_story(conn, [(quake[0], "original"), (quake[1], "copy"), (quake[2], "report")])
        evil = article(
            "Evil links",
            "Body of an article whose links are hostile.",
            "Evil <b>Outlet</b>",
            "en",
            OLD_DAY,
            "javascript:window.__pwned=11",
            canonical_url="javascript:window.__pwned=12",
            machine_translated=True,
            original=OriginalRef("Orig<script>", "javascript:window.__pwned=13", "fr", None),
        )
        hostile_story = add_story(conn, [(evil, "original")])
        wire = []
        for n in range(35):
            item = article(
                f"Wire item {n:02d} about harbour tariffs",
                f"Harbour tariffs item number {n} of the wire, with a few words of text.",
                "Delta Wire",
                "en",
                OLD_DAY - timedelta(days=n % 3, minutes=n),
                f"https://delta.example/{n}",
            )
            wire.append(add_story(conn, [(item, "original")]))
        undated = article("Undated note", "A note without any date at all.", "Delta Wire", "en", None)
        wire.append(add_story(conn, [(undated, "original")]))
    db.close()
    return Fixture(
        path=path,
        seed_story=seed_story,
        seed_articles=seeds,
        quake_story=quake_story,
        quake_articles=[a.id for a in quake],
        hostile_article=str(hostile_id),
        hostile_story=hostile_story,
        wire_stories=wire,
    )


def site_config(**overrides: Any) -> Config:
    """Settings for tests: defaults only (no file, no environment), English and German readers."""
    return load_config(overrides={"reader_languages": ["en", "de"], **overrides}, environ={"NEWSFOLD_CONFIG": ""})


class Client:
    """A synchronous in-process client of an ASGI app (httpx over ASGITransport, no server)."""

    def __init__(self, app: Any) -> None:
        """Talk to app."""
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request."""
        return self._loop.run_until_complete(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        """One GET."""
        return self.request("GET", url, **kwargs)

    def close(self) -> None:
        """Close the client and its loop."""
        self._loop.run_until_complete(self._client.aclose())
        self._loop.close()
