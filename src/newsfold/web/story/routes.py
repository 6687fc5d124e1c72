"""The story's routes: its page and twin (/stories/{id}, /api/stories/{id}), answered from the page stored ahead
while current, and its two JSON parts (/api/stories/{id}/differences, /api/stories/{id}/related)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.store.base import Connection
from newsfold.web.page_value import Twin, render, to_json
from newsfold.web.reader import reader_context
from newsfold.web.routes import JSON_RESPONSES, Lang, kind_of, target_of, twins
from newsfold.web.site import Body, Site, Stored
from newsfold.web.story.stored import stored_page, story_reader
from newsfold.web.story.view import differences_view, related_view, story_stamp, story_view


def story_router(site: Site) -> APIRouter:
    """The routes of the story page, its twin and its parts."""
    router = APIRouter()

    @twins(router, "/stories/{story_id}")
    async def story(request: Request, story_id: str, lang: Lang = None) -> Response:
        """One story, exactly as `newsfold story ID --json` prints it (with `lang`: translations added beside).

        Its page adds every member, the differences between copies, a timeline and related stories.
        """
        kind = kind_of(request)
        target = target_of(site, request, lang)
        stored: Stored | None = None
        if kind == "json" and target is None:
            stored = partial(stored_page, site, story_id=story_id, html=False)  # the twin stored with the page
        elif kind == "html" and target == site.default_language:
            reader = reader_context(request, site.offered_languages, target)
            if reader == story_reader(site, story_id, target):
                # the page as the story hook rendered it ahead (when still current): no build at all
                stored = partial(stored_page, site, story_id=story_id, html=True)

        def build(conn: Connection) -> Body:
            """Build the page (its parts stored where current) or the twin (the document alone) now."""
            page = story_view(conn, story_id, site.terms, whole=kind == "html")
            page = page.in_language(conn, site.translator, target)
            return render(site, request, page, kind, target, twin_path=f"/stories/{page.story['id']}")

        return await site.respond(
            request, kind, build, stamp_of=partial(story_stamp, story_id=story_id), language=target, stored=stored
        )

    async def part(request: Request, lang: str | None, view: Callable[[Connection], Twin]) -> Response:
        """One of the story's JSON parts, in the reader's language (`lang`)."""
        target = target_of(site, request, lang)

        def build(conn: Connection) -> Body:
            """Build the part from the store."""
            return site.json(to_json(view(conn).in_language(conn, site.translator, target)))

        return await site.respond(request, "json", build, language=target)

    @router.get("/api/stories/{story_id}/differences", tags=["api"], responses=JSON_RESPONSES)
    async def differences(request: Request, story_id: str, lang: Lang = None) -> Response:
        """The differences between the story's copies: aligned sentences with the differing words.

        With `lang`, both sides of each differing row are added in that language (`a_translated`, `b_translated`).
        """
        return await part(request, lang, lambda conn: differences_view(conn, story_id))

    @router.get("/api/stories/{story_id}/related", tags=["api"], responses=JSON_RESPONSES)
    async def related(request: Request, story_id: str, lang: Lang = None) -> Response:
        """Related stories ("You may like") and the story's timeline of articles."""
        return await part(request, lang, lambda conn: related_view(conn, story_id, site.terms))

    return router
