"""One source to raw inputs: fetch it, read it as a feed, sitemap or page, and fetch the new pages it leads to."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsfold.errors import InputError
from newsfold.ingest.feeds import FeedEntry, looks_like_feed, parse_feed
from newsfold.ingest.fetch import ROBOTS_REFUSAL, Fetcher, PolicyError, Response
from newsfold.ingest.opml import Outline, looks_like_opml, read_opml
from newsfold.ingest.sitemaps import looks_like_sitemap, parse_sitemap
from newsfold.model import Origin, RawInput
from newsfold.pipeline import failed_input
from newsfold.store.sources import Source
from newsfold.urls import join_url, try_url

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")

# Given the URLs a source leads to, return those to fetch (not seen before and not taken down).
UrlFilter = Callable[[Sequence[str]], list[str]]


@dataclass(slots=True)
class Collected:
    """What fetching one source produced: pages to ingest and the bookkeeping for its health record."""

    source: Source
    inputs: list[RawInput] = field(default_factory=list)
    input_urls: list[str] = field(default_factory=list)
    done_urls: list[str] = field(default_factory=list)
    fetched: int = 0
    unchanged: int = 0
    failures: list[InputError] = field(default_factory=list)
    error: str | None = None
    policy: str | None = None  # the fetcher's policy stamp when a setting refused the source (error then says which)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    kind: str | None = None
    outlines: list[Outline] = field(default_factory=list)  # the sources an OPML list names (read_lists only)


def page_input(response: Response) -> RawInput:
    """A fetched HTML page as a RawInput for the extract stage."""
    return RawInput(
        origin=Origin(location=response.url, fetched=response.fetched, media_type="text/html"),
        data=response.body,
        media_type="text/html",
        charset=response.charset,
        url=response.url,
    )


_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
FEED_TYPES = (b"application/rss+xml", b"application/atom+xml", b"application/feed+json")


def discover_feed(response: Response) -> str | None:
    """The feed a site's home page names (<link rel="alternate" type="...rss+xml">), or None.

    Only for a home page (path "/"): an article page names its site's feed too, and must stay a page.
    """
    url = try_url(response.url)
    if url is None or url.path not in ("", "/"):
        return None
    for tag in _LINK_TAG.findall(response.body[:262144]):
        attrs = {m[0].lower(): (m[1] or m[2] or m[3]) for m in _ATTRIBUTE.findall(tag)}
        rel = attrs.get(b"rel", b"").lower().split()
        if b"alternate" in rel and attrs.get(b"type", b"").lower() in FEED_TYPES and attrs.get(b"href"):
            href = html.unescape(attrs[b"href"].decode("utf-8", errors="replace").strip())
            return join_url(response.url, href)
    return None


def _is_html(response: Response) -> bool:
    """Whether a response is an HTML page (by type, or by its first bytes when untyped)."""
    if response.media_type in HTML_TYPES:
        return True
    head = response.body[:1024].lstrip().lower()
    return response.media_type in (None, "text/plain") and head.startswith((b"<!doctype html", b"<html"))


class Collector:
    """Fetches sources through one Fetcher; holds no state between sources beyond it."""

    def __init__(
        self, fetcher: Fetcher, *, max_items: int = 50, max_sitemaps: int = 5, read_lists: bool = False
    ) -> None:
        """Collect with fetcher, taking at most max_items new pages per source and pass.

        read_lists: an OPML list (known by its content, whatever its media type) gives its outlines to follow.
        """
        self.fetcher = fetcher
        self.read_lists = read_lists
        self.max_items = max_items
        self.max_sitemaps = max_sitemaps

    def collect(self, source: Source, wanted: UrlFilter) -> Collected:
        """Fetch a source and the new pages it leads to; failures are recorded, never raised."""
        out = Collected(source=source, etag=source.etag, last_modified=source.last_modified)
        try:
            response = self.fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        except InputError as exc:
            self._fail(out, exc)
            return out
        except Exception as exc:  # the per-source boundary: a source's failure never ends a pass
            log.debug("%s: unexpected failure while fetching it", source.url, exc_info=True)
            out.error = failed_input(source.url, exc).reason
            return out
        out.fetched += 1
        if response.not_modified:
            out.not_modified = True
            out.unchanged += 1
            return out
        if response.status != 200:
            out.error = f"HTTP {response.status}"
            return out
        out.etag = response.headers.get("etag")
        out.last_modified = response.headers.get("last-modified")
        try:
            self._read_source(out, response, wanted)
        except InputError as exc:
            self._fail(out, exc)
        except Exception as exc:  # the per-source boundary: a source's bytes are untrusted, fail it, not the pass
            log.debug("%s: unexpected failure while reading it", source.url, exc_info=True)
            out.error = failed_input(source.url, exc).reason
        return out

    def _fail(self, out: Collected, exc: InputError) -> None:
        """Record why the source failed, and under which policy when a setting refused it."""
        out.error = exc.reason
        if isinstance(exc, PolicyError):
            out.policy = self.fetcher.policy_stamp

    def _read_source(self, out: Collected, response: Response, wanted: UrlFilter) -> None:
        """Read the source document as its kind says (or as it looks) and gather pages."""
        kind = out.source.kind
        body = response.body
        if kind == "auto" and self.read_lists and looks_like_opml(body):
            out.kind = "opml"
            listed = read_opml(body, response.url)
            out.outlines = listed.outlines
            out.failures.extend(listed.problems)
        elif kind == "feed" or (kind == "auto" and looks_like_feed(body, response.media_type)):
            out.kind = "feed"
            self._feed(out, response, wanted)
        elif kind == "sitemap" or (kind == "auto" and looks_like_sitemap(body)):
            out.kind = "sitemap"
            self._sitemap(out, response, wanted)
        elif kind == "auto" and _is_html(response) and (discovered := discover_feed(response)):
            out.kind = "feed"
            feed_response = self.fetcher.fetch(discovered)
            out.fetched += 1
            if feed_response.status != 200:
                raise InputError(discovered, f"HTTP {feed_response.status} from the feed the home page names")
            self._feed(out, feed_response, wanted)
        elif _is_html(response):
            out.kind = "page"
            out.inputs.append(page_input(response))
            out.input_urls.append(response.url)
        else:
            raise InputError(response.url, f"neither a feed, a sitemap nor an HTML page ({response.media_type})")

    def _feed(self, out: Collected, response: Response, wanted: UrlFilter) -> None:
        """Read a feed document and take its new entries; a malformed feed gives what it can."""
        feed = parse_feed(response.body, response.url, response.media_type)
        out.failures.extend(feed.problems)
        if feed.error:
            out.failures.append(InputError(response.url, feed.error))
            if not feed.entries:
                raise InputError(response.url, feed.error)
        self._entries(out, feed.entries, wanted)

    def _entries(self, out: Collected, entries: Sequence[FeedEntry], wanted: UrlFilter) -> None:
        """Take each new entry: its full text when the feed carries the whole article, else its page."""
        by_url = {e.url: e for e in entries if e.url}
        fresh = wanted(list(by_url))
        out.unchanged += len(by_url) - len(fresh)
        for url in fresh[: self.max_items]:
            if self.fetcher.stop.is_set():
                return
            entry = by_url[url]
            if entry.full_text:
                out.inputs.append(entry.as_page(out.source.url))
                out.input_urls.append(url)
                continue
            self.fetch_page(out, url)

    def _sitemap(self, out: Collected, response: Response, wanted: UrlFilter) -> None:
        """Take the newest new URLs of a sitemap, following an index to its first few children."""
        sitemap = parse_sitemap(response.body, response.url, self.fetcher.settings.max_bytes)
        entries = list(sitemap.entries)
        for child in sitemap.children[: self.max_sitemaps]:
            if self.fetcher.stop.is_set():
                break
            try:
                child_response = self.fetcher.fetch(child)
                out.fetched += 1
                if child_response.status != 200:
                    raise InputError(child, f"HTTP {child_response.status}")
                entries.extend(parse_sitemap(child_response.body, child, self.fetcher.settings.max_bytes).entries)
            except InputError as exc:
                out.failures.append(exc)
        urls = [e.url for e in entries]
        fresh = wanted(urls)
        out.unchanged += len(set(urls)) - len(fresh)
        for url in fresh[: self.max_items]:
            if self.fetcher.stop.is_set():
                return
            self.fetch_page(out, url)

    def fetch_page(self, out: Collected, url: str) -> None:
        """Fetch one article page; a failure is recorded (and remembered for good when it is a 4xx)."""
        try:
            response = self.fetcher.fetch(url)
        except InputError as exc:
            out.failures.append(exc)
            if exc.reason == ROBOTS_REFUSAL:
                out.done_urls.append(url)
            return
        except Exception as exc:  # the per-page boundary: one page's failure never ends its source
            log.debug("%s: unexpected failure while fetching it", url, exc_info=True)
            out.failures.append(failed_input(url, exc))
            out.done_urls.append(url)
            return
        out.fetched += 1
        if response.status != 200:
            out.failures.append(InputError(url, f"HTTP {response.status}"))
            if 400 <= response.status < 500 and response.status != 429:
                out.done_urls.append(url)
            return
        if not _is_html(response):
            out.failures.append(InputError(url, f"not an HTML page ({response.media_type})"))
            out.done_urls.append(url)
            return
        out.inputs.append(page_input(response))
        out.input_urls.append(url)
        if response.url != url:  # the page is stored at the address it was redirected to: remember both
            out.input_urls.append(response.url)
