"""Sources named to `newsfold ingest`: URLs, and local feed, sitemap and OPML files, read through the fetcher."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsfold.errors import InputError
from newsfold.ingest.collect import Collected, Collector
from newsfold.ingest.feeds import looks_like_feed, parse_feed
from newsfold.ingest.fetch import Fetcher
from newsfold.ingest.opml import looks_like_opml, read_opml
from newsfold.ingest.registry import default_name
from newsfold.ingest.sitemaps import looks_like_sitemap, parse_sitemap
from newsfold.model import RawInput
from newsfold.store.sources import Source

NO_FETCHER = "fetching is not available here"


def _every(urls: Sequence[str]) -> list[str]:
    """Take every URL (a one-off ingest remembers nothing; the store skips what it already holds)."""
    return list(dict.fromkeys(urls))


def _emit(collected: Collected) -> Iterator[RawInput | InputError]:
    """A collected source's inputs, then its failures."""
    yield from collected.inputs
    yield from collected.failures
    if collected.error is not None:
        yield InputError(collected.source.url, collected.error)


def url_inputs(
    url: str, fetcher: Fetcher | None, kind: str = "auto", depth: int = 0
) -> Iterator[RawInput | InputError]:
    """A URL's articles: a page itself, the pages a feed or sitemap leads to, or those of an OPML list's sources.

    depth: 1 for the sources an OPML list names (lists inside lists are not followed).
    """
    if fetcher is None:
        yield InputError(url, NO_FETCHER)
        return
    source = Source(id=0, url=url, name=default_name(url), kind="auto")
    if kind in ("feed", "sitemap", "page"):
        source.kind = kind  # type: ignore[assignment]
    collected = Collector(fetcher, read_lists=depth == 0).collect(source, _every)
    yield from _emit(collected)
    for outline in collected.outlines:
        yield from url_inputs(outline.url, fetcher, outline.kind, depth + 1)


def _pages(urls: Sequence[str], fetcher: Fetcher | None, location: str) -> Iterator[RawInput | InputError]:
    """Fetch article pages named by a local feed or sitemap."""
    if not urls:
        return
    if fetcher is None:
        yield InputError(location, f"{len(urls)} entries need their pages fetched; {NO_FETCHER}")
        return
    collector = Collector(fetcher, max_items=len(urls))
    out = Collected(source=Source(id=0, url=location, name=location))
    for url in _every(urls):
        collector.fetch_page(out, url)
    yield from _emit(out)


def source_file_inputs(raw: RawInput, fetcher: Fetcher | None) -> Iterator[RawInput | InputError] | None:
    """The articles of a local OPML, feed or sitemap file; None when the file is none of these."""
    location = raw.origin.location
    data = raw.data
    if looks_like_opml(data):
        return _opml(data, location, fetcher)
    if looks_like_feed(data):
        return _feed(data, location, fetcher)
    if looks_like_sitemap(data):
        return _sitemap(data, location, fetcher)
    return None


def _opml(data: bytes, location: str, fetcher: Fetcher | None) -> Iterator[RawInput | InputError]:
    """Every source of an OPML list, fetched."""
    try:
        listed = read_opml(data, location)
    except InputError as exc:
        yield exc
        return
    yield from listed.problems
    for outline in listed.outlines:
        yield from url_inputs(outline.url, fetcher, outline.kind, depth=1)


def _feed(data: bytes, location: str, fetcher: Fetcher | None) -> Iterator[RawInput | InputError]:
    """A local feed: entries that carry the whole article as they are, the others' pages fetched."""
    try:
        feed = parse_feed(data, location)
    except InputError as exc:
        yield exc
        return
    if feed.error:
        yield InputError(location, feed.error)
    yield from feed.problems
    to_fetch: list[str] = []
    for entry in feed.entries:
        if entry.full_text:
            yield entry.as_page(location)
        elif entry.url:
            to_fetch.append(entry.url)
    yield from _pages(to_fetch, fetcher, location)


def _sitemap(data: bytes, location: str, fetcher: Fetcher | None) -> Iterator[RawInput | InputError]:
    """A local sitemap's pages, fetched."""
    try:
        sitemap = parse_sitemap(data, location)
    except InputError as exc:
        yield exc
        return
    yield from _pages([e.url for e in sitemap.entries], fetcher, location)
