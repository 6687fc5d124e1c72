"""One way to answer a page: a typed page value (a frozen dataclass) rendered to its HTML template or its JSON twin."""

from __future__ import annotations

from dataclasses import Field, asdict
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from fastapi import Request

    from newsfold.web.site import Body, Site

API_PREFIX = "/api"


class PageValue(Protocol):
    """A page's content: a frozen dataclass naming its template and its page family (the header's current tab)."""

    template: ClassVar[str]
    family: ClassVar[str]
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


def to_json(page: PageValue) -> dict[str, object]:
    """The JSON twin's value: the page value's fields, nested dataclasses as objects."""
    return asdict(page)


def twin_url(path: str) -> str:
    """The JSON twin of a page's path: `/x` -> `/api/x`."""
    if not path.startswith("/") or path.startswith(f"{API_PREFIX}/"):
        raise ValueError(f"path {path[:80]!r}: not a page's path")
    return f"{API_PREFIX}{path}"


def render(site: Site, request: Request, page: PageValue, kind: str, language: str | None = None) -> Body:
    """The page value as its HTML page (kind "html") or as its JSON twin (kind "json")."""
    if kind == "json":
        return site.json(to_json(page))
    if kind != "html":
        raise ValueError(f"kind {kind!r}: not html or json")
    twin = twin_url(request.url.path)
    return site.render_page(request, page.template, language, page=page.family, data=page, twin=twin)
