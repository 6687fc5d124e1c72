"""Feed parsing: every supported format, full text or not, and hostile or broken XML."""

from __future__ import annotations

import json

import pytest

from newsfold.errors import InputError
from newsfold.extract import extract
from newsfold.ingest.feeds import looks_like_feed, parse_feed
from tests.ingest.helpers import paragraphs, rss

LONG = "".join(f"<p>{p}</p>" for p in paragraphs(1))

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>http://a.example/</link>
<item><title>One</title><link>http://a.example/1</link><description>d</description></item></channel></rss>"""

RSS10 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://b.example/"><title>RDF</title><link>http://b.example/</link><description>x</description>
<items><rdf:Seq><rdf:li resource="http://b.example/1"/></rdf:Seq></items></channel>
<item rdf:about="http://b.example/1"><title>First</title><link>http://b.example/1</link>
<dc:date>2026-11-20T08:00:00Z</dc:date></item></rdf:RDF>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>Atom</title><id>urn:x</id>
<updated>2026-11-20T08:00:00Z</updated>
<entry><title>Eintrag</title><link rel="alternate" href="/artikel/1"/><id>urn:1</id>
<updated>2026-11-20T09:00:00Z</updated><author><name>Anna Autorin</name></author>
<content type="html"><![CDATA[{LONG}]]></content></entry></feed>""".encode()


def test_rss20_entries_and_full_text() -> None:
    """RSS 2.0: links, titles, dates; content:encoded that is a whole article counts as full text."""
    data = rss([("Short", "http://c.example/1", None), ("Long", "http://c.example/2", LONG)]).encode()
    feed = parse_feed(data, "http://c.example/feed")
    assert feed.error is None
    assert [e.url for e in feed.entries] == ["http://c.example/1", "http://c.example/2"]
    assert feed.entries[0].published is not None and feed.entries[0].published.day == 20
    assert [e.full_text for e in feed.entries] == [False, True]


def test_truncated_content_is_not_full_text() -> None:
    """Long content that ends in 'Read more' or an ellipsis is a teaser: the page is fetched instead."""
    teaser = LONG[:-4] + " Continue reading…</p>"
    feed = parse_feed(rss([("Teaser", "http://c.example/3", teaser)]).encode(), "http://c.example/feed")
    assert not feed.entries[0].full_text


@pytest.mark.parametrize("data", [RSS091, RSS10])
def test_old_rss_versions(data: bytes) -> None:
    """RSS 0.91 and RSS 1.0 (RDF) give their entries."""
    feed = parse_feed(data, "http://x.example/feed")
    assert feed.error is None
    assert len(feed.entries) == 1 and feed.entries[0].url and feed.entries[0].title


def test_atom_relative_links_authors_and_full_text_page() -> None:
    """Atom: relative links resolved against the feed, authors kept; full text becomes an extractable page."""
    feed = parse_feed(ATOM, "http://d.example/feed.atom")
    entry = feed.entries[0]
    assert entry.url == "http://d.example/artikel/1"
    assert entry.authors == ["Anna Autorin"]
    assert entry.full_text
    articles = extract(entry.as_page("http://d.example/feed.atom"))
    assert articles[0].kind == "article"
    assert "Eintrag" in (articles[0].title or "")
    assert paragraphs(1)[0][:40] in articles[0].text


@pytest.mark.parametrize("version", ["https://jsonfeed.org/version/1", "https://jsonfeed.org/version/1.1"])
def test_json_feed(version: str) -> None:
    """JSON Feed 1.0 and 1.1, content_html or content_text, author or authors."""
    doc = {
        "version": version,
        "title": "JSON",
        "home_page_url": "http://e.example/",
        "items": [
            {"id": "1", "url": "/a", "title": "A", "content_html": LONG, "date_published": "2026-11-20T10:00:00Z"},
            {"id": "2", "url": "http://e.example/b", "content_text": "Short.", "author": {"name": "Bo"}},
            {"id": "3", "external_url": "http://e.example/c", "authors": [{"name": "Cy"}]},
        ],
    }
    data = json.dumps(doc).encode()
    assert looks_like_feed(data)
    feed = parse_feed(data, "http://e.example/feed.json")
    assert [e.url for e in feed.entries] == ["http://e.example/a", "http://e.example/b", "http://e.example/c"]
    assert feed.entries[0].full_text and not feed.entries[1].full_text
    assert feed.entries[1].authors == ["Bo"] and feed.entries[2].authors == ["Cy"]


def test_billion_laughs_refused() -> None:
    """Entity declarations are refused before any parser can expand them."""
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss version="2.0"><channel><title>&c;</title></channel></rss>"""
    with pytest.raises(InputError, match="entities"):
        parse_feed(bomb, "http://evil.example/feed")


def test_external_entity_refused() -> None:
    """External entities (XXE, e.g. reading /etc/passwd) are refused."""
    xxe = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title><item><title>t</title><link>http://a/1</link></item></channel></rss>"""
    with pytest.raises(InputError, match="refused"):
        parse_feed(xxe, "http://evil.example/feed")


def test_malformed_feed_yields_what_it_can_and_an_error() -> None:
    """A feed cut off mid-way still gives its complete entries, with a clear error."""
    data = rss([("One", "http://f.example/1", None), ("Two", "http://f.example/2", None)]).encode()
    broken = data[: data.index(b"<item>", data.index(b"<item>") + 1) + 40]
    feed = parse_feed(broken, "http://f.example/feed")
    assert feed.error is not None and "malformed" in feed.error
    assert feed.entries and feed.entries[0].url == "http://f.example/1"


def test_bytes_are_never_a_path_or_url() -> None:
    """Bytes that look like a path or a URL are parsed as a document, never opened or fetched."""
    for data in (b"/etc/passwd", b"http://127.0.0.1:1/feed"):
        feed = parse_feed(data, "http://g.example/feed")
        assert feed.entries == []
        assert feed.error


def test_json_feed_with_values_of_the_wrong_kind() -> None:
    """Numbers, lists and nulls where strings belong are ignored, not trusted."""
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": 42,
        "items": [
            {"id": 1, "url": "http://h.example/a", "title": ["x"], "content_html": 7, "date_published": 3, "authors": 5}
        ],
    }
    feed = parse_feed(json.dumps(doc).encode(), "http://h.example/feed.json")
    entry = feed.entries[0]
    assert feed.title is None and entry.url == "http://h.example/a" and entry.title is None
    assert entry.content_html is None and entry.published is None


def test_an_end_tag_the_loose_parser_never_opened_is_an_unreadable_feed() -> None:
    """feedparser's loose parser raised KeyError on a `</link>` whose entry it had not opened (found by fuzz.py)."""
    feed = parse_feed(b"<channel<item<link</item</link<", "a.rss")
    assert feed.entries == []
    assert feed.error is not None and feed.error.startswith("unreadable feed")
