"""Entity pages: /entities/{id} (HTML) and its JSON twin /api/entities/{id}, the stories naming it over time."""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.enrich.store import entity_page
from newsfold.errors import NotFoundError
from newsfold.serialize import entity_json
from newsfold.web import views
from newsfold.web.reader import api_language
from newsfold.web.site import Body, Site


def page_json(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any]:
    """An entity and the stories that name it; NotFoundError if unknown."""
    page = entity_page(conn, entity_id)
    if page is None:
        raise NotFoundError(f"entity {entity_id} not found")
    return {
        **entity_json(page.entity),
        "first_seen": page.first_seen,
        "last_seen": page.last_seen,
        "stories": page.stories,
    }


def entities_router(site: Site) -> APIRouter:
    """The routes of entity pages over the site's database."""
    router = APIRouter()

    @router.get("/entities/{entity_id}", include_in_schema=False)
    async def entity_html(request: Request, entity_id: str) -> Response:
        """The entity page, its story titles in the reader's language."""
        target = site.page_language(request)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(conn, "entity", page_json(conn, entity_id), site.translator, target)
            return site.render_page(request, "entity.html", target, page="entity", entity=data)

        return await site.respond(request, "html", build, language=target)

    @router.get("/api/entities/{entity_id}", tags=["api"])
    async def entity_api(request: Request, entity_id: str, lang: str | None = None) -> Response:
        """The entity page's JSON twin; `lang` adds the story titles in a reader language."""
        target = api_language(lang)

        def build(conn: sqlite3.Connection) -> Body:
            """Build the response from the store."""
            return site.json(views.in_language(conn, "entity", page_json(conn, entity_id), site.translator, target))

        return await site.respond(request, "json", build, language=target)

    return router
