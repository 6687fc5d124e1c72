"""One way to answer a page: a typed page value (a frozen dataclass) rendered to its HTML template or its JSON twin.

A page value names its template and its family (the header's current tab), and translates itself into the
reader's language (`in_language`, returning a new value with its `reader` summary). Its JSON twin is its fields,
nested dataclasses as objects, the `reader` summary left out when the page was not translated; a page value whose
twin has a shape of its own (the story's: the `newsfold story ID --json` document) gives a `to_json` method.
The template sees the page value as `data`, the link to the twin as `twin` and the next page's link as `more`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import Field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self
from urllib.parse import quote, urlencode

from newsfold.web.reader import reader_context

if TYPE_CHECKING:
    from fastapi import Request

    from newsfold.language.reader import ReaderTranslator
    from newsfold.store.base import Connection
    from newsfold.web.site import Body, Site

API_PREFIX = "/api"


class Twin(Protocol):
    """What has a JSON twin: a frozen dataclass that translates itself into the reader's language."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> Self:
        """The value with its texts also in the reader's language (itself when target is None)."""
        ...


class PageValue(Twin, Protocol):
    """A page's content: a Twin naming its HTML template and its page family (the header's current tab)."""

    template: ClassVar[str]
    family: ClassVar[str]


def plain(value: object) -> object:
    """A value as JSON-ready data: dataclasses as objects (field order), lists walked, anything else as it is."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def to_json(page: Twin) -> dict[str, object]:
    """The JSON twin's value: the page's own to_json, else its fields (no `reader` when it was not translated)."""
    own = getattr(page, "to_json", None)
    if callable(own):
        data: dict[str, object] = own()
        return data
    data = {f.name: plain(getattr(page, f.name)) for f in fields(page)}
    if "reader" in data and data["reader"] is None:
        del data["reader"]
    return data


def twin_url(path: str) -> str:
    """The JSON twin of a page's path: `/x` -> `/api/x`."""
    if not path.startswith("/") or path.startswith(f"{API_PREFIX}/"):
        raise ValueError(f"path {path[:80]!r}: not a page's path")
    return f"{API_PREFIX}{path}"


def twin_href(path: str, query: str = "") -> str:
    """The link to the JSON twin of the page at path (decoded, as a request gives it), with the page's query."""
    # an outlet's name may hold spaces: the link quotes the path again
    twin = quote(twin_url(path), safe="/:@!$&'()*+,;=~")
    return f"{twin}?{query}" if query else twin


def twin_link(request: Request, path: str | None = None) -> str:
    """The link to a page's JSON twin: its path (this request's unless given) by the rule, with the query kept."""
    return twin_href(path or request.url.path, request.url.query)


def more_link(request: Request, cursor: str | None) -> str | None:
    """The link to the next page of a listing (this request with the cursor set), or None at the end."""
    if cursor is None:
        return None
    params = dict(request.query_params)
    params["cursor"] = cursor
    return f"{request.url.path}?{urlencode(params)}"


def render(  # noqa: PLR0913  the page, how to answer it, and what only its HTML template needs
    site: Site,
    request: Request,
    page: PageValue,
    kind: str,
    language: str | None = None,
    twin_path: str | None = None,
    context: Mapping[str, object] | None = None,
) -> Body:
    """The page value as its HTML page (kind "html") or as its JSON twin (kind "json").

    context is what the HTML template needs beside the page value (the search form's choices, ...); twin_path is
    the page's own path where the request's is another name for it (a merged story's old id).
    """
    if kind == "json":
        return site.json(to_json(page))
    if kind != "html":
        raise ValueError(f"kind {kind!r}: not html or json")
    more = more_link(request, getattr(page, "next", None))
    reader = reader_context(request, site.offered_languages, language)
    return page_html(site, page, reader, twin_link(request, twin_path), more, context)


def page_html(  # noqa: PLR0913  the page and everything its template shows beside it
    site: Site,
    page: PageValue,
    reader: Mapping[str, object],
    twin: str,
    more: str | None = None,
    context: Mapping[str, object] | None = None,
) -> Body:
    """The page value by its template, with the header's language form (reader) and the twin's and next page's links."""
    values: dict[str, Any] = {"reader": reader, "page": page.family, "data": page, "twin": twin, "more": more}
    values.update(context or {})
    return site.render(page.template, **values)
