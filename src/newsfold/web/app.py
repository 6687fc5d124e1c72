"""The FastAPI application: server-rendered pages, each with a JSON twin under /api/, and feeds."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from newsfold.config import Config, load_config
from newsfold.language.reader import reader_translator
from newsfold.pipeline import StoryHook
from newsfold.store.base import Backend
from newsfold.web.account_pages import account_router
from newsfold.web.admin import admin_router
from newsfold.web.auth import Accounts, AccountSettings, LoginRequiredError
from newsfold.web.csrf import check_csrf
from newsfold.web.docs import install_docs
from newsfold.web.errors import error_body, install_error_handlers, wants_json
from newsfold.web.feed_routes import feeds_router
from newsfold.web.fever import fever_router
from newsfold.web.greader import greader_router
from newsfold.web.personal import AccountsMiddleware
from newsfold.web.reader import language_router
from newsfold.web.reading_pages import reading_router
from newsfold.web.routes.article import article_router
from newsfold.web.routes.days import days_router
from newsfold.web.routes.entities import entities_router
from newsfold.web.routes.listings import listings_router
from newsfold.web.routes.search import search_router
from newsfold.web.routes.sources import sources_router
from newsfold.web.security import SecurityHeaders
from newsfold.web.site import Site
from newsfold.web.story.routes import story_router

log = logging.getLogger(__name__)


def create_app(
    db: Backend, config: Config | None = None, story_hooks: Callable[[], Sequence[StoryHook]] | None = None
) -> FastAPI:
    """Build the site over one database (settings from the usual places when none are given); an admin takedown
    runs the story hooks story_hooks makes (the command line gives newsfold.hooks.story_hooks)."""
    config = config or load_config()
    site = Site(db, config, reader_translator(db, config))
    accounts = Accounts(db, AccountSettings.from_config(config))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Release the site's own connection when the server stops."""
        yield
        site.close()

    app = FastAPI(
        lifespan=lifespan,
        title="newsfold",
        version="0.1.0",
        description="Stories folded from every outlet and language: the JSON twin of every page of the site.",
        docs_url=None,
        redoc_url=None,
        # every unsafe request a cross-site form could send carries this reader's CSRF token (web/csrf.py)
        dependencies=[Depends(check_csrf)],
    )
    app.state.site = site
    app.state.accounts = accounts

    def error_page(request: Request, status: int, message: str) -> Response:
        """An error as an HTML page."""
        return site.render("error.html", status=status, code=status, message=message, page="error").response()

    async def login_required(request: Request, exc: Exception) -> Response:
        """A page or endpoint for signed-in users only: 401 for the API, the login page for pages."""
        if wants_json(request):
            return JSONResponse(error_body(401, f"{request.url.path[:200]}: {exc}"), status_code=401)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)

    install_error_handlers(app, error_page)
    app.add_exception_handler(LoginRequiredError, login_required)
    app.add_middleware(AccountsMiddleware, accounts=accounts)
    app.add_middleware(SecurityHeaders)
    static = resources.files("newsfold.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    install_docs(app, site)
    app.include_router(language_router(site.reader_languages))
    # the page families: each page and its JSON twin (/x and /api/x) from one endpoint
    families = (listings_router, days_router, sources_router, search_router, entities_router, article_router)
    for family in (*families, story_router):
        app.include_router(family(site))
    app.include_router(feeds_router(site))
    # Routers of other stages go here, one line each (admin from sources).
    app.include_router(admin_router(site, story_hooks))
    app.include_router(account_router(site, accounts))
    app.include_router(greader_router(site, accounts.limiter))
    app.include_router(fever_router(site, accounts.limiter))
    app.include_router(reading_router(site))

    return app
