"""Enrichment stored by the story hook, shown by `story --json`, the API and entity pages."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import httpx
from click.testing import CliRunner
from fastapi import FastAPI

from newsfold.cli import cli
from newsfold.enrich.hook import EnrichHook
from newsfold.hooks import decorate_story, story_hooks
from newsfold.model import Article, Origin, Paragraph
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from newsfold.store.enrichment import article_entities, article_events, entity_page
from newsfold.web.app import create_app
from tests.conftest import SEEDS
from tests.enrich.seeds import PUBLISHED, seed_article, seed_limited


def store_story(db: Database, story_id: str, articles: list[Article]) -> None:
    """Store articles as one story: the first the original, the others its copies (folding stands aside)."""
    with db.write() as conn:
        articles_db.insert_articles(conn, articles)
        stories_db.create_story(conn, story_id, articles[0].title or "")
        for n, article in enumerate(articles):
            relation = "original" if n == 0 else "copy"
            stories_db.set_member(conn, article.id, story_id, relation, None if n == 0 else articles[0].id)
        stories_db.refresh_story(conn, story_id)


class Client:
    """In-process requests to the app through httpx's ASGI transport (no server)."""

    def __init__(self, app: FastAPI) -> None:
        """Serve requests from app."""
        self.app = app

    def get(self, path: str) -> httpx.Response:
        """GET path."""

        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://newsfold.test") as client:
                return await client.get(path)

        return asyncio.run(fetch())


def count(db: Database, sql: str, *params: object) -> int:
    """One number from the database."""
    with db.read() as conn:
        return int(conn.execute(sql, params).fetchone()[0])


def test_seed_story_json_has_highlights_entities_and_timeline(db: Database, tmp_path: Path) -> None:
    a, b = seed_article(), seed_limited()
    store_story(db, "seed", [a, b])
    EnrichHook()(db, {"seed"})
    result = CliRunner().invoke(cli, ["story", "seed", "--db", db.path, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert 3 <= len(data["highlights"]) <= 5
    assert not set(data["highlights"]) & set(b.highlights)
    people = {e["name"]: e for e in data["entities"] if e["kind"] == "person"}
    sudani = people["Mohammed Shia al-Sudani"]
    assert {"Sudani", "Soudani"} <= set(sudani["aliases"]) and sudani["mentions"] >= 8
    assert set(sudani) == {"id", "name", "kind", "aliases", "mentions"}
    places = {e["name"]: e for e in data["entities"] if e["kind"] == "place"}
    assert {"Akasha", "Akashat"} <= {places["Akasha"]["name"], *places["Akasha"]["aliases"]}
    days = {(t["date"], t["precision"]) for t in data["timeline"]}
    for day in ("2024-01-28", "2024-01-30", "2024-02-02", "2024-02-05", "2024-02-07"):
        assert (day, "day") in days
    assert ("2023-10-01", "month") in days
    assert all(set(t) == {"date", "precision", "text", "article_id"} for t in data["timeline"])
    assert {t["article_id"] for t in data["timeline"]} <= {a.id, b.id}
    with db.read() as conn:
        own = {e.name: e for e in article_entities(conn, b.id)}
        events = article_events(conn, b.id)
    assert own["Mohammed Shia al-Sudani"].aliases == ["Sudani"]
    assert own["Akasha"].aliases == ["Akashat"] and own["Akasha"].sentences
    assert any(e.date == "2024-02-07" and e.expression == "Wednesday" for e in events)


def test_hook_is_idempotent_and_entities_link_across_stories(db: Database) -> None:
    store_story(db, "seed", [seed_article(), seed_limited()])
    hook = EnrichHook()
    hook(db, {"seed"})
    rows = count(db, "SELECT count(*) FROM entity_mentions")
    events = count(db, "SELECT count(*) FROM events")
    hook(db, {"seed"})
    assert count(db, "SELECT count(*) FROM entity_mentions") == rows
    assert count(db, "SELECT count(*) FROM events") == events
    later = Article(
        origin=Origin("later"),
        title="Iraq's prime minister visits Washington",
        language="en",
        published=PUBLISHED,
        paragraphs=[
            Paragraph("Iraqi Prime Minister Mohammed Shia al-Sudani arrived in Washington on Sunday for talks."),
            Paragraph("Sudani said the talks would cover the future of the coalition, a spokesman said."),
        ],
    )
    store_story(db, "later", [later])
    hook(db, {"later"})
    with db.read() as conn:
        seed = decorate_story(conn, stories_db.get_story(conn, "seed"))  # type: ignore[arg-type]
        other = decorate_story(conn, stories_db.get_story(conn, "later"))  # type: ignore[arg-type]
        sudani = next(e for e in seed.entities if e.name == "Mohammed Shia al-Sudani")
        assert sudani.id in {e.id for e in other.entities}
        page = entity_page(conn, sudani.id)
    assert page is not None and [s.id for s in page.stories] == ["seed", "later"]


def test_merged_story_loses_its_enrichment(db: Database) -> None:
    a, b = seed_article(), seed_limited()
    store_story(db, "one", [a])
    store_story(db, "two", [b])
    hook = EnrichHook()
    hook(db, {"one", "two"})
    assert count(db, "SELECT count(*) FROM events WHERE story_id = 'two'") > 0
    with db.write() as conn:
        stories_db.merge_stories(conn, "one", ["two"])
        stories_db.refresh_story(conn, "one")
        stories_db.refresh_story(conn, "two")
    hook(db, {"one", "two"})
    assert count(db, "SELECT count(*) FROM events WHERE story_id = 'two'") == 0
    assert count(db, "SELECT count(*) FROM entity_mentions WHERE story_id = 'two'") == 0
    assert count(db, "SELECT count(DISTINCT article_id) FROM entity_mentions WHERE story_id = 'one'") == 2
    assert count(db, "SELECT count(*) FROM entities WHERE stories = 0") == 0


def test_entity_pages_and_story_page_links(db: Database) -> None:
    store_story(db, "seed", [seed_article(), seed_limited()])
    EnrichHook()(db, {"seed"})
    client = Client(create_app(db))
    story = client.get("/api/stories/seed").json()
    pmf = next(e for e in story["entities"] if e["name"] == "Popular Mobilization Forces")
    html = client.get("/stories/seed").text
    assert f'href="/entities/{pmf["id"]}"' in html and "Timeline" in html and "Highlights" in html
    page = client.get(f"/api/entities/{pmf['id']}").json()
    assert page["name"] == "Popular Mobilization Forces" and page["kind"] == "organization"
    assert "PMF" in page["aliases"] and page["stories"][0]["id"] == "seed"
    assert page["stories"][0]["sentences"]
    shown = CliRunner().invoke(cli, ["entity", pmf["id"], "--db", db.path, "--json"])
    assert shown.exit_code == 0 and json.loads(shown.output)["stories"][0]["id"] == "seed"
    shown = CliRunner().invoke(cli, ["entity", pmf["id"], "--db", db.path])
    assert "Popular Mobilization Forces  [organization" in shown.output and "also written: PMF" in shown.output
    assert CliRunner().invoke(cli, ["entity", "nope", "--db", db.path]).exit_code != 0
    html = client.get(f"/entities/{pmf['id']}").text
    assert "Popular Mobilization Forces" in html and 'href="/stories/seed"' in html
    assert client.get("/api/entities/nope").status_code == 404
    assert client.get("/entities/nope").status_code == 404


def test_ingest_runs_the_hook(tmp_path: Path) -> None:
    """The CLI's ingest path enriches every story it creates (whatever folding and extraction make of the seeds)."""

    path = tmp_path / "n.db"
    result = CliRunner().invoke(cli, ["ingest", str(SEEDS), "--db", str(path)])
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(path)
    stories = [r[0] for r in conn.execute("SELECT id FROM stories WHERE merged_into IS NULL AND size > 0")]
    assert stories
    for story_id in stories:
        assert json.loads(conn.execute("SELECT highlights FROM stories WHERE id = ?", (story_id,)).fetchone()[0])
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    conn.close()
    assert len(story_hooks()) >= 1
