"""Serving while ingesting: a commit renews only the pages it changed, and a page is rebuilt once, not per request."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any

import pytest

from newsfold.store.base import Backend
from newsfold.web.site import Body, Site
from tests.web.site_fixture import Client, Fixture, build

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def site_data(tmp_path_factory: pytest.TempPathFactory) -> Fixture:
    """A fixture database of this module's own (its tests change stories and articles)."""
    return build(tmp_path_factory.mktemp("invalidation"))


def _site(client: Client) -> Site:
    """The site behind the test client."""
    site = client.app.state.site
    assert isinstance(site, Site)
    return site


def test_an_article_page_outlives_commits_to_other_stories(
    client: Client, site_db: Backend, site_data: Fixture
) -> None:
    site = _site(client)
    quake, seed = site_data.quake_articles[0], site_data.seed_articles[0]
    for url in (f"/articles/{quake}", f"/api/articles/{quake}", f"/articles/{seed}"):
        assert client.get(url).status_code == 200
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Seed, retitled' WHERE id = ?", (site_data.seed_story,))
    hits = site.cache.hits
    assert client.get(f"/articles/{quake}").status_code == 200
    assert client.get(f"/api/articles/{quake}").status_code == 200
    assert site.cache.hits == hits + 2, "a commit to another story leaves this article's pages cached"
    hits = site.cache.hits
    assert client.get(f"/articles/{seed}").status_code == 200
    assert site.cache.hits == hits, "the article's own story changed: its page is built again"
    with site_db.write() as conn:
        conn.execute("UPDATE articles SET title = 'Quake report, retitled' WHERE id = ?", (quake,))
    assert "Quake report, retitled" in client.get(f"/articles/{quake}").text
    assert client.get(f"/api/articles/{quake}").json()["title"] == "Quake report, retitled"


def test_a_story_document_outlives_commits_to_other_stories(
    client: Client, site_db: Backend, site_data: Fixture
) -> None:
    site = _site(client)
    url = f"/api/stories/{site_data.quake_story}"
    client.get(url)
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Elsewhere again' WHERE id = ?", (site_data.wire_stories[6],))
    hits = site.cache.hits
    client.get(url)
    assert site.cache.hits == hits + 1
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Quake document, retitled' WHERE id = ?", (site_data.quake_story,))
    assert client.get(url).json()["title"] == "Quake document, retitled"


def _counting(site: Site, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the page builds the site runs (each call of its worker-thread build)."""
    builds: list[int] = []
    real: Callable[[Callable[[sqlite3.Connection], Body]], tuple[Body, float]] = site._run

    def counted(build: Callable[[sqlite3.Connection], Body]) -> tuple[Body, float]:
        builds.append(1)
        return real(build)

    monkeypatch.setattr(site, "_run", counted)
    return builds


def _together(client: Client, urls: list[str]) -> list[Any]:
    """GET every url at once on the client's loop."""

    async def all_of() -> list[Any]:
        return list(await asyncio.gather(*(client._client.get(url) for url in urls)))

    return client._loop.run_until_complete(all_of())


def test_a_listing_is_rebuilt_once_for_many_waiting_requests(
    client: Client, site_db: Backend, site_data: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(client)
    builds = _counting(site, monkeypatch)
    url = "/api/stories?limit=200"
    first = _together(client, [url] * 12)
    assert len(builds) == 1 and {r.status_code for r in first} == {200}
    assert len({r.content for r in first}) == 1
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Listing, retitled' WHERE id = ?", (site_data.wire_stories[2],))
    builds.clear()
    after = _together(client, [url] * 12)
    assert len(builds) == 1, "one build after the commit, shared by the requests that came meanwhile"
    assert {r.status_code for r in after} == {200}
    assert "Listing, retitled" in client.get(url).text


def test_a_story_page_is_built_once_for_many_waiting_requests(
    client: Client, site_data: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(client)
    builds = _counting(site, monkeypatch)
    url = f"/stories/{site_data.wire_stories[8]}?lang=original"
    pages = _together(client, [url] * 10)
    assert len(builds) == 1 and len({r.content for r in pages}) == 1


def _slow_builds(site: Site, monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make every page build take at least this long."""
    real: Callable[[Callable[[sqlite3.Connection], Body]], tuple[Body, float]] = site._run

    def slow(build: Callable[[sqlite3.Connection], Body]) -> tuple[Body, float]:
        time.sleep(seconds)
        return real(build)

    monkeypatch.setattr(site, "_run", slow)


def test_a_listing_is_answered_as_it_was_while_other_requests_wait_for_builds(
    client: Client, site_db: Backend, site_data: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(client)
    first, second = "/api/stories?limit=150", "/api/stories?limit=140"
    before = {url: client.get(url).content for url in (first, second)}
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Stale, retitled' WHERE id = ?", (site_data.wire_stories[3],))
    _slow_builds(site, monkeypatch, 0.3)
    builds = _counting(site, monkeypatch)
    answers = [r.content for r in _together(client, [first, second])]
    assert b"Stale, retitled" in answers[0], "a request alone waits for the rebuild"
    assert answers[1] == before[second], "while it waits, another listing is answered as it was (no queueing)"
    client._loop.run_until_complete(site.settle())
    assert len(builds) == 2, "and rebuilt once meanwhile"
    assert "Stale, retitled" in client.get(second).text


def test_a_listing_is_not_answered_as_it_was_after_a_takedown(
    client: Client, site_db: Backend, site_data: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(client)
    url = "/api/stories?limit=120"
    assert client.get(url).status_code == 200
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Taken, retitled' WHERE id = ?", (site_data.wire_stories[4],))
        conn.execute("INSERT INTO takedowns (at, target_kind, target) VALUES ('2026-12-02', 'url', 'https://x.test/')")
    _slow_builds(site, monkeypatch, 0.2)
    answers = _together(client, [url] * 4)
    assert all("Taken, retitled" in r.text for r in answers), "what a takedown removed is never shown again"
