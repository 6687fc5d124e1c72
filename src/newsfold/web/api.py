"""The JSON API: the twin of every page under /api/, cursor-paginated, documented at /docs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsfold.store.base import Connection
from newsfold.web import queries, views
from newsfold.web.reader import api_language
from newsfold.web.site import Body, Site
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


def api_router(site: Site) -> APIRouter:
    """The router of every JSON endpoint."""
    router = APIRouter(prefix="/api", tags=["api"])

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

    return router
