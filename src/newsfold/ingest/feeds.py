"""Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed 1.0/1.1) from bytes already fetched: entries and their full text."""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any

import feedparser
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from newsfold.errors import InputError
from newsfold.ingest.decode import clean_text
from newsfold.ingest.jsontext import load_json
from newsfold.ingest.xmltext import xml_bytes
from newsfold.model import Origin, RawInput
from newsfold.plausible import plausible
from newsfold.text.dates import parse_iso
from newsfold.urls import join_url, parse_url, printable

log = logging.getLogger(__name__)

# A feed's text is taken as the whole article only when it is long and shows no sign of being cut short.
FULL_TEXT_MIN_WORDS = 150
_TRUNCATED = re.compile(
    r"(\.\.\.|…|\[…\]|\[\.\.\.\]|read more|continue reading|weiterlesen|lire la suite|leer más"
    r"|the post .+ appeared first)\W*$",
    re.IGNORECASE,
)
_TAGS = re.compile(r"<[^>]+>")
XML_MEDIA = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
JSON_FEED_MEDIA = ("application/feed+json", "application/json")


@dataclass(slots=True)
class FeedEntry:
    """One entry: the article page it leads to and what the feed says about it."""

    url: str | None
    title: str | None = None
    published: datetime | None = None
    content_html: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None

    @property
    def full_text(self) -> bool:
        """Whether the feed carries the whole article (long content, not cut off with a 'read more')."""
        if not self.content_html:
            return False
        text = " ".join(_TAGS.sub(" ", self.content_html).split())
        return len(text.split()) >= FULL_TEXT_MIN_WORDS and not _TRUNCATED.search(text[-80:])

    def as_page(self, feed_url: str, fetched: datetime | None = None) -> RawInput:
        """The entry's full text as a small HTML page for the extract stage."""
        meta = []
        if self.published:
            meta.append(f'<meta property="article:published_time" content="{self.published.isoformat()}">')
        for author in self.authors:
            meta.append(f'<meta name="author" content="{escape(author)}">')
        if self.url:
            meta.append(f'<link rel="canonical" href="{escape(self.url)}">')
        lang = f' lang="{escape(self.language)}"' if self.language else ""
        title = escape(self.title or "")
        page = (
            f"<!doctype html><html{lang}><head><meta charset='utf-8'><title>{title}</title>{''.join(meta)}</head>"
            f"<body><article><h1>{title}</h1>{self.content_html or ''}</article></body></html>"
        )
        location = self.url or feed_url
        return RawInput(
            origin=Origin(location=location, fetched=fetched, media_type="text/html"),
            data=page.encode("utf-8"),
            media_type="text/html",
            charset="utf-8",
            url=self.url,
        )


@dataclass(slots=True)
class Feed:
    """A parsed feed: its title, entries, and the problem found if it was malformed."""

    title: str | None
    entries: list[FeedEntry]
    language: str | None = None
    error: str | None = None
    problems: list[InputError] = field(default_factory=list)

    def link(self, base: str, link: str) -> str | None:
        """An entry's link resolved against base; a malformed one is recorded as a problem and gives None."""
        joined = join_url(base, link)
        if joined is None:
            reason = "malformed URL"
            try:
                parse_url(link)
            except InputError as exc:
                reason = f"malformed URL ({exc.reason})"
            self.problems.append(InputError(printable(link, 500), reason))
        return joined


def looks_like_feed(data: bytes, media_type: str | None = None) -> bool:
    """Whether bytes are a feed (by media type or first tags), not a page or a sitemap."""
    if media_type in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"):
        return True
    head = data[:2048].lstrip().lower()
    if head.startswith(b"{"):
        return b'"version"' in head and b"jsonfeed.org" in head
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))


def _check_xml(data: bytes, location: str) -> str | None:
    """Refuse entity declarations and external references (defusedxml); return a parse problem, if any."""
    try:
        SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(location, f"refused: the feed declares entities or external references ({exc})") from exc
    except SafeET.ParseError as exc:
        return f"malformed XML ({exc})"
    return None


def _when(struct: Any) -> datetime | None:
    """feedparser's parsed time tuple to an aware datetime (None when missing or implausible)."""
    if not struct:
        return None
    try:
        year, month, day, hour, minute, second = struct[:6]
        return plausible(datetime(year, month, day, hour, minute, second, tzinfo=UTC), what="feed entry date")
    except (ValueError, IndexError, OverflowError):
        return None


def _xml_entry(item: Any, base: str, feed: Feed) -> FeedEntry:
    """One feedparser entry to a FeedEntry (a malformed link recorded on the feed)."""
    link = item.get("link") or next(
        (ln.get("href") for ln in item.get("links", []) if ln.get("rel") in (None, "alternate")), None
    )
    contents = item.get("content") or []
    content = max((c.get("value") or "" for c in contents), key=len, default="") or None
    authors = [clean_text(a["name"]) for a in item.get("authors", []) if isinstance(a.get("name"), str) and a["name"]]
    if not authors and isinstance(item.get("author"), str) and item["author"]:
        authors = [clean_text(item["author"])]
    language = next((c.get("language") for c in contents if c.get("language")), None)
    return FeedEntry(
        url=feed.link(base, str(link)) if link else None,
        title=_clean(item.get("title")),
        published=_when(item.get("published_parsed") or item.get("updated_parsed")),
        content_html=_clean(content),
        summary=_clean(item.get("summary")),
        authors=authors,
        language=_clean(language),
    )


def parse_xml_feed(data: bytes, location: str) -> Feed:
    """An RSS/Atom/RDF feed from bytes; never fetches anything itself; reads what it can of a malformed one."""
    data = xml_bytes(data, location)
    problem = _check_xml(data, location)
    try:
        parsed = feedparser.parse(
            io.BytesIO(data), response_headers={"content-location": location}, resolve_relative_uris=True
        )
    except ValueError as exc:  # feedparser's strict parser unpacks a namespaced name that holds a space
        return Feed(title=None, entries=[], language=None, error=f"unreadable feed ({exc})")
    except (KeyError, IndexError) as exc:  # its loose parser closes an element it never opened (`</link>` alone)
        return Feed(title=None, entries=[], language=None, error=f"unreadable feed (mismatched {exc} element)")
    head = parsed.get("feed", {})
    feed = Feed(title=_clean(head.get("title")), entries=[], language=_clean(head.get("language")))
    feed.entries = [_xml_entry(item, location, feed) for item in parsed.entries]
    if problem is None and parsed.get("bozo") and not feed.entries:
        problem = f"unreadable feed ({parsed.get('bozo_exception')})"
    if not parsed.entries and not parsed.feed and problem is None:
        problem = "not a feed"
    feed.error = problem
    return feed


def _clean(value: object) -> str | None:
    """A string value with lone surrogates replaced, else None."""
    return clean_text(value) if isinstance(value, str) else None


def _str(value: object) -> str | None:
    """A JSON value when it is a non-empty string (surrogates replaced), else None (feeds put numbers anywhere)."""
    return clean_text(value) if isinstance(value, str) and value else None


def parse_json_feed(data: bytes, location: str) -> Feed:
    """A JSON Feed 1.0/1.1 document (bounded nesting and numbers, see load_json)."""
    doc = load_json(data, location, what="JSON Feed")
    if not isinstance(doc, dict) or "jsonfeed.org" not in (_str(doc.get("version")) or ""):
        raise InputError(location, "not a JSON Feed (no jsonfeed.org version)")
    feed = Feed(title=_str(doc.get("title")), entries=[], language=_str(doc.get("language")))
    entries = feed.entries
    base = _str(doc.get("home_page_url")) or _str(doc.get("feed_url")) or location
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        url = _str(item.get("url")) or _str(item.get("external_url"))
        title = _str(item.get("title"))
        given = item.get("authors")
        authors_raw: list[Any] = given if isinstance(given, list) else []
        if not authors_raw and isinstance(item.get("author"), dict):
            authors_raw = [item["author"]]
        authors = [str(a["name"]) for a in authors_raw if isinstance(a, dict) and a.get("name")]
        content = _str(item.get("content_html"))
        text = _str(item.get("content_text"))
        if not content and text:
            content = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
        published = None
        for key in ("date_published", "date_modified"):
            stamp = _str(item.get(key))
            moment = parse_iso(stamp)
            if moment is not None:
                published = plausible(moment, what="entry date")
                break
        entries.append(
            FeedEntry(
                url=feed.link(base, url) if url else None,
                title=title,
                published=published,
                content_html=content,
                summary=_str(item.get("summary")),
                authors=authors,
                language=_str(item.get("language")) or _str(doc.get("language")),
            )
        )
    return feed


def parse_feed(data: bytes, location: str, media_type: str | None = None) -> Feed:
    """Any supported feed from bytes."""
    if media_type in JSON_FEED_MEDIA or data[:64].lstrip().startswith(b"{"):
        return parse_json_feed(data, location)
    return parse_xml_feed(data, location)
