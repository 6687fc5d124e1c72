"""Feeds out: Atom (RFC 4287) and JSON Feed 1.1, built from listing items."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from newsfold.text.dates import parse_iso
from newsfold.web.site import outlet, outlets

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json"
_EPOCH = "1970-01-01T00:00:00Z"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# an item's kind as its Atom category term (and JSON Feed tag), with the label readers show
KIND_LABELS = {"news": "News", "press_release": "Press release", "other": "Not a news article"}
KIND_TERMS = {"article": "news", "press_release": "press_release", "other": "other"}


@dataclass(slots=True)
class FeedItem:
    """One entry of a feed, whatever it came from."""

    id: str
    url: str
    title: str
    summary: str
    published: str | None
    updated: str | None
    authors: list[str] = field(default_factory=list)
    external_url: str | None = None
    language: str | None = None
    kind: str | None = None


@dataclass(slots=True)
class Feed:
    """A feed: where it lives, the page it mirrors, its title and its items."""

    title: str
    self_url: str
    page_url: str
    items: list[FeedItem]
    language: str | None = None
    notes: list[str] = field(default_factory=list)


def rfc3339(value: str | None) -> str | None:
    """A stored time as RFC 3339 in UTC (naive times taken as UTC), or None."""
    moment = parse_iso(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str) -> str:
    """Text without the characters XML 1.0 forbids."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF)))


def _translated(item: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The machine translation filed beside item[key] (by the reader-language pass), if any."""
    value = item.get(key + "_translated")
    return value if isinstance(value, dict) else None


def _mt_note(translation: dict[str, Any], original: str) -> str:
    """The line that marks a machine-translated item in a feed and names its original title."""
    return (
        f"[Machine translation from {translation.get('source_language')} by {translation.get('model')}; "
        f"original title: {original}]"
    )


def story_item(base: str, story: dict[str, Any]) -> FeedItem:
    """A story (contract shape) as a feed item linking to its page (in the reader's language where translated)."""
    names = outlets(story["articles"])
    key = "highlights" if story.get("highlights") else "publisher_highlights"
    shown = list(story.get(key + "_translated") or [])
    highlights = [
        str(shown[i]["text"]) if i < len(shown) and isinstance(shown[i], dict) else text
        for i, text in enumerate(story.get(key) or [])
    ]
    summary = " ".join(highlights) or f"{len(story['articles'])} articles from " + ", ".join(names)
    title = _translated(story, "title")
    if title is not None:
        summary = f"{summary} {_mt_note(title, story['title'])}"
    return FeedItem(
        id=f"{base}/stories/{story['id']}",
        url=f"{base}/stories/{story['id']}",
        title=title["text"] if title is not None else story["title"],
        summary=summary,
        published=rfc3339(story.get("first_published")),
        updated=rfc3339(story.get("last_updated")),
        authors=names,
        language=title["language"] if title is not None else None,
        kind=story.get("kind"),
    )


def article_item(base: str, article: dict[str, Any]) -> FeedItem:
    """An article (listing shape) as a feed item linking to its reader view (translated where a model exists)."""
    snippet_translation = _translated(article, "snippet")
    snippet = str(article.get("snippet") or "").replace("[[", "").replace("]]", "")
    if snippet_translation is not None:
        snippet = str(snippet_translation["text"])
    original = article.get("title") or "(untitled)"
    title = _translated(article, "title")
    summary = snippet or f"{outlet(article.get('source'))}, {article.get('language') or 'unknown language'}"
    if title is not None:
        summary = f"{summary} {_mt_note(title, original)}"
    return FeedItem(
        id=f"{base}/articles/{article['id']}",
        url=f"{base}/articles/{article['id']}",
        title=title["text"] if title is not None else original,
        summary=summary,
        published=rfc3339(article.get("published")),
        updated=rfc3339(article.get("published")),
        authors=[outlet(article.get("source"))],
        language=(title or snippet_translation or {}).get("language"),
        kind=KIND_TERMS.get(str(article.get("kind"))),
    )


def _latest_time(items: Sequence[FeedItem]) -> str:
    """The newest time among the items (the feed's updated time)."""
    times = [t for item in items for t in (item.updated, item.published) if t]
    return max(times) if times else _EPOCH


def atom(feed: Feed) -> bytes:
    """The feed as an Atom document."""
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        """Append an Atom element."""
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _clean(text)
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed")
    if feed.language:
        root.set(XML_LANG, feed.language)
    sub(root, "id", feed.self_url)
    sub(root, "title", feed.title)
    if feed.notes:
        sub(root, "subtitle", " ".join(feed.notes))
    sub(root, "updated", _latest_time(feed.items))
    sub(root, "link", rel="self", href=feed.self_url, type="application/atom+xml")
    sub(root, "link", rel="alternate", href=feed.page_url, type="text/html")
    author = sub(root, "author")
    sub(author, "name", "newsfold")
    sub(root, "generator", "newsfold")
    for item in feed.items:
        entry = sub(root, "entry")
        if item.language and item.language != feed.language:
            entry.set(XML_LANG, item.language)
        sub(entry, "id", item.id)
        sub(entry, "title", item.title)
        sub(entry, "updated", item.updated or item.published or _EPOCH)
        if item.published:
            sub(entry, "published", item.published)
        sub(entry, "link", rel="alternate", href=item.url, type="text/html")
        for name in item.authors:
            sub(sub(entry, "author"), "name", name)
        if item.kind in KIND_LABELS:
            sub(entry, "category", term=item.kind, label=KIND_LABELS[item.kind])
        sub(entry, "summary", item.summary, type="text")
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + document


def json_feed(feed: Feed) -> dict[str, Any]:
    """The feed as a JSON Feed 1.1 object."""
    items = []
    for item in feed.items:
        entry: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title, "content_text": item.summary}
        if item.published:
            entry["date_published"] = item.published
        if item.updated:
            entry["date_modified"] = item.updated
        if item.authors:
            entry["authors"] = [{"name": name} for name in item.authors]
        if item.language and item.language != feed.language:
            entry["language"] = item.language
        if item.kind in KIND_LABELS:
            entry["tags"] = [item.kind]
        items.append(entry)
    out: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.page_url,
        "feed_url": feed.self_url,
        "authors": [{"name": "newsfold"}],
    }
    if feed.language:
        out["language"] = feed.language
    if feed.notes:
        out["description"] = " ".join(feed.notes)
    out["items"] = items
    return out
