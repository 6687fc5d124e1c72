"""The outlets (/sources) and each outlet with its latest items (/sources/{name}), with their JSON twins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.language.reader import ReaderTranslator
from newsfold.store import listings as listings_db
from newsfold.store.base import Connection
from newsfold.web import queries
from newsfold.web.params import check_limit, text
from newsfold.web.routes import Lang, answer, twins
from newsfold.web.site import Site, aggregate_stamp
from newsfold.web.translated import ReaderSummary, Shown, article_titles, translate_page


@dataclass(frozen=True)
class SourceCount:
    """A named outlet, its number of articles and its latest publication time."""

    name: str
    articles: int
    latest: str | None


@dataclass(frozen=True)
class SourcesPage:
    """The outlets, most articles first."""

    template: ClassVar[str] = "sources.html"
    family: ClassVar[str] = "sources"
    sources: list[SourceCount]

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> SourcesPage:
        """The outlets as they are: their names are not translated."""
        return self


@dataclass(frozen=True)
class SourcePage:
    """One outlet: its numbers of articles and stories, its languages and one page of its latest items."""

    template: ClassVar[str] = "source.html"
    family: ClassVar[str] = "sources"
    name: str
    articles: int
    stories: int
    languages: list[str]
    items: list[Shown]
    next: str | None
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> SourcePage:
        """The outlet with its items' titles also in the reader's language."""
        return translate_page(self, translator, target, lambda page: article_titles(page, self.items))


def sources_view(conn: Connection) -> SourcesPage:
    """The outlets."""
    return SourcesPage([SourceCount(o.name, o.articles, o.latest) for o in listings_db.outlets(conn)])


def source_view(conn: Connection, name: str, limit: int, cursor: str | None) -> SourcePage:
    """One outlet and its latest items; NotFoundError when it has none."""
    listing = queries.source(conn, name, limit, cursor)
    extra = listing.extra
    return SourcePage(
        extra["name"], extra["articles"], extra["stories"], extra["languages"], listing.items, listing.next
    )


def sources_router(site: Site) -> APIRouter:
    """The routes of the outlets and of each outlet, and their twins."""
    router = APIRouter()

    @twins(router, "/sources")
    async def sources(request: Request) -> Response:
        """Every named outlet with its number of articles."""
        return await answer(site, request, None, sources_view, aggregate_stamp)

    @twins(router, "/sources/{name:path}")
    async def source(
        request: Request, name: str, limit: int = 30, cursor: str | None = None, lang: Lang = None
    ) -> Response:
        """One outlet: counts, languages and its latest items."""
        check_limit(limit)
        checked = text(name, "source name") or ""
        return await answer(site, request, lang, lambda conn: source_view(conn, checked, limit, cursor))

    return router
