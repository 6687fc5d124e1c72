"""One URL check for what may be fetched: the fetcher and the source registry refuse the same URLs."""

from __future__ import annotations

import pytest

from newsfold.errors import InputError
from newsfold.ingest import registry
from newsfold.ingest.fetch import Fetcher
from newsfold.store import sources as sources_db
from newsfold.store.db import Database
from newsfold.urls import fetchable_url

REFUSED = {
    "https://user:pw@example.org/feed.xml": "credentials",
    "https://user@example.org/feed.xml": "credentials",
    "http://:secret@example.org/": "credentials",
    "ftp://example.org/feed.xml": "only http",
    "file:///etc/passwd": "only http",
    "/feeds/local.xml": "only http",
    "https://example.org:99999/": "malformed",
}


@pytest.mark.parametrize(("url", "reason"), sorted(REFUSED.items()))
def test_a_source_is_refused_as_the_fetcher_refuses_it(db: Database, fetcher: Fetcher, url: str, reason: str) -> None:
    """A URL the fetcher will not fetch cannot be registered as a source either (credentials included)."""
    with pytest.raises(InputError, match=reason):
        fetchable_url(url)
    with pytest.raises(InputError, match=reason):
        fetcher.fetch(url)
    with db.write() as conn, pytest.raises(InputError, match=reason):
        registry.add_source(conn, url)
    with db.read() as conn:
        assert sources_db.list_sources(conn) == []


def test_a_plain_web_url_is_accepted_and_stored_stripped(db: Database) -> None:
    """An http(s) URL with a host and no credentials is kept, as written without surrounding spaces."""
    assert fetchable_url(" https://example.org/feed.xml ").text == "https://example.org/feed.xml"
    with db.write() as conn:
        source, new = registry.add_source(conn, "  https://example.org/feed.xml\n")
    assert new and source.url == "https://example.org/feed.xml"
