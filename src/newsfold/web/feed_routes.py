"""Feed endpoints: latest, each source, each day and each search, as Atom and JSON Feed 1.1."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.errors import NotFoundError
from newsfold.web import views
from newsfold.web.errors import BadRequestError
from newsfold.web.feeds import ATOM_TYPE, JSON_FEED_TYPE, Feed, article_item, atom, json_feed, story_item
from newsfold.web.params import parse_day, search_filters, text
from newsfold.web.site import Body, Site

FEED_SIZE = 50


def _split_format(name: str) -> tuple[str, str]:
    """'x.atom' -> ('x', 'atom'); NotFoundError for any other suffix."""
    stem, dot, fmt = name.rpartition(".")
    if not dot or fmt not in ("atom", "json") or not stem:
        raise NotFoundError(f"{name[:80]}: feeds end in .atom or .json")
    return stem, fmt


def feeds_router(site: Site) -> APIRouter:
    """The router of every feed."""
    router = APIRouter(prefix="/feeds", include_in_schema=False)

    def body(feed: Feed, fmt: str) -> Body:
        """A feed in the asked format."""
        if fmt == "atom":
            return Body(atom(feed), ATOM_TYPE)
        return site.json(json_feed(feed), media_type=JSON_FEED_TYPE)

    async def serve(request: Request, make: Callable[[sqlite3.Connection, str], Feed], fmt: str) -> Response:
        """Build (or take from the cache) one feed."""
        base = str(request.base_url).rstrip("/")
        return await site.respond(request, "feed", lambda conn: body(make(conn, base), fmt), base)

    @router.get("/latest.{fmt}")
    async def latest_feed(request: Request, fmt: str) -> Response:
        """The latest stories."""
        _split_format(f"latest.{fmt}")

        def make(conn: sqlite3.Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data = views.latest_view(conn, FEED_SIZE, None)
            items = [story_item(base, s) for s in data["stories"]]
            return Feed("newsfold: latest stories", f"{base}/feeds/latest.{fmt}", f"{base}/", items)

        return await serve(request, make, fmt)

    @router.get("/days/{name}")
    async def day_feed(request: Request, name: str) -> Response:
        """Every story of one day."""
        stem, fmt = _split_format(name)
        when = parse_day(stem)

        def make(conn: sqlite3.Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data = views.day_view(conn, when, FEED_SIZE, None)
            items = [story_item(base, s) for s in data["stories"]]
            return Feed(f"newsfold: stories of {stem}", f"{base}/feeds/days/{name}", f"{base}/day/{stem}", items)

        return await serve(request, make, fmt)

    @router.get("/sources/{name:path}")
    async def source_feed(request: Request, name: str) -> Response:
        """One outlet's latest items."""
        stem, fmt = _split_format(name)
        source = text(stem, "source name") or ""

        def make(conn: sqlite3.Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data = views.source_view(conn, source, FEED_SIZE, None)
            items = [article_item(base, a) for a in data["items"]]
            path = quote(source, safe="")
            return Feed(f"newsfold: {source}", f"{base}/feeds/sources/{path}.{fmt}", f"{base}/sources/{path}", items)

        return await serve(request, make, fmt)

    @router.get("/search.{fmt}")
    async def search_feed(
        request: Request,
        fmt: str,
        q: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Response:
        """The best matches of a search."""
        _split_format(f"search.{fmt}")
        query = text(q, "q")
        if not query:
            raise BadRequestError("q: a search feed needs some words")
        filters = search_filters(language, source, since, until)

        def make(conn: sqlite3.Connection, base: str) -> Feed:
            """Build the feed from the store."""
            data = views.search_view(conn, query, FEED_SIZE, None, *filters)
            items = [article_item(base, a) for a in data["results"]]
            qs = urlencode({"q": query})
            return Feed(f"newsfold: search {query}", f"{base}/feeds/search.{fmt}?{qs}", f"{base}/search?{qs}", items)

        return await serve(request, make, fmt)

    return router
