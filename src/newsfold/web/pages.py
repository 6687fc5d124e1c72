"""The HTML pages: each renders the value its /api/ twin returns."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.store.base import Connection
from newsfold.web import queries
from newsfold.web.reader import reader_context
from newsfold.web.site import Body, Site, Stored
from newsfold.web.story_page import live_story_page, stored_page, story_reader


def pages_router(site: Site) -> APIRouter:
    """The router of every HTML page."""
    router = APIRouter(include_in_schema=False)

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

    return router
