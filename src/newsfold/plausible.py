"""Plausible dates, decided in one place for every reader and stage, and date arithmetic that cannot overflow.

A news date is plausible from 1990 (before that, the web held no news) to a small skew into the future (clocks
and time zones). An older date is kept only when the document itself says so: its year is written in its URL or
its text (an archive page of a 1969 article names 1969). Values publishing systems write for "no date"
(0001-01-01, 1900-01-01, the Unix epoch at midnight) are never dates, whatever the text says.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from newsfold.model import Article

log = logging.getLogger(__name__)

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
# no evidence brings back a date before the first newspapers
OLDEST_WITH_EVIDENCE = datetime(1600, 1, 1, tzinfo=UTC)
FUTURE_SKEW = timedelta(days=2)
# what "no date" looks like in the wild: these days at midnight
_NO_DATE_DAYS = frozenset({date(1, 1, 1), date(1900, 1, 1), date(1970, 1, 1)})


def _aware(value: datetime) -> datetime:
    """A datetime with a time zone (naive ones are taken as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _is_no_date(value: datetime) -> bool:
    """Whether a value is a publishing system's placeholder for "no date"."""
    return value.date() in _NO_DATE_DAYS and (value.hour, value.minute, value.second) == (0, 0, 0)


def _names_year(year: int, evidence: str) -> bool:
    """Whether evidence (a URL, a title, text) writes the year as a number of its own."""
    return re.search(rf"(?<!\d){year}(?!\d)", evidence) is not None


def _ordinary(value: datetime) -> bool:
    """Whether a datetime is plainly plausible: from 1990 to now, no evidence needed."""
    try:
        return _aware(value) >= EARLIEST and not is_future(value)
    except OverflowError:
        return False


def is_future(value: datetime, now: datetime | None = None) -> bool:
    """Whether a datetime lies further ahead of now than clock skew explains."""
    current = now or datetime.now(UTC)
    try:
        return _aware(value) > _aware(current) + FUTURE_SKEW
    except OverflowError:
        return True


def plausible(
    value: datetime | None, *, evidence: str = "", now: datetime | None = None, what: str = "date"
) -> datetime | None:
    """The value when it is a plausible news date, else None (logged at debug).

    evidence is the document's own URL and text: a date before 1990 is kept when it names the date's year.
    """
    if value is None:
        return None
    aware = _aware(value)
    reason: str | None = None
    try:
        utc = aware.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or _is_no_date(value):
        reason = "a placeholder for no date"
    elif is_future(aware, now):
        reason = "in the future"
    elif utc < OLDEST_WITH_EVIDENCE:
        reason = "too old to be news"
    elif utc < EARLIEST and not _names_year(value.year, evidence):
        reason = "before 1990 and the document does not name its year"
    if reason is not None:
        log.debug("%s %s dropped: %s", what, value.isoformat(), reason)
        return None
    return value


def shift_days(day: date, days: int) -> date | None:
    """day plus days (negative: earlier), or None when that leaves the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def year_start(year: int) -> date | None:
    """January 1st of a year, or None when the year is outside the calendar."""
    try:
        return date(year, 1, 1)
    except ValueError:
        return None


def evidence_of(article: Article, url: str | None = None) -> str:
    """What an article says of itself that may name an old date's year: its URLs, title and text."""
    return " ".join(
        part or "" for part in (url, article.origin.location, article.canonical_url, article.title, article.text)
    )


def article_date(value: datetime | None, article: Article, what: str = "date") -> datetime | None:
    """One of an article's dates when plausible (its own URL and text are the evidence, read only when needed)."""
    if value is None or _ordinary(value):
        return value
    return plausible(value, evidence=evidence_of(article), what=what)


def settle_dates(article: Article, url: str | None = None) -> Article:
    """Drop the article's implausible publication, update and original dates (in place); return it."""
    dates = (article.published, article.updated, article.original.published if article.original else None)
    if all(value is None or _ordinary(value) for value in dates):
        return article
    evidence = evidence_of(article, url)
    where = article.origin.location
    article.published = plausible(article.published, evidence=evidence, what=f"{where}: publication date")
    article.updated = plausible(article.updated, evidence=evidence, what=f"{where}: update date")
    if article.original is not None and article.original.published is not None:
        when = plausible(article.original.published, evidence=evidence, what=f"{where}: original's date")
        article.original = replace(article.original, published=when)
    return article
