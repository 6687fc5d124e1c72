"""Feeds out: Atom that feedparser reads without complaint and JSON Feed 1.1 with its required fields."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from tests.web.site_fixture import OLD_DAY, Client, Fixture

pytestmark = pytest.mark.both_backends

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_paths() -> list[str]:
    """One feed of each kind (the format suffix left off)."""
    return [
        "/feeds/latest",
        f"/feeds/days/{OLD_DAY.date().isoformat()}",
        "/feeds/sources/Delta%20Wire",
        "/feeds/search",
    ]


def query_of(path: str) -> str:
    """The query string a feed needs."""
    return "?q=harbour" if path.endswith("search") else ""


@pytest.mark.parametrize("path", feed_paths())
def test_atom_feeds_validate(client: Client, path: str) -> None:
    r = client.get(f"{path}.atom{query_of(path)}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}updated").text.endswith("Z")  # type: ignore[union-attr]
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10" and len(parsed.entries) == len(entries)


@pytest.mark.parametrize("path", feed_paths())
def test_json_feeds_validate(client: Client, path: str) -> None:
    r = client.get(f"{path}.json{query_of(path)}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/feed+json")
    feed = r.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert isinstance(feed["title"], str) and feed["feed_url"].startswith("http")
    assert feed["items"]
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids))
    for item in feed["items"]:
        assert isinstance(item["id"], str) and ("content_text" in item or "content_html" in item)
        for key in ("date_published", "date_modified"):
            if key in item:
                assert item[key].endswith("Z")


def test_latest_feed_carries_the_seed_story(client: Client, site_data: Fixture) -> None:
    feed = client.get("/feeds/latest.json").json()
    base = "http://127.0.0.1:8000"  # the configured address (serve.host, serve.port), never the request's Host
    assert f"{base}/stories/{site_data.seed_story}" in {i["url"] for i in feed["items"]}
    hostile = client.get("/feeds/latest.atom").content
    assert b"<script>" not in hostile


def test_conditional_get_answers_304(client: Client) -> None:
    first = client.get("/feeds/latest.atom")
    tag = first.headers["etag"]
    again = client.get("/feeds/latest.atom", headers={"If-None-Match": tag})
    assert again.status_code == 304 and not again.content and again.headers["etag"] == tag
    assert client.get("/feeds/latest.atom", headers={"If-None-Match": '"other"'}).status_code == 200
