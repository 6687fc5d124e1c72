"""The story listings: latest news (/), press releases (/press) and trends (/trending), each with its JSON twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.language.reader import ReaderTranslator
from newsfold.store.base import Connection
from newsfold.web import queries
from newsfold.web.cursor import offset_from
from newsfold.web.params import check_limit
from newsfold.web.routes import Lang, answer, twins
from newsfold.web.site import Site, aggregate_stamp
from newsfold.web.translated import ReaderSummary, Shown, story_cards, translate_page


@dataclass(frozen=True)
class LatestPage:
    """The latest news stories (the `stories --json` shape each), newest update first; `next`: the next page."""

    template: ClassVar[str] = "latest.html"
    family: ClassVar[str] = "latest"
    kind: str
    stories: list[Shown]
    next: str | None
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> Self:
        """The listing with its story cards' titles and highlights also in the reader's language."""
        return translate_page(self, translator, target, lambda page: story_cards(page, conn, self.stories))


@dataclass(frozen=True)
class PressPage(LatestPage):
    """The latest press releases: what organisations say of themselves, listed apart from the news."""

    template: ClassVar[str] = "press.html"
    family: ClassVar[str] = "press"


@dataclass(frozen=True)
class TrendingEntry:
    """A story of the trends and what it scored over the window."""

    story: Shown
    score: int
    new: bool
    articles_24h: int
    sources_24h: int
    languages_24h: int


@dataclass(frozen=True)
class TrendingPage:
    """News stories by growth over 24 hours: the window, how they are ranked, how many, and one page of them."""

    template: ClassVar[str] = "trending.html"
    family: ClassVar[str] = "trending"
    since: str
    until: str
    recent: bool
    explanation: str
    total: int
    stories: list[TrendingEntry]
    next: str | None
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> TrendingPage:
        """The trends with their story cards' titles and highlights also in the reader's language."""
        cards = [entry.story for entry in self.stories]
        return translate_page(self, translator, target, lambda page: story_cards(page, conn, cards))


def latest_view(conn: Connection, limit: int, cursor: str | None) -> LatestPage:
    """The latest news stories (press releases are listed apart)."""
    listing = queries.latest(conn, limit, cursor)
    return LatestPage("news", listing.items, listing.next)


def press_view(conn: Connection, limit: int, cursor: str | None) -> PressPage:
    """The latest press releases, kept out of the news listings."""
    listing = queries.latest(conn, limit, cursor, kind="press_release")
    return PressPage("press_release", listing.items, listing.next)


def trending_view(conn: Connection, limit: int, cursor: str | None) -> TrendingPage:
    """Stories by growth over the last 24 hours."""
    listing = queries.trending(conn, limit, offset_from(cursor))
    extra = listing.extra
    if extra["recent"]:
        span = "the last 24 hours"
    else:
        span = "the 24 hours up to the newest news article (nothing was published in the last 24 hours)"
    explanation = (
        f"News stories published in {span}, ranked by what is new and growing: each scores the outlets that "
        "published it in the window, plus the languages beyond the first, plus one if it began in the window."
    )
    entries = [TrendingEntry(**item) for item in listing.items]
    return TrendingPage(
        extra["since"], extra["until"], extra["recent"], explanation, extra["total"], entries, listing.next
    )


def listings_router(site: Site) -> APIRouter:
    """The routes of the story listings and their twins (/api/stories kept for the latest)."""
    router = APIRouter()

    @twins(router, "/", old=["/api/stories"])
    async def latest(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Latest news stories (the `stories --json` shape, each with its `kind`), newest update first.

        Press releases are not listed here but at /api/press; `next` is the cursor of the next page.
        """
        check_limit(limit)
        return await answer(site, request, lang, lambda conn: latest_view(conn, limit, cursor))

    @twins(router, "/press")
    async def press(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Press releases (the `stories --json` shape, `kind` "press_release"), apart from the news listings."""
        check_limit(limit)
        return await answer(site, request, lang, lambda conn: press_view(conn, limit, cursor))

    @twins(router, "/trending")
    async def trending(request: Request, limit: int = 30, cursor: str | None = None, lang: Lang = None) -> Response:
        """Stories by growth in outlets and languages over the last 24 hours."""
        check_limit(limit)
        return await answer(site, request, lang, lambda conn: trending_view(conn, limit, cursor), aggregate_stamp)

    return router
