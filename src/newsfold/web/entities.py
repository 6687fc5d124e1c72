"""Entity pages: /entities/{id} (HTML) and its JSON twin /api/entities/{id}, the stories naming it over time."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsfold.enrich.store import entity_page
from newsfold.serialize import entity_json
from newsfold.store.db import Database


def entities_router(db: Database) -> APIRouter:
    """The routes of entity pages over one database."""
    router = APIRouter()
    templates = Jinja2Templates(directory=str(resources.files("newsfold.web") / "templates"))

    def page_json(entity_id: str) -> dict[str, Any]:
        """An entity and the stories that name it, or 404."""
        with db.read() as conn:
            page = entity_page(conn, entity_id)
        if page is None:
            raise HTTPException(status_code=404, detail=f"entity {entity_id} not found")
        return {
            **entity_json(page.entity),
            "first_seen": page.first_seen,
            "last_seen": page.last_seen,
            "stories": page.stories,
        }

    @router.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity_html(request: Request, entity_id: str) -> HTMLResponse:
        """The entity page."""
        return templates.TemplateResponse(request, "entity.html", {"entity": page_json(entity_id)})

    @router.get("/api/entities/{entity_id}")
    def entity_api(entity_id: str) -> dict[str, Any]:
        """The entity page's JSON twin."""
        return page_json(entity_id)

    return router
