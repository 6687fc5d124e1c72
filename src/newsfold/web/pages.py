"""The HTML pages: each renders the value its /api/ twin returns."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.web import queries, views
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

    return router
