"""Route groups, one module per page family: each page and its JSON twin answered by one endpoint.

`twins(router, "/x")` registers an endpoint for the page `/x` (HTML) and its twin `/api/x` (JSON, in the OpenAPI
schema), plus any older JSON URL kept answering (public: API users depend on them); `answer` builds the family's
page value, translates it for the reader and renders it as the request asked (web/page_value.render).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from newsfold.store.base import Connection
from newsfold.web.page_value import API_PREFIX, PageValue, render, twin_url
from newsfold.web.reader import api_language
from newsfold.web.site import Body, Site, StampOf

Endpoint = Callable[..., Awaitable[Response]]
View = Callable[[Connection], PageValue]
Context = Callable[[Connection, Any], dict[str, object]]
Lang = Annotated[
    str | None,
    Query(description="a reader language: titles, highlights and text added beside the originals as `*_translated`"),
]
JSON_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"application/json": {}}},
    400: {"description": "A malformed parameter"},
    404: {"description": "No such item"},
}


def twins(router: APIRouter, path: str, old: Sequence[str] = ()) -> Callable[[Endpoint], Endpoint]:
    """Register an endpoint for the page at path, its JSON twin (twin_url) and the older JSON URLs in old."""

    def register(endpoint: Endpoint) -> Endpoint:
        """The endpoint, registered at every URL of its page."""
        router.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        for url in (twin_url(path), *old):
            router.add_api_route(url, endpoint, methods=["GET"], tags=["api"], responses=JSON_RESPONSES)
        return endpoint

    return register


def kind_of(request: Request) -> str:
    """What a request to a twinned endpoint asks for: "json" under /api/, else "html"."""
    return "json" if request.url.path.startswith(f"{API_PREFIX}/") else "html"


def target_of(site: Site, request: Request, lang: str | None) -> str | None:
    """The reader's language: a page's (?lang=, the cookie, the default) or a twin's (?lang= only)."""
    return site.page_language(request) if kind_of(request) == "html" else api_language(lang)


async def answer(  # noqa: PLR0913  the request, the page's view, and how it is cached and what its template adds
    site: Site,
    request: Request,
    lang: str | None,
    view: View,
    stamp_of: StampOf | None = None,
    context: Context | None = None,
) -> Response:
    """The page value view builds, in the reader's language, as the page or its twin (cached by site.respond)."""
    kind = kind_of(request)
    target = target_of(site, request, lang)

    def build(conn: Connection) -> Body:
        """Build the response from the store."""
        page = view(conn).in_language(conn, site.translator, target)
        extra = context(conn, page) if context is not None and kind == "html" else None
        return render(site, request, page, kind, target, context=extra)

    return await site.respond(request, kind, build, stamp_of=stamp_of, language=target)
