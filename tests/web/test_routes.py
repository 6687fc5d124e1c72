"""Every page and its JSON twin, in-process against the fixture database."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from newsfold.cli import cli
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend
from newsfold.store.db import Database
from newsfold.web.app import create_app
from newsfold.web.cursor import MAX_LIMIT
from newsfold.web.site import Site
from tests.web.site_fixture import NOW, OLD_DAY, Client, Fixture, add_story, article, site_config

pytestmark = pytest.mark.both_backends


def html(response: object) -> HTMLParser:
    """A response's body parsed as HTML."""
    return HTMLParser(response.text)  # type: ignore[attr-defined]


def twins(data: Fixture) -> list[tuple[str, str]]:
    """Every page with its JSON twin."""
    day = NOW.date().isoformat()
    return [
        ("/", "/api/"),
        (f"/stories/{data.seed_story}", f"/api/stories/{data.seed_story}"),
        (f"/articles/{data.seed_articles[1]}", f"/api/articles/{data.seed_articles[1]}"),
        ("/trending", "/api/trending"),
        (f"/day/{day}", f"/api/day/{day}"),
        ("/sources", "/api/sources"),
        ("/sources/Delta%20Wire", "/api/sources/Delta%20Wire"),
        ("/search?q=Karbala", "/api/search?q=Karbala"),
        ("/entities?kind=place", "/api/entities?kind=place"),
    ]


def test_every_page_and_its_json_twin(client: Client, site_data: Fixture) -> None:
    for page, api in twins(site_data):
        r = client.get(page)
        assert r.status_code == 200, page
        assert r.headers["content-type"].startswith("text/html")
        doc = html(r)
        assert len(doc.css("h1")) == 1, page
        j = client.get(api)
        assert j.status_code == 200, api
        assert j.headers["content-type"].startswith("application/json")
        assert isinstance(j.json(), dict)


def test_every_page_links_its_twin_by_the_one_rule(client: Client, site_data: Fixture) -> None:
    """The page's JSON link is its path under /api (query kept), and it answers what the twin answers."""
    for page, api in twins(site_data):
        link = html(client.get(page)).css_first('link[rel=alternate][type="application/json"]')
        assert link is not None, page
        href = link.attributes["href"] or ""
        assert href == api, page
        assert client.get(href).json() == client.get(api).json(), page


def test_older_twin_urls_still_answer(client: Client) -> None:
    """/api/stories (the latest) and /api/days/{day} stay public beside the rule's /api/ and /api/day/{day}."""
    day = NOW.date().isoformat()
    assert client.get("/api/stories").json() == client.get("/api/").json()
    assert client.get(f"/api/days/{day}").json() == client.get(f"/api/day/{day}").json()


def test_story_json_is_the_cli_shape(client: Client, site_data: Fixture) -> None:
    for story_id in (site_data.seed_story, site_data.quake_story):
        result = CliRunner().invoke(cli, ["story", story_id, "--db", str(site_data.path), "--json"])
        assert result.exit_code == 0, result.output
        assert client.get(f"/api/stories/{story_id}").json() == json.loads(result.output)


def test_latest_lists_stories_with_sources_languages_and_times(client: Client, site_data: Fixture) -> None:
    doc = html(client.get("/?limit=5"))
    cards = doc.css("article.story-card")
    assert len(cards) == 5
    quake = next(c for c in cards if site_data.quake_story in c.html)
    text = quake.text()
    assert "3 sources" in text and "3 languages" in text
    assert "Alpha News" in text and "Beta Zeitung" in text and "Gamma Diario" in text
    assert "first" in text and "last" in text
    assert "A strong earthquake hit Valdoria" in text  # highlights
    assert doc.css_first("a[rel=next]") is not None


def test_latest_cursor_walks_every_story_once(client: Client, site_db: Backend) -> None:
    seen: list[str] = []
    for listing in ("/api/stories", "/api/press"):  # the news and the press releases, apart: every story once
        url: str | None = f"{listing}?limit=7"
        while url:
            data = client.get(url).json()
            seen += [s["id"] for s in data["stories"]]
            url = f"{listing}?limit=7&cursor={data['next']}" if data["next"] else None
    with site_db.read() as conn:
        assert len(seen) == len(set(seen)) == stories_db.count_stories(conn)
    first = client.get("/api/stories?limit=200").json()["stories"]
    dated = [s["last_updated"] for s in first if s["last_updated"]]
    assert dated == sorted(dated, reverse=True)
    assert first[-1]["last_updated"] is None  # undated stories come last


def test_story_page_groups_members_and_shows_differences(client: Client, site_data: Fixture) -> None:
    doc = html(client.get(f"/stories/{site_data.seed_story}"))
    members = doc.css("li.member")
    assert len(members) == 2
    assert doc.css_first("article.story header p.meta").text().startswith("2 sources")
    links = {a.attributes.get("href") for m in members for a in m.css("a.item-link")}
    assert links == {f"/articles/{a}" for a in site_data.seed_articles}
    table = doc.css_first("table.diff")
    assert table is not None
    changed = table.css("tr.changed")
    assert changed, "the copies' differing sentences are marked"
    row = next(r for r in changed if "Alaaldin" in r.text())
    marked = " ".join(m.text() for m in row.css("mark"))
    assert "Sudan" in marked or "foreign" in marked or "policy" in marked
    assert doc.css_first("ol.timeline") is not None
    quake = html(client.get(f"/stories/{site_data.quake_story}"))
    headings = [h.text() for h in quake.css("section h3")]
    assert [h.split(" ")[0] for h in headings] == ["Original", "Copies", "Reports"]
    assert "https://alpha.example/quake" in {a.attributes.get("href") for a in quake.css("li.member a")}


def test_differences_and_related_json(client: Client, site_data: Fixture) -> None:
    diff = client.get(f"/api/stories/{site_data.seed_story}/differences").json()
    assert diff["comparisons"] and diff["comparisons"][0]["changed"] > 0
    rows = diff["comparisons"][0]["rows"]
    assert any(r["status"] == "changed" and r["a_changed"] for r in rows)
    related = client.get(f"/api/stories/{site_data.wire_stories[0]}/related").json()
    assert related["related"], "wire stories about harbour tariffs are related to each other"
    assert site_data.wire_stories[0] not in {s["id"] for s in related["related"]}
    assert [t["article_id"] for t in related["timeline"]]


def test_reader_view_text_metadata_and_notices(client: Client, site_data: Fixture) -> None:
    beben = site_data.quake_articles[1]
    doc = html(client.get(f"/articles/{beben}"))
    text = doc.css_first("div.text").text()
    assert "Erdbeben" in text
    notice = doc.css_first("p.notice").text()
    assert "machine-translated" in notice and "Alpha News" in notice
    assert doc.css_first('link[rel="canonical"]').attributes["href"] == "https://beta.example/beben"
    note = doc.css("p.translation-note")
    assert len(note) == 1 and "in the original: German (de)" in note[0].text()
    original = html(client.get(f"/articles/{beben}?lang=original"))
    assert not original.css("p.translation-note")
    german = client.get(f"/api/articles/{beben}?lang=de").json()
    assert german["rendering"] is None and german["language"] == "de"
    english = client.get(f"/api/articles/{beben}?lang=en").json()
    assert english["rendering"]["note"] and english["paragraphs"][0]["text"].startswith("Ein starkes")


def test_trending_ranks_growth_in_sources_and_languages(client: Client, site_data: Fixture) -> None:
    data = client.get("/api/trending").json()
    top = data["stories"][0]
    assert top["story"]["id"] == site_data.quake_story
    assert (top["sources_24h"], top["languages_24h"], top["articles_24h"]) == (3, 3, 3)
    doc = html(client.get("/trending"))
    assert "+3 sources" in doc.css_first("article.story-card").text()


def test_day_pages_list_the_day_and_link_neighbours(client: Client, site_data: Fixture) -> None:
    day = OLD_DAY.date().isoformat()
    data = client.get(f"/api/days/{day}").json()
    assert site_data.hostile_story in {s["id"] for s in data["stories"]}
    assert data["previous"] == (OLD_DAY.date().replace(day=OLD_DAY.day - 1)).isoformat()
    assert data["following"] is not None and data["following"] > day
    doc = html(client.get(f"/day/{day}"))
    assert doc.css_first('a[rel="prev"]').attributes["href"] == f"/day/{data['previous']}"
    empty = client.get("/api/days/1999-01-01").json()
    assert empty["stories"] == [] and empty["previous"] is None


def test_sources_and_one_source(client: Client) -> None:
    sources = {s["name"]: s for s in client.get("/api/sources").json()["sources"]}
    assert sources["Delta Wire"]["articles"] == 36
    assert {"Alpha News", "Beta Zeitung", "Gamma Diario"} <= set(sources)
    one = client.get("/api/sources/Delta%20Wire?limit=10").json()
    assert one["articles"] == 36 and one["languages"] == ["en"] and len(one["items"]) == 10
    walked = len(one["items"])
    while one["next"]:
        one = client.get(f"/api/sources/Delta%20Wire?limit=10&cursor={one['next']}").json()
        walked += len(one["items"])
    assert walked == 36
    doc = html(client.get("/sources"))
    assert "/sources/Delta%20Wire" in {a.attributes.get("href") for a in doc.css("a")}


def test_search_highlights_and_filters(client: Client, site_data: Fixture) -> None:
    data = client.get("/api/search?q=karbala").json()
    ids = {r["id"] for r in data["results"]}
    assert set(site_data.seed_articles) <= ids
    assert all("[[" in r["snippet"] for r in data["results"])
    doc = html(client.get("/search?q=karbala"))
    assert doc.css("ol.results mark")
    assert f"/stories/{site_data.seed_story}" in {a.attributes.get("href") for a in doc.css("a.item-link")}
    assert client.get("/api/search?q=Valdoria&language=de").json()["results"][0]["id"] == site_data.quake_articles[1]
    assert [r["id"] for r in client.get("/api/search?q=Valdoria&source=Gamma%20Diario").json()["results"]] == [
        site_data.quake_articles[2]
    ]
    assert client.get("/api/search?q=Valdoria&until=2000-01-01").json()["results"] == []
    since, until = (NOW - timedelta(days=1)).date().isoformat(), NOW.date().isoformat()
    assert len(client.get(f"/api/search?q=Valdoria&since={since}&until={until}").json()["results"]) == 3
    assert client.get(f"/api/search?q=Valdoria&until={since}").json()["results"] == [] or NOW.hour < 3
    assert client.get("/api/search?q=harbour%20tariffs&limit=5").json()["next"] is not None


def test_cache_follows_the_database(client: Client, site_db: Backend, site_data: Fixture) -> None:
    before = client.get("/api/stories?limit=200").json()
    again = client.get("/api/stories?limit=200").json()
    assert before == again
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Retitled story' WHERE id = ?", (site_data.wire_stories[3],))
    after = client.get("/api/stories?limit=200").json()
    assert "Retitled story" in {s["title"] for s in after["stories"]}


def test_openapi_documents_the_api(client: Client) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/trending"):
        assert path in paths
    assert "/api/days/{day}" in paths and "/api/sources/{name}" in paths and "/api/search" in paths


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1, 10**30])
def test_limits_out_of_range_are_400(client: Client, limit: int) -> None:
    assert client.get(f"/api/stories?limit={limit}").status_code == 400
    assert client.get(f"/?limit={limit}").status_code == 400


BAD = [
    ("/api/stories?limit=abc", 400),
    ("/api/stories?cursor=%%%", 400),
    ("/api/stories?cursor=eyJ4IjoxfQ", 400),
    ("/api/stories?cursor=WyJ4IiwiYSIsImIiXQ", 400),
    ("/api/stories/nope", 404),
    ("/api/articles/nope", 404),
    ("/api/articles/x?lang=<script>", 400),
    ("/api/days/2024-13-01", 400),
    ("/api/days/yesterday", 400),
    ("/api/days/2024-02-12?cursor=WzEwMDAwMDAwMDBd", 400),
    ("/api/trending?cursor=WyJhIl0", 400),
    ("/api/sources/Nobody", 404),
    ("/api/search", 400),
    ("/api/search?q=x&since=not-a-day", 400),
    ("/api/search?q=x&language=english!", 400),
    ("/api/search?q=" + "x" * 400, 400),
    ("/api/nothing-here", 404),
    ("/feeds/latest.rss", 404),
    ("/feeds/days/2024-99-01.atom", 400),
    ("/feeds/search.json", 400),
    ("/feeds/sources/Nobody.json", 404),
]


@pytest.mark.parametrize(("url", "status"), BAD)
def test_bad_requests_are_answered_in_json(client: Client, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    if url.startswith("/api/") or url.endswith(".json"):
        body = r.json()
        assert body["error"]["status"] == status and body["error"]["message"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/stories/nope", 404),
        ("/articles/nope", 404),
        ("/day/2024-02-30", 400),
        ("/?cursor=bogus", 400),
        ("/search?q=x&until=31/12/2024", 400),
        ("/sources/Nobody", 404),
        ("/no/such/page", 404),
        ("/trending?limit=99999999999999999999999", 400),
    ],
)
def test_bad_requests_are_answered_in_html(client: Client, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert html(r).css_first("p.error").text()


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_nothing_writes(client: Client, site_data: Fixture, method: str) -> None:
    for url in ("/", "/api/stories", f"/api/stories/{site_data.seed_story}", "/search?q=x", "/feeds/latest.atom"):
        assert client.request(method, url).status_code in (401, 405), (method, url)


def test_source_names_with_slashes_and_quotes_round_trip(client: Client) -> None:
    r = client.get("/api/sources/" + quote("Evil <b>Outlet</b>", safe=""))
    assert r.status_code == 200 and r.json()["name"] == "Evil <b>Outlet</b>"


def test_list_items_are_the_stories_json_lines(client: Client, site_data: Fixture) -> None:
    result = CliRunner().invoke(cli, ["stories", "--db", str(site_data.path), "--json", "--limit", "200"])
    lines = {s["id"]: s for s in map(json.loads, result.output.splitlines())}
    for item in client.get("/api/stories?limit=200").json()["stories"]:
        publisher = item.pop("publisher_highlights")
        assert item == lines[item["id"]]
        assert not (publisher and item["highlights"])


def test_an_in_memory_database_is_served_uncached() -> None:

    db = Database(":memory:")
    with db.write() as conn:
        story = add_story(conn, [(article("Memory lane", "Text of the one article.", "Mem", "en", NOW), "original")])
    c = Client(create_app(db, site_config()))
    try:
        assert c.get(f"/stories/{story}").status_code == 200
        assert c.get("/api/stories").json()["stories"][0]["id"] == story
        assert c.get("/search?q=memory").status_code == 200
    finally:
        c.close()
        db.close()


def test_story_pages_outlive_commits_elsewhere_but_not_their_own(
    client: Client, site_db: Backend, site_data: Fixture
) -> None:

    site = client.app.state.site
    assert isinstance(site, Site)
    url = f"/stories/{site_data.quake_story}"
    client.get(url)
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Elsewhere' WHERE id = ?", (site_data.wire_stories[5],))
    hits = site.cache.hits
    assert "Earthquake shakes" in client.get(url).text
    assert site.cache.hits == hits + 1, "a commit to another story leaves this page cached"
    with site_db.write() as conn:
        conn.execute("UPDATE stories SET title = 'Quake, retitled' WHERE id = ?", (site_data.quake_story,))
    assert "Quake, retitled" in client.get(url).text
    with site_db.write() as conn:
        stories_db.refresh_story(conn, site_data.quake_story)
    assert "Earthquake shakes" in client.get(url).text
