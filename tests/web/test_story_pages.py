"""Story pages rendered ahead by the story hook: served while current, rebuilt live when anything they show changed."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsfold.config import Config
from newsfold.enrich.hook import EnrichHook
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend
from newsfold.store.db import Database
from newsfold.store.enrichment import add_enrichment, add_enrichments
from newsfold.store.pages import rendered_page, stored_parts
from newsfold.web.app import create_app
from newsfold.web.page_value import to_json
from newsfold.web.personal import fill
from newsfold.web.reader import COOKIE
from newsfold.web.site import Site
from newsfold.web.story.stored import refresh, story_html, story_reader
from newsfold.web.story.view import story_view
from tests.web.site_fixture import Client, article, site_config
from tests.web.test_precomputed import SECOND_COPY, WHEN, make_db

MARK = b"<!-- served-from-story-pages -->"


@pytest.fixture()
def flood(tmp_path: Path) -> Iterator[tuple[Database, str, str]]:
    """A database with a flood story and a related one, both pages rendered ahead."""
    db, flood_id, related_id = make_db(tmp_path / "pages.db")
    assert refresh(db, [flood_id, related_id], config=site_config()) == 2
    yield db, flood_id, related_id
    db.close()


def site_client(db: Backend, config: Config | None = None) -> tuple[Client, Site]:
    """A fresh site (empty response cache) over db."""
    app = create_app(db, config or site_config())
    return Client(app), app.state.site


def mark_stored(db: Backend, story_id: str) -> None:
    """Put a marker into the stored HTML (its stamp untouched), so a test sees whether a response came from it."""
    with db.write() as conn:
        row = conn.execute("SELECT html FROM story_pages WHERE story_id = ?", (story_id,)).fetchone()
        html = zlib.decompress(row[0]).replace(b"</body>", MARK + b"</body>")
        conn.execute("UPDATE story_pages SET html = ? WHERE story_id = ?", (zlib.compress(html), story_id))


def for_reader(stored: bytes, response: httpx.Response) -> bytes:
    """A page as stored or built, filled in for the reader of a response (the CSRF token it was given; no account
    menu on a site without accounts)."""
    found = re.search(rb'<meta name="csrf-token" content="([^"]*)">', response.content)
    return fill(stored, found.group(1).decode("ascii") if found else "", b"")


def live(site: Site, db: Backend, story_id: str, target: str | None = "en") -> bytes:
    """The story page built live now, as a request without parameters would get it."""
    with db.read() as conn:
        page = story_view(conn, story_id, site.terms).in_language(conn, site.translator, target)
        return story_html(site, page, story_reader(site, story_id, target)).content


def test_stored_page_equals_a_live_build_and_is_served(flood: tuple[Database, str, str]) -> None:
    db, story_id, related_id = flood
    client, site = site_client(db)
    try:
        with db.read() as conn:
            rendered = rendered_page(conn, story_id, "en", site.render_context)
            assert rendered is not None
            document = site.json(to_json(story_view(conn, story_id, site.terms, whole=False))).content
        assert rendered.html == live(site, db, story_id)  # same bytes: no per-request bit in a plain request
        assert json.loads(rendered.document) == json.loads(document) and rendered.document == document
        page = client.get(f"/stories/{story_id}")
        assert page.status_code == 200 and page.content == for_reader(rendered.html, page)
        assert "Content-Security-Policy" in page.headers and page.headers["vary"] == "Cookie"
        assert f"/stories/{related_id}".encode() in page.content  # "You may like" from the stored cards
        again = client.get(f"/stories/{story_id}", headers={"if-none-match": page.headers["etag"]})
        assert again.status_code == 304
        api = client.get(f"/api/stories/{story_id}")
        assert api.status_code == 200 and api.content == document
    finally:
        client.close()
        site.close()


def test_requests_use_the_stored_page_only_where_it_applies(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    mark_stored(db, story_id)
    client, site = site_client(db)
    try:
        assert MARK in client.get(f"/stories/{story_id}").content
        assert MARK in client.get(f"/stories/{story_id}?lang=en").content  # the same page as the default
        for variant in (
            client.get(f"/stories/{story_id}?lang=original"),
            client.get(f"/stories/{story_id}?lang=de"),
            client.get(f"/stories/{story_id}", headers={"cookie": f"{COOKIE}=de"}),
            client.get(f"/stories/{story_id}", headers={"cookie": f"{COOKIE}=original"}),
            client.get(f"/stories/{story_id}?utm=1"),  # the language form returns to another address
        ):
            assert variant.status_code == 200 and MARK not in variant.content
        assert b'value="original" selected' in client.get(f"/stories/{story_id}?lang=original").content
    finally:
        client.close()
        site.close()
    # a site whose default reader language is another one renders its own pages live
    german, german_site = site_client(db, site_config(reader_languages=["de", "en"]))
    try:
        assert MARK not in german.get(f"/stories/{story_id}").content
    finally:
        german.close()
        german_site.close()


def test_stored_page_goes_stale_when_a_member_is_added(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    mark_stored(db, story_id)
    later = article("Solvane floods Mirecourt again", SECOND_COPY, "Delta", "en", WHEN + timedelta(hours=2))
    with db.write() as conn:
        articles_db.insert_articles(conn, [later])
        stories_db.set_member(conn, later.id, story_id, "copy", copy_of=None)
        stories_db.refresh_story(conn, story_id)
    client, site = site_client(db)
    try:
        with db.read() as conn:
            assert rendered_page(conn, story_id, "en", site.render_context) is None
        page = client.get(f"/stories/{story_id}")
        assert page.status_code == 200 and MARK not in page.content and b"Delta" in page.content
        refresh(db, [story_id], config=site_config())  # what the story hook does after the batch
        with db.read() as conn:
            rendered = rendered_page(conn, story_id, "en", site.render_context)
        assert rendered is not None and b"Delta" in rendered.html
        assert rendered.html == live(site, db, story_id)
    finally:
        client.close()
        site.close()


def test_stored_page_goes_stale_when_a_relation_changes(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    with db.write() as conn:
        copy_id = conn.execute(
            "SELECT id FROM articles WHERE story_id = ? AND relation = 'copy'", (story_id,)
        ).fetchone()[0]
        conn.execute("UPDATE articles SET relation = 'report', copy_of = NULL WHERE id = ?", (copy_id,))
    client, site = site_client(db)
    try:
        with db.read() as conn:
            assert rendered_page(conn, story_id, "en", site.render_context) is None
    finally:
        client.close()
        site.close()


def test_stored_page_goes_stale_when_a_related_story_changes(flood: tuple[Database, str, str]) -> None:
    db, story_id, related_id = flood
    mark_stored(db, story_id)
    with db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Mirecourt rebuilds its bridges' WHERE id = ?", (related_id,))
    client, site = site_client(db)
    try:
        with db.read() as conn:
            assert rendered_page(conn, story_id, "en", site.render_context) is None
            story = stories_db.get_story(conn, story_id)
            assert story is not None
            members = articles_db.get_articles(conn, [m.article_id for m in story.members])
            stored = stored_parts(conn, story_id, members)
        # the related ids still hold (the members did not change), their stored cards do not
        assert stored is not None and stored.related == [related_id] and stored.related_cards is None
        page = client.get(f"/stories/{story_id}")
        assert MARK not in page.content and b"Mirecourt rebuilds its bridges" in page.content
    finally:
        client.close()
        site.close()


def test_stored_page_goes_stale_when_language_or_rendering_context_changes(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    client, site = site_client(db)
    try:
        with db.read() as conn:
            assert rendered_page(conn, story_id, "en", site.render_context) is not None
            assert rendered_page(conn, story_id, "de", site.render_context) is None
            other_models = site.render_context.replace("|none|", "|tiny-de-en|")
            assert other_models != site.render_context
            assert rendered_page(conn, story_id, "en", other_models) is None
    finally:
        client.close()
        site.close()


def test_stale_or_absent_row_falls_back_to_the_live_build(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    client, site = site_client(db)
    try:
        expected = live(site, db, story_id)
        with db.write() as conn:
            conn.execute("UPDATE story_pages SET page_stamp = 'stale' WHERE story_id = ?", (story_id,))
        first = client.get(f"/stories/{story_id}")
        assert first.status_code == 200 and first.content == for_reader(expected, first)
        with db.write() as conn:
            conn.execute("DELETE FROM story_pages WHERE story_id = ?", (story_id,))
        fresh, fresh_site = site_client(db)
        try:
            page = fresh.get(f"/stories/{story_id}")
            assert page.status_code == 200 and page.content == for_reader(expected, page)
            assert fresh.get(f"/api/stories/{story_id}").status_code == 200
        finally:
            fresh.close()
            fresh_site.close()
    finally:
        client.close()
        site.close()


def test_related_api_reads_the_stored_related_ids(flood: tuple[Database, str, str]) -> None:
    db, story_id, related_id = flood
    with db.write() as conn:
        wire = article("Harbour tariffs rise", "The harbour raised its tariffs.", "Delta", "en", WHEN)
        articles_db.insert_articles(conn, [wire])
        stories_db.create_story(conn, wire.id, wire.title or "")
        stories_db.set_member(conn, wire.id, wire.id, "original")
        stories_db.refresh_story(conn, wire.id)
        # the stored ids say what "You may like" shows (a full-text search would never find this one)
        conn.execute(
            "UPDATE story_pages SET related = ?, related_cards = '[]', related_stamp = '' WHERE story_id = ?",
            (json.dumps([wire.id]), story_id),
        )
    client, site = site_client(db)
    try:
        data = client.get(f"/api/stories/{story_id}/related").json()
        assert [item["id"] for item in data["related"]] == [wire.id]
        assert [t["article_id"] for t in data["timeline"]] and data["story_id"] == story_id
        assert related_id not in {item["id"] for item in data["related"]}
    finally:
        client.close()
        site.close()


def test_live_builds_are_bounded(flood: tuple[Database, str, str]) -> None:
    db, story_id, _ = flood
    app = create_app(db, site_config(**{"web.live_builds": 1}))
    site: Site = app.state.site
    running = {"now": 0, "most": 0}
    lock = threading.Lock()
    inner: Callable[..., Any] = site._run

    def counted(build: Any) -> Any:
        """Count builds running at once."""
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        try:
            time.sleep(0.01)
            return inner(build)
        finally:
            with lock:
                running["now"] -= 1

    site._run = counted  # type: ignore[method-assign]

    async def many() -> list[httpx.Response]:
        """Eight different pages at once (nothing cached)."""
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            paths = [f"/stories/{story_id}?lang=original&n={n}" for n in range(8)]
            return list(await asyncio.gather(*(client.get(p) for p in paths)))

    try:
        responses = asyncio.run(many())
    finally:
        site.close()
    assert [r.status_code for r in responses] == [200] * 8
    assert running["most"] == 1
    assert any("queue;dur=" in r.headers["server-timing"] for r in responses)


def test_add_enrichments_equals_add_enrichment(tmp_path: Path) -> None:
    db, story_id, related_id = make_db(tmp_path / "enriched.db")
    try:
        EnrichHook()(db, {story_id, related_id})
        with db.read() as conn:
            one = [stories_db.get_story(conn, i) for i in (story_id, related_id)]
            many = [stories_db.get_story(conn, i) for i in (story_id, related_id)]
            assert all(s is not None for s in one + many)
            singles = [add_enrichment(conn, s) for s in one if s is not None]
            add_enrichments(conn, [s for s in many if s is not None])
        assert singles == many
        assert any(s.entities for s in singles) and any(s.highlights for s in singles)
    finally:
        db.close()
