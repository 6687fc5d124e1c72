"""A reader never sees a press release presented as news: it is kept out of every news listing and feed, listed
apart (/press, /api/press, /feeds/press.*), marked as one there and on its page, and the API says which is which."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.engine import ingest
from newsfold.ingest.files import iter_inputs
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store.db import Database
from newsfold.store.term_counts import TermCounts
from newsfold.web.app import create_app
from newsfold.web.story.related import related, related_ids
from newsfold.web.story.view import story_detail
from tests.conftest import SEED_ARTICLE
from tests.web.site_fixture import Client, add_story, article, site_config

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def seed_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """The site over seed 000 alone: one news story and one press release."""
    db = Database(tmp_path_factory.mktemp("kinds") / "k.db")
    ingest(db, iter_inputs([str(SEED_ARTICLE)]))
    app = create_app(db, site_config())
    client = Client(app)
    yield client
    client.close()
    app.state.site.close()
    db.close()


def _release(client: Client) -> dict[str, object]:
    """The press release's story, from its own listing."""
    stories = client.get("/api/press").json()["stories"]
    assert len(stories) == 1
    return dict(stories[0])


def test_the_api_says_which_is_which(seed_client: Client) -> None:
    release = _release(seed_client)
    assert release["kind"] == "press_release"
    assert "ACCESSWIRE" in str(release["articles"])
    news = seed_client.get("/api/stories").json()["stories"]
    assert [s["kind"] for s in news] == ["news"]
    assert seed_client.get(f"/api/stories/{release['id']}").json()["kind"] == "press_release"


def test_news_listings_and_feeds_hold_no_press_release(seed_client: Client) -> None:
    release = _release(seed_client)
    title = str(release["title"])
    day = str(release["first_published"])[:10]
    for path in (
        "/",
        "/feeds/latest.atom",
        "/feeds/latest.json",
        "/trending",
        f"/day/{day}",
        f"/feeds/days/{day}.atom",
    ):
        body = seed_client.get(path).text
        assert title not in body, path
    for path in ("/api/stories", "/api/trending", f"/api/days/{day}"):
        assert str(release["id"]) not in seed_client.get(path).text, path


def test_press_releases_have_their_own_listing_and_feeds(seed_client: Client) -> None:
    release = _release(seed_client)
    page = seed_client.get("/press").text
    assert str(release["title"]) in page and page.count('class="kind-label"') == 1
    assert 'href="/press"' in seed_client.get("/").text
    atom = ET.fromstring(seed_client.get("/feeds/press.atom").content)
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 1
    category = entries[0].find(f"{ATOM}category")
    assert category is not None and category.get("term") == "press_release"
    feed = seed_client.get("/feeds/press.json").json()
    assert [item["tags"] for item in feed["items"]] == [["press_release"]]
    news = seed_client.get("/feeds/latest.json").json()
    assert [item["tags"] for item in news["items"]] == [["news"]]


def test_story_pages_label_only_the_press_release(seed_client: Client) -> None:
    release = _release(seed_client)
    news = seed_client.get("/api/stories").json()["stories"][0]
    page = seed_client.get(f"/stories/{release['id']}").text
    news_page = seed_client.get(f"/stories/{news['id']}").text
    assert "Press release" in page and 'class="kind-label"' not in news_page


def test_related_stories_never_suggest_a_press_release(tmp_path: Path) -> None:

    db = Database(tmp_path / "r.db")
    with db.write() as conn:
        news = add_story(
            conn, [(article("Harbour tariffs rise sharply", "Tariffs rose.", "A", "en", None), "original")]
        )
        other = add_story(conn, [(article("Harbour tariffs fall again", "Tariffs fell.", "B", "en", None), "original")])
        release = Article(
            origin=Origin("pr"),
            kind="press_release",
            title="Harbour tariffs calculator launched",
            paragraphs=[Paragraph("A company launched a calculator for harbour tariffs.")],
            source=SourceRef("Wire", None),
        )
        press = add_story(conn, [(release, "original")])
    counts = TermCounts(db)
    with db.read() as conn:
        story, _ = story_detail(conn, news)
        ids = related_ids(conn, story, counts)
        cards = related(conn, story, counts)
    counts.close()
    db.close()
    assert press in ids and other in ids  # found by the words, then left out as a press release
    assert [c["id"] for c in cards] == [other]
