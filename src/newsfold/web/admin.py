"""The sources page (with its JSON twin) and the authenticated admin takedown endpoint."""

# No `from __future__ import annotations` here: FastAPI must see the dependencies in the annotations of the
# nested route functions as objects, not as strings naming variables local to admin_router.

import hmac
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from newsfold.engine import resume_hooks
from newsfold.errors import InputError
from newsfold.ingest import takedowns
from newsfold.pipeline import StoryHook
from newsfold.store import sources as sources_db
from newsfold.store import takedowns as takedowns_db
from newsfold.store.base import Connection
from newsfold.web.site import Body, Site


class TakedownRequest(BaseModel):
    """A takedown asked through the admin endpoint: a URL or a source name, and a reason."""

    url: str | None = None
    source: str | None = None
    reason: str = ""


def _source_json(source: sources_db.Source) -> dict[str, Any]:
    """A source and its health as JSON (conditional-GET state left out)."""
    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "kind": source.kind,
        "language": source.language,
        "category": source.category,
        "interval": source.interval,
        "health": source.health,
        "last_success": source.last_success,
        "last_error": source.last_error,
        "last_error_at": source.last_error_at,
        "failures": source.failures,
        "items_new": source.items_new,
    }


def admin_router(site: Site, story_hooks: Callable[[], Sequence[StoryHook]] | None = None) -> APIRouter:
    """Routes for the sources page, its JSON twin, and the admin takedown endpoint (bearer token); a takedown runs
    the story hooks story_hooks makes over the stories it changed (without them, the next ingest does)."""
    router = APIRouter()
    db, config = site.db, site.config
    bearer = HTTPBearer(auto_error=False)

    def sources() -> list[dict[str, Any]]:
        """Every source as JSON."""
        with db.read() as conn:
            return [_source_json(s) for s in sources_db.list_sources(conn)]

    def require_admin(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> str:
        """The admin's name when the bearer token matches admin.token; 404 when admin is off, else 401."""
        token = str(config["admin.token"] or "")
        if not token:
            raise HTTPException(status_code=404, detail="admin endpoints are off (no admin.token set)")
        given = credentials.credentials if credentials else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(status_code=401, detail="a valid admin bearer token is required")
        return "admin"

    @router.get("/feeds", response_class=HTMLResponse)
    async def feeds_page(request: Request) -> Response:
        """The registered sources (feeds, sitemaps, pages) and their health, in the site's page frame."""
        target = site.page_language(request)

        def build(conn: Connection) -> Body:
            """Build the response from the store."""
            found = [_source_json(s) for s in sources_db.list_sources(conn)]
            return site.render_page(request, "feeds.html", target, page="feeds", sources=found)

        return await site.respond(request, "html", build, language=target)

    @router.get("/api/feeds")
    def api_feeds() -> dict[str, Any]:
        """The feeds page's JSON twin."""
        return {"sources": sources()}

    @router.post("/api/admin/takedowns")
    def take_down(body: TakedownRequest, actor: Annotated[str, Depends(require_admin)]) -> dict[str, Any]:
        """Remove a URL's or a source's items and block them from returning; logged with time and reason."""
        if bool(body.url) == bool(body.source):
            raise HTTPException(status_code=400, detail="give either url or source")
        try:
            with db.write() as conn:
                if body.url:
                    done = takedowns.take_down_url(conn, body.url, body.reason, actor=actor)
                else:
                    done = takedowns.take_down_source(conn, str(body.source), body.reason, actor=actor)
        except InputError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        if story_hooks is not None:  # the stories it changed: derived parts recomputed from what remains
            resume_hooks(db, story_hooks())
        return asdict(done)

    @router.get("/api/admin/takedowns")
    def list_takedowns(actor: Annotated[str, Depends(require_admin)]) -> dict[str, Any]:
        """The takedown log."""
        with db.read() as conn:
            return {"takedowns": [asdict(t) for t in takedowns_db.list_takedowns(conn)]}

    return router
