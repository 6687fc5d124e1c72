"""The FastAPI application: server-rendered pages, each with a JSON twin under /api/."""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsfold.config import load_config
from newsfold.hooks import decorate_story
from newsfold.serialize import story_json
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from newsfold.web.admin import admin_router
from newsfold.web.entities import entities_router


def create_app(db: Database) -> FastAPI:
    """Build the app over one database."""
    app = FastAPI(title="newsfold", version="0.1.0")
    templates = Jinja2Templates(directory=str(resources.files("newsfold.web") / "templates"))
    app.include_router(entities_router(db))

    def latest(limit: int) -> list[dict[str, Any]]:
        with db.read() as conn:
            stories = stories_db.latest_stories(conn, limit)
            out = []
            for story in stories:
                members = articles_db.get_articles(conn, [m.article_id for m in story.members])
                decorate_story(conn, story)
                out.append(story_json(story, {a.id: a for a in members}))
        return out

    def one(story_id: str) -> dict[str, Any]:
        with db.read() as conn:
            story = stories_db.get_story(conn, story_id)
            if story is None:
                raise HTTPException(status_code=404, detail=f"story {story_id} not found")
            members = articles_db.get_articles(conn, [m.article_id for m in story.members])
            decorate_story(conn, story)
        return story_json(story, {a.id: a for a in members})

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "latest.html", {"stories": latest(50)})

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        return templates.TemplateResponse(request, "story.html", {"story": one(story_id)})

    @app.get("/api/stories")
    def api_stories(limit: int = 50) -> dict[str, Any]:
        return {"stories": latest(max(1, min(limit, 200)))}

    @app.get("/api/stories/{story_id}")
    def api_story(story_id: str) -> dict[str, Any]:
        return one(story_id)

    app.include_router(admin_router(db, load_config()))
    return app
