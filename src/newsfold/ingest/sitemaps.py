"""Sitemaps and sitemap indexes (news sitemaps included), parsed with defusedxml."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from newsfold.errors import InputError
from newsfold.ingest.xmltext import xml_bytes
from newsfold.plausible import plausible
from newsfold.text.dates import parse_iso
from newsfold.urls import try_url


@dataclass(slots=True)
class SitemapEntry:
    """One URL of a sitemap with what the sitemap says of it."""

    url: str
    lastmod: datetime | None = None
    title: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Sitemap:
    """A parsed sitemap: its page entries, or (an index) the child sitemaps it lists."""

    entries: list[SitemapEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


def _local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _child_text(node: Element, *path: str) -> str | None:
    """The text of the first descendant along path (namespace-agnostic), stripped, or None."""
    current: Element | None = node
    for name in path:
        if current is None:
            return None
        current = next((c for c in current if _local(c.tag) == name), None)
    if current is None or current.text is None:
        return None
    return current.text.strip() or None


GZIP_MAGIC = b"\x1f\x8b"


def gunzip_capped(data: bytes, limit: int, location: str) -> bytes:
    """Bytes of a gzipped file (sitemap.xml.gz), refusing more than limit once decompressed."""
    if not data.startswith(GZIP_MAGIC):
        return data
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(location, f"corrupt gzip data ({exc})") from exc
    if len(out) > limit or decompressor.unconsumed_tail:
        raise InputError(location, f"over the {limit} byte limit once decompressed")
    return out


def _is_web(url: str) -> bool:
    """Whether a sitemap's URL is a well-formed http(s) URL (others are left out)."""
    parsed = try_url(url)
    return parsed is not None and parsed.is_web


def looks_like_sitemap(data: bytes) -> bool:
    """Whether bytes are a sitemap or sitemap index (gzipped or not)."""
    if data.startswith(GZIP_MAGIC):
        try:
            data = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data[:65536], 4096)
        except zlib.error:
            return False
    head = data[:4096].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(data: bytes, location: str, max_bytes: int = 50 * 1024 * 1024) -> Sitemap:
    """Entries (newest first when dated) or children of a sitemap (or .xml.gz); InputError when unreadable or unsafe."""
    data = xml_bytes(gunzip_capped(data, max_bytes, location), location)
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(location, f"refused: the sitemap declares entities or external references ({exc})") from exc
    except SafeET.ParseError as exc:
        raise InputError(location, f"malformed sitemap ({exc})") from exc
    kind = _local(root.tag)
    sitemap = Sitemap()
    if kind == "sitemapindex":
        sitemap.children = [loc for node in root if (loc := _child_text(node, "loc")) and _is_web(loc)]
        return sitemap
    if kind != "urlset":
        raise InputError(location, f"not a sitemap (root element {kind})")
    for node in root:
        loc = _child_text(node, "loc")
        if not loc or not _is_web(loc):
            continue
        published = _child_text(node, "news", "publication_date")
        sitemap.entries.append(
            SitemapEntry(
                url=loc,
                lastmod=plausible(parse_iso(published or _child_text(node, "lastmod")), what="sitemap date"),
                title=_child_text(node, "news", "title"),
                language=_child_text(node, "news", "publication", "language"),
            )
        )
    sitemap.entries.sort(key=lambda e: e.lastmod.timestamp() if e.lastmod and e.lastmod.tzinfo else 0, reverse=True)
    return sitemap
