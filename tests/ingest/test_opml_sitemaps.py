"""OPML lists and sitemaps: parsed with categories and news metadata; hostile XML refused."""

from __future__ import annotations

import gzip

import pytest

from newsfold.errors import InputError
from newsfold.ingest.opml import Outline, parse_opml, write_opml
from newsfold.ingest.sitemaps import looks_like_sitemap, parse_sitemap

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="World"><outline text="BBC" type="rss" xmlUrl="https://feeds.example/bbc.xml" language="en"/>
<outline text="Deep"><outline text="DW" type="rss" xmlUrl="https://feeds.example/dw.xml"/></outline></outline>
<outline text="Loose" type="rss" xmlUrl="https://feeds.example/loose.xml" category="/Tech,/Science"/>
<outline text="A page" type="link" url="https://pages.example/story"/>
<outline text="No url at all"/>
</body></opml>"""


def test_opml_outlines_with_categories() -> None:
    """Nested outlines give categories; type link is a page; outlines without a URL are folders only."""
    outlines = parse_opml(OPML, "mine.opml")
    by_name = {o.name: o for o in outlines}
    assert set(by_name) == {"BBC", "DW", "Loose", "A page"}
    assert by_name["BBC"].category == "World" and by_name["BBC"].language == "en"
    assert by_name["DW"].category == "World/Deep"
    assert by_name["Loose"].category == "Tech,/Science"
    assert by_name["A page"].kind == "page"


def test_opml_export_round_trips() -> None:
    """What export writes, import reads back the same (OPML 2.0, categories kept)."""
    outlines = [
        Outline("https://a.example/feed", "A", "World", "en"),
        Outline("https://b.example/feed", "B & Co", None, None),
        Outline("https://c.example/page", "C", "World", None, kind="page"),
    ]
    data = write_opml(outlines)
    assert b'version="2.0"' in data
    back = {o.url: o for o in parse_opml(data, "export.opml")}
    assert back["https://a.example/feed"].category == "World"
    assert back["https://a.example/feed"].language == "en"
    assert back["https://b.example/feed"].name == "B & Co" and back["https://b.example/feed"].category is None
    assert back["https://c.example/page"].kind == "page"


def test_opml_xxe_refused() -> None:
    """OPML import never expands entities or reads external ones."""
    evil = b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/f"/></body></opml>"""
    with pytest.raises(InputError, match="refused"):
        parse_opml(evil, "evil.opml")
    with pytest.raises(InputError, match="malformed"):
        parse_opml(b"<opml><body><outline", "cut.opml")


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://n.example/old</loc><news:news><news:publication><news:name>N</news:name>
<news:language>en</news:language></news:publication><news:publication_date>2026-11-01T10:00:00Z</news:publication_date>
<news:title>Old story</news:title></news:news></url>
<url><loc>https://n.example/new</loc><news:news><news:publication><news:name>N</news:name>
<news:language>fr</news:language></news:publication><news:publication_date>2026-11-20T10:00:00Z</news:publication_date>
<news:title>New story</news:title></news:news></url>
</urlset>"""


def test_news_sitemap_newest_first() -> None:
    """A news sitemap gives URLs with titles, languages and dates, newest first."""
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://n.example/news.xml")
    assert [e.url for e in sitemap.entries] == ["https://n.example/new", "https://n.example/old"]
    assert sitemap.entries[0].title == "New story" and sitemap.entries[0].language == "fr"


def test_sitemap_index_and_hostile_sitemaps() -> None:
    """An index lists its children; entity tricks are refused; garbage is a clear error."""
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://n.example/s1.xml</loc></sitemap><sitemap><loc>https://n.example/s2.xml</loc></sitemap>
</sitemapindex>"""
    assert parse_sitemap(index, "i").children == ["https://n.example/s1.xml", "https://n.example/s2.xml"]
    bomb = b"""<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<urlset><url><loc>&b;</loc></url></urlset>"""
    with pytest.raises(InputError, match="refused"):
        parse_sitemap(bomb, "bomb.xml")
    with pytest.raises(InputError, match="not a sitemap"):
        parse_sitemap(b"<html></html>", "page")


def test_gzipped_sitemap_and_its_bomb() -> None:
    """sitemap.xml.gz is read; a gzip bomb posing as one stops at the cap."""

    packed = gzip.compress(NEWS_SITEMAP)
    assert looks_like_sitemap(packed)
    assert not looks_like_sitemap(b"\x1f\x8b" + b"garbage")
    assert len(parse_sitemap(packed, "news.xml.gz").entries) == 2
    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 1024 * 1024))
    with pytest.raises(InputError, match="limit"):
        parse_sitemap(bomb, "bomb.xml.gz", max_bytes=1024 * 1024)
