"""The reader's language: chosen in the header form, remembered in a cookie, overridden by ?lang= on any page."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from newsfold.language.reader import ModelReader, ReaderTranslator
from newsfold.web.errors import BadRequestError
from newsfold.web.params import language

COOKIE = "newsfold_lang"
ORIGINAL = "original"
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_FORM = 4096


def _asked(value: str) -> str | None:
    """A ?lang= value: 'original' (None) or a checked language code."""
    return None if value == ORIGINAL else language(value, "lang")


def page_language(request: Request, choices: list[str]) -> str | None:
    """The language a page is shown in: ?lang=, else the cookie, else the first reader language (None: original)."""
    asked = request.query_params.get("lang")
    if asked:
        return _asked(asked)
    remembered = request.cookies.get(COOKIE)
    if remembered == ORIGINAL:
        return None
    if remembered in choices:
        return remembered
    return choices[0] if choices else None


def api_language(asked: str | None) -> str | None:
    """The language a JSON twin adds translations in: ?lang= only (no cookie), None for none or 'original'."""
    return _asked(asked) if asked else None


def offered_languages(translator: ReaderTranslator, choices: list[str]) -> list[str]:
    """The reader languages a reader can actually get: those some installed translation model translates into."""
    if not isinstance(translator, ModelReader):
        return []
    targets = {target for info in translator.models.list() for target in info.targets}
    return [code for code in choices if code in targets]


def local_path(value: str | None) -> str:
    """A redirect target on this site (a path, never another host), else the home page."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def without_lang(request: Request) -> str:
    """The request's path and query with any lang parameter removed (where the header form returns to)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return request.url.path + (f"?{urlencode(params)}" if params else "")


def reader_context(request: Request, choices: list[str], target: str | None) -> dict[str, Any]:
    """What the header's language form shows: the choices, the current one and the page to return to."""
    return {"current": target or ORIGINAL, "languages": choices, "next": without_lang(request)}


def language_router(choices: list[str]) -> APIRouter:
    """The route of the header form: remember the chosen language in a cookie and go back to the page."""
    router = APIRouter(include_in_schema=False)

    @router.post("/language")
    async def choose_language(request: Request) -> Response:
        """Set the reader-language cookie (SameSite=Lax, first-party, no tracking) and go back to ?next=."""
        body = await request.body()
        if len(body) > MAX_FORM:
            raise BadRequestError("language form: too large")
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=8)
        chosen = (form.get("lang") or [""])[0]
        if chosen != ORIGINAL and chosen not in choices:
            raise BadRequestError(f"lang: {chosen[:20]!r} is not one of this site's reader languages")
        back = request.query_params.get("next") or (form.get("next") or ["/"])[0]
        response = RedirectResponse(local_path(back), status_code=303)
        response.set_cookie(
            COOKIE, chosen, max_age=COOKIE_MAX_AGE, path="/", samesite="lax", httponly=True, secure=False
        )
        return response

    return router
