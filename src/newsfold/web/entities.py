"""Entity pages: /entities/{id} (HTML) and its JSON twin /api/entities/{id}, the stories naming it over time."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.errors import NotFoundError
from newsfold.serialize import entity_json
from newsfold.store.base import Connection
from newsfold.store.enrichment import entity_index, entity_page
from newsfold.web import views
from newsfold.web.cursor import next_offset, offset_from
from newsfold.web.errors import BadRequestError
from newsfold.web.params import check_limit, text
from newsfold.web.reader import api_language
from newsfold.web.site import Body, Site


def page_json(conn: Connection, entity_id: str) -> dict[str, Any]:
    """An entity and the stories that name it; NotFoundError if unknown."""
    page = entity_page(conn, entity_id)
    if page is None:
        raise NotFoundError(f"entity {entity_id} not found")
    return {
        **entity_json(page.entity),
        "first_seen": page.first_seen,
        "last_seen": page.last_seen,
        "stories": [asdict(story) for story in page.stories],
    }


ENTITY_KINDS = ("person", "organization", "place", "other")


def index_json(conn: Connection, q: str | None, kind: str | None, limit: int, cursor: str | None) -> dict[str, Any]:
    """The entity index: entities by the number of stories naming them, or those a name search finds."""
    offset = offset_from(cursor)
    found, total = entity_index(conn, q, kind, limit, offset)
    return {
        "query": q,
        "kind": kind,
        "total": total,
        "entities": [asdict(entry) for entry in found],
        "next": next_offset(offset, limit, len(found)),
    }


def _index_params(q: str | None, kind: str | None, limit: int) -> tuple[str | None, str | None]:
    """The index's checked parameters, or BadRequestError naming the wrong one."""
    check_limit(limit)
    if kind and kind not in ENTITY_KINDS:
        raise BadRequestError(f"kind: {kind[:20]!r} is not one of {', '.join(ENTITY_KINDS)}")
    return text(q, "q"), kind or None


def entities_router(site: Site) -> APIRouter:
    """The routes of entity pages over the site's database."""
    router = APIRouter()

    @router.get("/entities", include_in_schema=False)
    async def entities_html(
        request: Request, q: str | None = None, kind: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> Response:
        """The entity index: people, organisations and places, searchable by name."""
        query, checked = _index_params(q, kind, limit)
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = index_json(conn, query, checked, limit, cursor)
            more = None
            if data["next"]:
                params = {k: v for k, v in request.query_params.items() if k != "cursor"}
                more = "/entities?" + urlencode({**params, "cursor": data["next"]})
            return site.render_page(
                request, "entities.html", target, page="entities", data=data, kinds=ENTITY_KINDS, more=more
            )

        return await site.respond(request, "html", build, language=target)

    @router.get("/api/entities", tags=["api"])
    async def entities_api(
        request: Request, q: str | None = None, kind: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> Response:
        """The entity index's JSON twin: `q` finds entities by name, spelling or transliteration; `kind` filters."""
        query, checked = _index_params(q, kind, limit)
        return await site.respond(
            request, "json", lambda conn: site.json(index_json(conn, query, checked, limit, cursor))
        )

    @router.get("/entities/{entity_id}", include_in_schema=False)
    async def entity_html(request: Request, entity_id: str) -> Response:
        """The entity page, its story titles in the reader's language."""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            data = views.in_language(conn, "entity", page_json(conn, entity_id), site.translator, target)
            return site.render_page(request, "entity.html", target, page="entity", entity=data)

        return await site.respond(request, "html", build, language=target)

    @router.get("/api/entities/{entity_id}", tags=["api"])
    async def entity_api(request: Request, entity_id: str, lang: str | None = None) -> Response:
        """The entity page's JSON twin; `lang` adds the story titles in a reader language."""
        target = api_language(lang)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            return site.json(views.in_language(conn, "entity", page_json(conn, entity_id), site.translator, target))

        return await site.respond(request, "json", build, language=target)

    return router
