"""The HTML pages: each renders the value its /api/ twin returns."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.web import queries, views
from newsfold.web.page_value import render
from newsfold.web.params import check_limit, parse_day, search_filters, text
from newsfold.web.reader import reader_context
from newsfold.web.site import Body, Site, Stored, aggregate_stamp
from newsfold.web.story_page import live_story_page, stored_page, story_reader


def pages_router(site: Site) -> APIRouter:  # noqa: PLR0915  the router factory: one nested route function per page
    """The router of every HTML page."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def latest_page(request: Request, limit: int = 30, cursor: str | None = None) -> Response:
        """Latest: stories by their last update."""
        check_limit(limit)
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(conn, "latest", views.latest_view(conn, limit, cursor), site.translator, target)
            more = _more(request, data["next"])
            return site.render_page(request, "latest.html", target, page="latest", data=data, more=more)

        return await site.respond(request, "html", build, language=target)

    @router.get("/press")
    async def press_page(request: Request, limit: int = 30, cursor: str | None = None) -> Response:
        """Press releases, listed apart from the news."""
        check_limit(limit)
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(conn, "press", views.press_view(conn, limit, cursor), site.translator, target)
            more = _more(request, data["next"])
            return site.render_page(request, "press.html", target, page="press", data=data, more=more)

        return await site.respond(request, "html", build, language=target)

    @router.get("/stories/{story_id}")
    async def story_page(request: Request, story_id: str) -> Response:
        """One story: every member, the differences between copies, a timeline, related stories."""
        target = site.page_language(request)
        reader = reader_context(request, site.offered_languages, target)
        stored: Stored | None = None
        if target == site.default_language and reader == story_reader(site, story_id, target):
            # the page as the story hook rendered it ahead (when still current): no build at all

            def stored(conn: Connection) -> Body | None:
                """The stored page while its stamp holds."""
                return stored_page(site, conn, story_id, html=True)

        return await site.respond(
            request,
            "html",
            lambda conn: live_story_page(site, conn, story_id, target, reader),
            stamp_of=lambda conn: queries.story_stamp(conn, story_id),
            language=target,
            stored=stored,
        )

    @router.get("/articles/{article_id}")
    async def article_page(request: Request, article_id: str) -> Response:
        """The reader view of one article."""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.article_view(conn, site.translator, article_id, target)
            story = stories_db.get_story(conn, data["story_id"]) if data["story_id"] else None
            return site.render_page(
                request,
                "article.html",
                target,
                page="article",
                data=data,
                story=story,
                target=target,
                languages=site.offered_languages,
            )

        return await site.respond(
            request, "html", build, stamp_of=lambda conn: queries.article_stamp(conn, article_id), language=target
        )

    @router.get("/trending")
    async def trending_page(request: Request, limit: int = 30, cursor: str | None = None) -> Response:
        """Trends 24h."""
        check_limit(limit)
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(
                conn, "trending", views.trending_view(conn, limit, cursor), site.translator, target
            )
            more = _more(request, data["next"])
            return site.render_page(request, "trending.html", target, page="trending", data=data, more=more)

        return await site.respond(request, "html", build, stamp_of=aggregate_stamp, language=target)

    @router.get("/days")
    async def days_page(request: Request) -> Response:
        """The day archive: a calendar of the days with news."""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return render(site, request, views.days_view(conn), "html", target)

        return await site.respond(request, "html", build, stamp_of=aggregate_stamp, language=target)

    @router.get("/day/{day}")
    async def day_page(request: Request, day: str, limit: int = 50, cursor: str | None = None) -> Response:
        """Every story of one day."""
        check_limit(limit)
        when = parse_day(day)
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(conn, "day", views.day_view(conn, when, limit, cursor), site.translator, target)
            more = _more(request, data["next"])
            return site.render_page(request, "day.html", target, page="day", data=data, more=more)

        return await site.respond(request, "html", build, language=target)

    @router.get("/sources")
    async def sources_page(request: Request) -> Response:
        """The outlets."""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return render(site, request, views.sources_view(conn), "html", target)

        return await site.respond(request, "html", build, stamp_of=aggregate_stamp, language=target)

    @router.get("/sources/{name:path}")
    async def source_page(request: Request, name: str, limit: int = 30, cursor: str | None = None) -> Response:
        """One outlet and its latest items."""
        check_limit(limit)
        checked = text(name, "source name") or ""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.source_view(conn, checked, limit, cursor)
            data = views.in_language(conn, "source", data, site.translator, target)
            more = _more(request, data["next"])
            return site.render_page(request, "source.html", target, page="sources", data=data, more=more)

        return await site.respond(request, "html", build, language=target)

    @router.get("/search")
    async def search_page(  # noqa: PLR0913  FastAPI route: its parameters are the query string's
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
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            choices = queries.languages_and_sources(conn)
            data = None
            if query:
                data = views.search_view(conn, query, limit, cursor, filters)
                data = views.in_language(conn, "search", data, site.translator, target)
            form = {"q": query or "", "language": language or "", "source": source or "", "since": since or ""}
            form["until"] = until or ""
            return site.render_page(
                request,
                "search.html",
                target,
                page="search",
                data=data,
                form=form,
                choices=choices,
                more=_more(request, data["next"]) if data else None,
                feed_query=urlencode({"q": query}) if query else "",
            )

        return await site.respond(request, "html", build, language=target)

    return router


def _more(request: Request, cursor: str | None) -> str | None:
    """The link to the next page of a listing, or None."""
    if cursor is None:
        return None
    params = dict(request.query_params)
    params["cursor"] = cursor
    return f"{request.url.path}?{urlencode(params)}"
