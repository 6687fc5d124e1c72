"""Errors of the site in one place: 400, 404 and 410 (never a 500 for bad input), as HTML or as JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfold.errors import GoneError, NewsfoldError, NotFoundError

log = logging.getLogger(__name__)

HtmlErrorRenderer = Callable[[Request, int, str], Response]

_TITLES = {400: "Bad request", 401: "Unauthorized", 404: "Not found", 405: "Method not allowed", 410: "Gone"}


class BadRequestError(NewsfoldError):
    """A request parameter is malformed or out of range (answered with 400)."""


def wants_json(request: Request) -> bool:
    """Whether the request is for the JSON API (or a JSON feed) rather than a page."""
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def error_body(status: int, message: str) -> dict[str, dict[str, int | str]]:
    """The one JSON shape of every error."""
    return {"error": {"status": status, "title": _TITLES.get(status, "Error"), "message": message}}


def install_error_handlers(app: FastAPI, render_html: HtmlErrorRenderer) -> None:
    """Answer domain, HTTP and validation errors in the shape the request asked for."""

    def respond(request: Request, status: int, message: str) -> Response:
        """One error response, JSON or HTML."""
        if wants_json(request):
            return JSONResponse(error_body(status, message), status_code=status)
        return render_html(request, status, message)

    async def bad_request(request: Request, exc: Exception) -> Response:
        """A malformed parameter: 400."""
        return respond(request, 400, str(exc))

    async def not_found(request: Request, exc: Exception) -> Response:
        """An unknown item: 404 (410 for one that was removed)."""
        return respond(request, 410 if isinstance(exc, GoneError) else 404, str(exc))

    async def invalid(request: Request, exc: Exception) -> Response:
        """Parameters FastAPI could not convert: 400 naming each."""
        assert isinstance(exc, RequestValidationError)
        problems = []
        for item in exc.errors():
            where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("query", "path"))
            problems.append(f"{where}: {item.get('msg', 'invalid')}")
        return respond(request, 400, "; ".join(problems) or "invalid request")

    async def http_error(request: Request, exc: Exception) -> Response:
        """Starlette's own errors (unknown route, wrong method) in our shape."""
        assert isinstance(exc, StarletteHTTPException)
        message = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path[:200]}: no such page"
        response = respond(request, exc.status_code, message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    app.add_exception_handler(BadRequestError, bad_request)
    app.add_exception_handler(NotFoundError, not_found)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
