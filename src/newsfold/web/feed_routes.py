"""Feed endpoints: latest, each source, each day and each search, as Atom and JSON Feed 1.1."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.errors import NotFoundError
from newsfold.store.base import Connection
from newsfold.web.errors import BadRequestError
from newsfold.web.feeds import ATOM_TYPE, JSON_FEED_TYPE, Feed, article_item, atom, json_feed, story_item
from newsfold.web.params import parse_day, search_filters, text
from newsfold.web.reader import api_language
from newsfold.web.routes.days import DayPage, day_view
from newsfold.web.routes.listings import LatestPage, latest_view, press_view
from newsfold.web.routes.search import SearchPage, search_view
from newsfold.web.routes.sources import SourcePage, source_view
from newsfold.web.site import Body, Site

FEED_SIZE = 50
Listed = TypeVar("Listed", LatestPage, DayPage, SourcePage, SearchPage)


def _split_format(name: str) -> tuple[str, str]:
    """'x.atom' -> ('x', 'atom'); NotFoundError for any other suffix."""
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in ("atom", "json") or not stem:
        raise NotFoundError(f"{name[:80]}: feeds end in .atom or .json")
    return stem, fmt


def feeds_router(site: Site) -> APIRouter:  # noqa: PLR0915  the router factory: one nested route function per feed
    """The router of every feed."""
    router = APIRouter(prefix="/feeds", include_in_schema=False)

    def body(feed: Feed, fmt: str) -> Body:
        """A feed in the asked format."""
        if fmt == "atom":
            return Body(atom(feed), ATOM_TYPE)
        return site.json(json_feed(feed), media_type=JSON_FEED_TYPE)

    async def serve(
        request: Request, make: Callable[[Connection, str], Feed], fmt: str, target: str | None = None
    ) -> Response:
        """Build (or take from the cache) one feed."""
        base = site.base_url  # the configured public address: a request's Host header never names the feed
        return await site.respond(request, "feed", lambda conn: body(make(conn, base), fmt), base, language=target)

    def translated(conn: Connection, listing: Listed, target: str | None) -> tuple[Listed, list[str]]:
        """A feed's listing with titles, highlights and snippets added in the reader's language, and its notes."""
        listing = listing.in_language(conn, site.translator, target)
        reader = listing.reader
        notes = list(reader.notes) if reader is not None else []
        if reader is not None and reader.models:
            notes.insert(0, f"Machine translation into {target} by {', '.join(reader.models)} where marked.")
        return listing, notes

    def self_url(url: str, target: str | None) -> str:
        """A feed's own address, with its reader language when it has one."""
        if target is None:
            return url
        return url + ("&" if "?" in url else "?") + urlencode({"lang": target})

    @router.get("/latest.{fmt}")
    async def latest_feed(request: Request, fmt: str, lang: str | None = None) -> Response:
        """The latest news stories, no press releases (`lang`: titles and highlights translated where it can)."""
        _split_format(f"latest.{fmt}")
        target = api_language(lang)

        def make(conn: Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data, notes = translated(conn, latest_view(conn, FEED_SIZE, None), target)
            items = [story_item(base, s) for s in data.stories]
            url = self_url(f"{base}/feeds/latest.{fmt}", target)
            return Feed("newsfold: latest stories", url, f"{base}/", items, target, notes)

        return await serve(request, make, fmt, target)

    @router.get("/press.{fmt}")
    async def press_feed(request: Request, fmt: str, lang: str | None = None) -> Response:
        """Press releases, apart from the news feeds; each entry marked as one (Atom category, JSON Feed tag)."""
        _split_format(f"press.{fmt}")
        target = api_language(lang)

        def make(conn: Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data, notes = translated(conn, press_view(conn, FEED_SIZE, None), target)
            items = [story_item(base, s) for s in data.stories]
            url = self_url(f"{base}/feeds/press.{fmt}", target)
            return Feed("newsfold: press releases", url, f"{base}/press", items, target, notes)

        return await serve(request, make, fmt, target)

    @router.get("/days/{name}")
    async def day_feed(request: Request, name: str, lang: str | None = None) -> Response:
        """Every story of one day."""
        stem, fmt = _split_format(name)
        when = parse_day(stem)
        target = api_language(lang)

        def make(conn: Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data, notes = translated(conn, day_view(conn, when, FEED_SIZE, None), target)
            items = [story_item(base, s) for s in data.stories]
            url = self_url(f"{base}/feeds/days/{name}", target)
            return Feed(f"newsfold: stories of {stem}", url, f"{base}/day/{stem}", items, target, notes)

        return await serve(request, make, fmt, target)

    @router.get("/sources/{name:path}")
    async def source_feed(request: Request, name: str, lang: str | None = None) -> Response:
        """One outlet's latest items."""
        stem, fmt = _split_format(name)
        source = text(stem, "source name") or ""
        target = api_language(lang)

        def make(conn: Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data, notes = translated(conn, source_view(conn, source, FEED_SIZE, None), target)
            items = [article_item(base, a) for a in data.items]
            path = quote(source, safe="")
            url = self_url(f"{base}/feeds/sources/{path}.{fmt}", target)
            return Feed(f"newsfold: {source}", url, f"{base}/sources/{path}", items, target, notes)

        return await serve(request, make, fmt, target)

    @router.get("/search.{fmt}")
    async def search_feed(  # noqa: PLR0913  FastAPI route: its parameters are the query string's
        request: Request,
        fmt: str,
        q: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        lang: str | None = None,
    ) -> Response:
        """The best matches of a search."""
        _split_format(f"search.{fmt}")
        query = text(q, "q")
        if not query:
            raise BadRequestError("q: a search feed needs some words")
        filters = search_filters(language, source, since, until)
        target = api_language(lang)

        def make(conn: Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data, notes = translated(conn, search_view(conn, query, FEED_SIZE, None, filters), target)
            items = [article_item(base, a) for a in data.results]
            qs = urlencode({"q": query})
            url = self_url(f"{base}/feeds/search.{fmt}?{qs}", target)
            return Feed(f"newsfold: search {query}", url, f"{base}/search?{qs}", items, target, notes)

        return await serve(request, make, fmt, target)

    return router
