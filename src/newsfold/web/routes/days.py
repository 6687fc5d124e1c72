"""The day archive (/days: a calendar of the days with news) and each day's stories (/day/{day}), with twins."""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from fastapi import APIRouter, Request
from fastapi.responses import Response

from newsfold.language.reader import ReaderTranslator
from newsfold.store import calendar
from newsfold.store.base import Connection
from newsfold.web import queries
from newsfold.web.cursor import offset_from
from newsfold.web.params import check_limit, parse_day
from newsfold.web.routes import Lang, answer, twins
from newsfold.web.site import Site, aggregate_stamp
from newsfold.web.translated import ReaderSummary, Shown, story_cards, translate_page


@dataclass(frozen=True)
class DayCount:
    """A day (UTC) with news: its numbers of stories and articles."""

    day: str
    stories: int
    articles: int


@dataclass(frozen=True)
class CalendarCell:
    """A day of a month in the calendar and its number of stories (0: none)."""

    day: str
    stories: int


@dataclass(frozen=True)
class CalendarMonth:
    """A month with news as a calendar: weeks from Monday, None for the days of the neighbouring months."""

    month: str
    label: str
    stories: int
    weeks: list[list[CalendarCell | None]]


@dataclass(frozen=True)
class DaysPage:
    """The day archive: every day with news, newest first, and the same days as a calendar of months."""

    template: ClassVar[str] = "days.html"
    family: ClassVar[str] = "days"
    days: list[DayCount]
    months: list[CalendarMonth]

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> DaysPage:
        """The archive as it is: it shows no text of a source."""
        return self


@dataclass(frozen=True)
class DayPage:
    """Every story with an article published on a day, with the neighbouring days that have any."""

    template: ClassVar[str] = "day.html"
    family: ClassVar[str] = "day"
    day: str
    previous: str | None
    following: str | None
    stories: list[Shown]
    next: str | None
    reader: ReaderSummary | None = None

    def in_language(self, conn: Connection, translator: ReaderTranslator, target: str | None) -> DayPage:
        """The day with its story cards' titles and highlights also in the reader's language."""
        return translate_page(self, translator, target, lambda page: story_cards(page, conn, self.stories))


def days_view(conn: Connection) -> DaysPage:
    """Every day with news, newest first, and the same days as a calendar of months (weeks from Monday)."""
    found = calendar.days(conn)
    by_day = {d.day: d for d in found}
    months: list[CalendarMonth] = []
    for key in dict.fromkeys(d.day[:7] for d in found):
        year, month = int(key[:4]), int(key[5:7])
        weeks = []
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells: list[CalendarCell | None] = []
            for cell in week:
                entry = by_day.get(cell.isoformat()) if cell.month == month else None
                if cell.month != month:
                    cells.append(None)
                else:
                    cells.append(CalendarCell(cell.isoformat(), entry.stories if entry else 0))
            weeks.append(cells)
        label = f"{pycalendar.month_name[month]} {year}"
        total = sum(by_day[d].stories for d in by_day if d.startswith(key))
        months.append(CalendarMonth(key, label, total, weeks))
    return DaysPage([DayCount(d.day, d.stories, d.articles) for d in found], months)


def day_view(conn: Connection, day: date, limit: int, cursor: str | None) -> DayPage:
    """Every story with an article published on a day, with the neighbouring days that have any."""
    listing = queries.day(conn, day, limit, offset_from(cursor))
    return DayPage(day.isoformat(), listing.extra["previous"], listing.extra["next"], listing.items, listing.next)


def days_router(site: Site) -> APIRouter:
    """The routes of the day archive and of each day, and their twins (/api/days/{day} kept for a day's)."""
    router = APIRouter()

    @twins(router, "/days")
    async def days(request: Request) -> Response:
        """Every day (UTC) with news, newest first, with its number of stories and articles; and as a calendar."""
        return await answer(site, request, None, days_view, aggregate_stamp)

    @twins(router, "/day/{day}", old=["/api/days/{day}"])
    async def day(
        request: Request, day: str, limit: int = 50, cursor: str | None = None, lang: Lang = None
    ) -> Response:
        """Every story with an article published on a day (YYYY-MM-DD), with the previous and next days."""
        check_limit(limit)
        when = parse_day(day)
        return await answer(site, request, lang, lambda conn: day_view(conn, when, limit, cursor))

    return router
