"""Full-text search (/search) with its filters, and its JSON twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.language.reader import ReaderTranslator
from newsfold.store.base import Connection
from newsfold.store.search import SearchFilters
from newsfold.web import queries
from newsfold.web.cursor import offset_from
from newsfold.web.errors import BadRequestError
from newsfold.web.params import check_limit, search_filters, text
from newsfold.web.routes import Lang, answer, kind_of, twins
from newsfold.web.site import Site
from newsfold.web.translated import (
    PageTranslation,
    ReaderSummary,
    Shown,
    article_titles,
    search_snippets,
    translate_page,
)


@dataclass(frozen=True)
class SearchPage:
    """Articles matching every word of a query, best first, with the filters used (query None: the form alone)."""

    template: ClassVar[str] = "search.html"
    family: ClassVar[str] = "search"
    query: str | None
    filters: SearchFilters
    results: list[Shown]
    next: str | None
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> SearchPage:
        """The results with their titles and snippets also in the reader's language."""
        if self.query is None:
            return self

        def ask(page: PageTranslation) -> None:
            """Ask for what each result shows."""
            article_titles(page, self.results)
            search_snippets(page, self.results)

        return translate_page(self, translator, target, ask)


def search_view(conn: Connection, q: str | None, limit: int, cursor: str | None, filters: SearchFilters) -> SearchPage:
    """Search results with the filters used (none without a query)."""
    if q is None:
        return SearchPage(None, filters, [], None)
    listing = queries.search(conn, q, limit=limit, offset=offset_from(cursor), filters=filters)
    return SearchPage(q, filters, listing.items, listing.next)


def search_router(site: Site) -> APIRouter:
    """The route of the search page and its twin."""
    router = APIRouter()

    @twins(router, "/search")
    async def search(  # noqa: PLR0913  FastAPI route: its parameters are the query string's
        request: Request,
        q: str | None = None,
        language: str | None = None,
        source: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
        lang: Lang = None,
    ) -> Response:
        """Full-text search (every word required); snippets mark matches between [[ and ]]."""
        check_limit(limit)
        query = text(q, "q")
        if not query and kind_of(request) == "json":
            raise BadRequestError("q: a search needs some words")
        filters = search_filters(language, source, since, until)
        form = {"q": query or "", "language": language or "", "source": source or "", "since": since or ""}
        form["until"] = until or ""

        def context(conn: Connection, page: SearchPage) -> dict[str, object]:
            """The search form: what was asked, the languages and outlets to filter by, the results' feed."""
            choices = queries.languages_and_sources(conn)
            return {"form": form, "choices": choices, "feed_query": urlencode({"q": query}) if query else ""}

        return await answer(
            site, request, lang, lambda conn: search_view(conn, query, limit, cursor, filters), context=context
        )

    return router
