"""The HTML pages: each renders the value its /api/ twin returns."""

from __future__ import annotations

import sqlite3
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.store import stories as stories_db
from newsfold.web import queries, views
from newsfold.web.params import check_limit, language, parse_day, search_filters, text
from newsfold.web.site import Body, Site, aggregate_stamp


def pages_router(site: Site) -> APIRouter:
    """The router of every HTML page."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def latest_page(request: Request, limit: int = 30, cursor: str | None = None) -> Response:
        """Latest: stories by their last update."""
        check_limit(limit)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.latest_view(conn, limit, cursor)
            return site.render("latest.html", page="latest", data=data, more=_more(request, data["next"]))

        return await site.respond(request, "html", build)

    @router.get("/stories/{story_id}")
    async def story_page(request: Request, story_id: str) -> Response:
        """One story: every member, the differences between copies, a timeline, related stories."""

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data, members, found = views.story_view(conn, story_id, site.terms)
            return site.render("story.html", page="story", data=data, members=members, comparisons=found)

        return await site.respond(request, "html", build, stamp_of=lambda conn: queries.story_stamp(conn, story_id))

    @router.get("/articles/{article_id}")
    async def article_page(request: Request, article_id: str, lang: str | None = None) -> Response:
        """The reader view of one article."""
        target = _target(site, lang)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.article_view(conn, site.translator, article_id, target)
            story = stories_db.get_story(conn, data["story_id"]) if data["story_id"] else None
            return site.render(
                "article.html",
                page="article",
                data=data,
                story=story,
                target=target,
                languages=site.reader_languages,
            )

        return await site.respond(request, "html", build)

    @router.get("/trending")
    async def trending_page(request: Request, limit: int = 30, cursor: str | None = None) -> Response:
        """Trends 24h."""
        check_limit(limit)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.trending_view(conn, limit, cursor)
            return site.render("trending.html", page="trending", data=data, more=_more(request, data["next"]))

        return await site.respond(request, "html", build, stamp_of=aggregate_stamp)

    @router.get("/day/{day}")
    async def day_page(request: Request, day: str, limit: int = 50, cursor: str | None = None) -> Response:
        """Every story of one day."""
        check_limit(limit)
        when = parse_day(day)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.day_view(conn, when, limit, cursor)
            return site.render("day.html", page="day", data=data, more=_more(request, data["next"]))

        return await site.respond(request, "html", build)

    @router.get("/sources")
    async def sources_page(request: Request) -> Response:
        """The outlets."""

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            return site.render("sources.html", page="sources", data=views.sources_view(conn))

        return await site.respond(request, "html", build, stamp_of=aggregate_stamp)

    @router.get("/sources/{name:path}")
    async def source_page(request: Request, name: str, limit: int = 30, cursor: str | None = None) -> Response:
        """One outlet and its latest items."""
        check_limit(limit)
        checked = text(name, "source name") or ""

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.source_view(conn, checked, limit, cursor)
            return site.render("source.html", page="sources", data=data, more=_more(request, data["next"]))

        return await site.respond(request, "html", build)

    @router.get("/search")
    async def search_page(
        request: Request,
        q: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> Response:
        """Full-text search with filters."""
        check_limit(limit)
        query = text(q, "q")
        filters = search_filters(language, source, since, until)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            choices = queries.languages_and_sources(conn)
            data = None
            if query:
                data = views.search_view(conn, query, limit, cursor, *filters)
            form = {"q": query or "", "language": language or "", "source": source or "", "since": since or ""}
            form["until"] = until or ""
            return site.render(
                "search.html",
                page="search",
                data=data,
                form=form,
                choices=choices,
                more=_more(request, data["next"]) if data else None,
                feed_query=urlencode({"q": query}) if query else "",
            )

        return await site.respond(request, "html", build)

    return router


def _target(site: Site, lang: str | None) -> str | None:
    """The language the reader asked for: a code, 'original' (None), or by default the first reader language."""
    if lang == "original":
        return None
    return language(lang, "lang") or site.reader_languages[0]


def _more(request: Request, cursor: str | None) -> str | None:
    """The link to the next page of a listing, or None."""
    if cursor is None:
        return None
    params = dict(request.query_params)
    params["cursor"] = cursor
    return f"{request.url.path}?{urlencode(params)}"
