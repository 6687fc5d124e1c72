"""Page metadata from JSON-LD, Open Graph, meta tags and links: title, times, authors, site, canonical, original."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from newsfold.errors import InputError
from newsfold.extract.dates import parse_date
from newsfold.extract.people import clean_authors
from newsfold.ingest.jsontext import load_json
from newsfold.urls import host_of, join_url

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle",
        "article",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "webpage",
    }
)
_BYLINE_SELECTOR = (
    'a[rel="author"], [itemprop="author"], .byline, .author-name, .article-author, [class*="byline"] a, '
    '[data-testid="byline"]'
)
MAX_BYLINES = 6
_TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,40}$")


@dataclass(slots=True)
class PageMeta:
    """What a page's markup says about its article."""

    title: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    section: str | None = None
    description: str | None = None
    # every summary the page gives of its article (og:, name and twitter: description, JSON-LD), distinct, in order
    summaries: tuple[str, ...] = ()
    article_body: str | None = None
    article_type: str | None = None
    og_type: str | None = None
    based_on: str | None = None
    publisher: str | None = None
    page_url: str | None = None  # the page's own address as it states it (og:url), beside its canonical


def _as_list(value: Any) -> list[Any]:
    """A JSON value as a list (a single value becomes a list of one)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _string(value: Any) -> str | None:
    """A JSON-LD value as text: a string, or the name/@id/url of an object (of a list's first item, a few deep)."""
    for _ in range(4):
        if not isinstance(value, list) or not value:
            break
        value = value[0]
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("name", "url", "@id"):
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
    return None


def _walk_jsonld(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD document, @graph members included (bounded depth)."""
    if depth > 6:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk_jsonld(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _walk_jsonld(graph, depth + 1)


def _types(obj: dict[str, Any]) -> set[str]:
    """The lower-cased @type names of a JSON-LD object."""
    return {t.lower() for t in _as_list(obj.get("@type")) if isinstance(t, str)}


def _jsonld_article(tree: LexborHTMLParser) -> dict[str, Any] | None:
    """The page's article object in JSON-LD (the richest one when there are several)."""
    best: dict[str, Any] | None = None
    best_rank = -1
    for script in tree.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True) or ""
        try:
            data = load_json(raw, "JSON-LD", what="JSON-LD")
        except InputError:
            continue
        for obj in _walk_jsonld(data):
            types = _types(obj)
            if not types & _ARTICLE_TYPES:
                continue
            rank = (2 if "webpage" not in types else 0) + (1 if obj.get("articleBody") else 0)
            rank += 1 if obj.get("headline") else 0
            if rank > best_rank:
                best, best_rank = obj, rank
    return best


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    """meta tags by lower-cased name or property (first value wins)."""
    out: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and content.strip():
            out.setdefault(key.strip().lower(), content.strip())
    return out


def _date(*values: str | None) -> datetime | None:
    """The first of values that parses as a date."""
    for value in values:
        if value:
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def _jsonld_people(obj: dict[str, Any]) -> list[str]:
    """Names of the authors in a JSON-LD article (people only)."""
    names: list[str] = []
    for author in _as_list(obj.get("author")) + _as_list(obj.get("creator")):
        if isinstance(author, dict) and "organization" in _types(author):
            continue
        name = _string(author)
        if name and not name.startswith("http"):
            names.append(name)
    return names


def _title(meta: dict[str, str], obj: dict[str, Any] | None, tree: LexborHTMLParser) -> str | None:
    """The headline: JSON-LD headline, og:title, the first h1, then <title> without the site suffix."""
    candidates = [
        _string(obj.get("headline")) if obj else None,
        meta.get("og:title"),
        meta.get("twitter:title"),
    ]
    h1 = tree.css_first("h1")
    if h1 is not None:
        candidates.append(" ".join((h1.text(deep=True) or "").split()) or None)
    title_node = tree.css_first("title")
    if title_node is not None:
        candidates.append(_TITLE_SUFFIX.sub("", " ".join((title_node.text() or "").split())) or None)
    for candidate in candidates:
        if candidate and len(candidate) < 400:
            return candidate
    return None


def _visible_authors(tree: LexborHTMLParser) -> list[str]:
    """Authors named on the page itself: rel=author links, itemprop=author, byline elements."""
    names: list[str] = []
    for node in tree.css(_BYLINE_SELECTOR)[:MAX_BYLINES]:
        text = " ".join((node.text(deep=True, separator=" ") or "").split())
        if 0 < len(text) <= 120:
            names.append(text)
    return clean_authors(names)


def _visible_time(tree: LexborHTMLParser) -> datetime | None:
    """The first <time datetime=...> on the page, the usual mark of a publication time."""
    node = tree.css_first("time[datetime]")
    value = node.attributes.get("datetime") if node is not None else None
    return parse_date(value) if value else None


def read_meta(tree: LexborHTMLParser, url: str | None) -> PageMeta:
    """Everything the markup says about the article (read before the tree is cleaned)."""
    meta = _meta(tree)
    obj = _jsonld_article(tree)
    page = PageMeta()
    page.title = _title(meta, obj, tree)
    page.published = _date(
        _string(obj.get("datePublished")) if obj else None,
        meta.get("article:published_time"),
        meta.get("og:article:published_time"),
        meta.get("datepublished"),
        meta.get("pubdate"),
        meta.get("publishdate"),
        meta.get("date"),
        meta.get("dc.date"),
        meta.get("dcterms.created"),
        meta.get("sailthru.date"),
        meta.get("parsely-pub-date"),
    )
    page.updated = _date(
        _string(obj.get("dateModified")) if obj else None,
        meta.get("article:modified_time"),
        meta.get("og:updated_time"),
        meta.get("datemodified"),
    )
    names = _jsonld_people(obj) if obj else []
    if not names:
        names = [meta[k] for k in ("author", "article:author", "dc.creator", "parsely-author") if k in meta]
    page.authors = clean_authors(names) or _visible_authors(tree)
    if page.published is None:
        page.published = _visible_time(tree)
    publisher = _string(obj.get("publisher")) if obj else None
    publisher = None if publisher and publisher.startswith(("http:", "https:", "/", "#")) else publisher
    page.publisher = publisher
    page.site_name = meta.get("og:site_name") or meta.get("application-name") or publisher
    canonical = tree.css_first('link[rel="canonical"]')
    href = canonical.attributes.get("href") if canonical is not None else None
    page.page_url = join_url(url, meta["og:url"]) if meta.get("og:url") else None
    page.canonical_url = (join_url(url, href) if href else None) or page.page_url or url  # og:url joined once
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") if html is not None else None) or meta.get("og:locale")
    lang = lang or (_string(obj.get("inLanguage")) if obj else None)
    page.language = lang.replace("_", "-").split("-")[0].lower() if lang else None
    page.section = (_string(obj.get("articleSection")) if obj else None) or meta.get("article:section")
    page.description = meta.get("og:description") or meta.get("description")
    summaries = (meta.get("og:description"), meta.get("description"), meta.get("twitter:description"))
    page.summaries = tuple(
        dict.fromkeys(s for s in (*summaries, _string(obj.get("description")) if obj else None) if s)
    )
    body = obj.get("articleBody") if obj else None
    page.article_body = body if isinstance(body, str) and body.strip() else None
    page.article_type = ",".join(sorted(_types(obj))) if obj else None
    page.og_type = meta.get("og:type", "").lower() or None
    page.based_on = (_string(obj.get("isBasedOn")) or _string(obj.get("isBasedOnUrl"))) if obj else None
    return page


def same_site(first: str | None, second: str | None) -> bool:
    """True when two URLs are on the same site (www. and subdomains of one registered name match)."""
    if not first or not second:
        return True
    a = host_of(first) or ""
    b = host_of(second) or ""
    if not a or not b:
        return True
    return _registered(a) == _registered(b)


def _registered(host: str) -> str:
    """A host's registered name, roughly (the last two labels, three for co.uk-style suffixes)."""
    labels = host.lower().removeprefix("www.").split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])
