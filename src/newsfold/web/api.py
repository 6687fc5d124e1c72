"""The JSON API: the twin of every page under /api/, cursor-paginated, documented at /docs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsfold.store.base import Connection
from newsfold.web import queries, views
from newsfold.web.errors import BadRequestError
from newsfold.web.page_value import render
from newsfold.web.params import check_limit, parse_day, search_filters, text
from newsfold.web.reader import api_language
from newsfold.web.site import Body, Site, aggregate_stamp
from newsfold.web.story_page import stored_page

Lang = Annotated[
    str | None,
    Query(description="a reader language: titles, highlights and text added beside the originals as `*_translated`"),
]
_JSON: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}},
    400: {"description": "A malformed parameter"},
    404: {"description": "No such item"},
}


def api_router(site: Site) -> APIRouter:  # noqa: PLR0915  the router factory: one nested route function per endpoint
    """The router of every JSON endpoint."""
    router = APIRouter(prefix="/api", tags=["api"])

    @router.get("/stories", responses=_JSON)
    async def api_latest(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Latest news stories (the `stories --json` shape, each with its `kind`), newest update first.

        Press releases are not listed here but at /api/press; `next` is the cursor of the next page.
        """
        check_limit(limit)
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return site.json(
                views.in_language(conn, "latest", views.latest_view(conn, limit, cursor), site.translator, target)
            )

        return await site.respond(request, "json", build, language=target)

    @router.get("/press", responses=_JSON)
    async def api_press(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Press releases (the `stories --json` shape, `kind` "press_release"), apart from the news listings."""
        check_limit(limit)
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return site.json(
                views.in_language(conn, "press", views.press_view(conn, limit, cursor), site.translator, target)
            )

        return await site.respond(request, "json", build, language=target)

    @router.get("/stories/{story_id}", responses=_JSON)
    async def api_story(request: Request, story_id: str, lang: Lang = None) -> Response:
        """One story, exactly as `newsfold story ID --json` prints it (with `lang`: translations added beside)."""
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            story, members = queries.story_detail(conn, story_id)
            document = queries.story_document(story, members)
            return site.json(views.in_language(conn, "story_document", document, site.translator, target))

        def stored(conn: Connection) -> Body | None:
            """The JSON twin the story hook stored with the page, while its stamp holds."""
            return stored_page(site, conn, story_id, html=False)

        return await site.respond(
            request,
            "json",
            build,
            language=target,
            stamp_of=lambda conn: queries.story_stamp(conn, story_id),
            stored=stored if target is None else None,
        )

    @router.get("/stories/{story_id}/differences", responses=_JSON)
    async def api_differences(request: Request, story_id: str, lang: Lang = None) -> Response:
        """The differences between the story's copies: aligned sentences with the differing words.

        With `lang`, both sides of each differing row are added in that language (`a_translated`, `b_translated`).
        """
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.differences_view(conn, story_id)
            return site.json(views.in_language(conn, "differences", data, site.translator, target))

        return await site.respond(request, "json", build, language=target)

    @router.get("/stories/{story_id}/related", responses=_JSON)
    async def api_related(request: Request, story_id: str, lang: Lang = None) -> Response:
        """Related stories ("You may like") and the story's timeline of articles."""
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.related_view(conn, story_id, site.terms)
            return site.json(views.in_language(conn, "related", data, site.translator, target))

        return await site.respond(request, "json", build, language=target)

    @router.get("/articles/{article_id}", responses=_JSON)
    async def api_article(request: Request, article_id: str, lang: Lang = None) -> Response:
        """One article: cleaned text, paragraphs, metadata; `lang` renders it for a reader language."""
        target = api_language(lang)
        return await site.respond(
            request,
            "json",
            lambda conn: site.json(views.article_view(conn, site.translator, article_id, target)),
            stamp_of=lambda conn: queries.article_stamp(conn, article_id),
            language=target,
        )

    @router.get("/trending", responses=_JSON)
    async def api_trending(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Stories by growth in outlets and languages over the last 24 hours."""
        check_limit(limit)
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.trending_view(conn, limit, cursor)
            return site.json(views.in_language(conn, "trending", data, site.translator, target))

        return await site.respond(request, "json", build, stamp_of=aggregate_stamp, language=target)

    @router.get("/days", responses=_JSON)
    async def api_days(request: Request) -> Response:
        """Every day (UTC) with news, newest first, with its number of stories and articles; and as a calendar."""
        return await site.respond(
            request, "json", lambda conn: render(site, request, views.days_view(conn), "json"), stamp_of=aggregate_stamp
        )

    @router.get("/days/{day}", responses=_JSON)
    async def api_day(
        request: Request, day: str, limit: int = 50, cursor: str | None = None, lang: Lang = None
    ) -> Response:
        """Every story with an article published on a day (YYYY-MM-DD), with the previous and next days."""
        check_limit(limit)
        when = parse_day(day)
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.day_view(conn, when, limit, cursor)
            return site.json(views.in_language(conn, "day", data, site.translator, target))

        return await site.respond(request, "json", build, language=target)

    @router.get("/sources", responses=_JSON)
    async def api_sources(request: Request) -> Response:
        """Every named outlet with its number of articles."""

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return render(site, request, views.sources_view(conn), "json")

        return await site.respond(request, "json", build, stamp_of=aggregate_stamp)

    @router.get("/sources/{name:path}", responses=_JSON)
    async def api_source(
        request: Request, name: str, limit: int = 30, cursor: str | None = None, lang: Lang = None
    ) -> Response:
        """One outlet: counts, languages and its latest items."""
        check_limit(limit)
        checked = text(name, "source name") or ""
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.source_view(conn, checked, limit, cursor)
            return site.json(views.in_language(conn, "source", data, site.translator, target))

        return await site.respond(request, "json", build, language=target)

    @router.get("/search", responses=_JSON)
    async def api_search(  # noqa: PLR0913  FastAPI route: its parameters are the query string's
        request: Request,
        q: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
        lang: Lang = None,
    ) -> Response:
        """Full-text search (every word required); snippets mark matches between [[ and ]]."""
        check_limit(limit)
        query = text(q, "q")
        if not query:
            raise BadRequestError("q: a search needs some words")
        filters = search_filters(language, source, since, until)
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.search_view(conn, query, limit, cursor, filters)
            return site.json(views.in_language(conn, "search", data, site.translator, target))

        return await site.respond(request, "json", build, language=target)

    return router
