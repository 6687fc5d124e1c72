"""Request parameters shared by pages and their JSON twins, checked once."""

from __future__ import annotations

import re

from newsfold.store.search import SearchFilters
from newsfold.web.cursor import check_limit, day_bounds, optional_day, parse_day
from newsfold.web.errors import BadRequestError

_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")
MAX_QUERY = 300
MAX_NAME = 300


def language(value: str | None, name: str = "language") -> str | None:
    """An optional language code, or BadRequestError."""
    if not value:
        return None
    if not _LANGUAGE.fullmatch(value):
        raise BadRequestError(f"{name}: {value[:20]!r} is not a language code")
    return value


def text(value: str | None, name: str, limit: int = MAX_QUERY) -> str | None:
    """An optional short text parameter, stripped, or BadRequestError when too long."""
    if value is None:
        return None
    if len(value) > limit:
        raise BadRequestError(f"{name} is longer than {limit} characters")
    if "\x00" in value:
        raise BadRequestError(f"{name} holds a NUL character")
    return value.strip() or None


def search_filters(
    language_code: str | None, source: str | None, since: str | None, until: str | None
) -> SearchFilters:
    """The search filters checked once: language, source, first day and last day (inclusive, as an exclusive bound)."""
    last = optional_day(until, "until")
    return SearchFilters(
        language=language(language_code),
        source=text(source, "source", MAX_NAME),
        since=optional_day(since, "since"),
        until=day_bounds(parse_day(last))[1] if last else None,
    )


__all__ = ["SearchFilters", "check_limit", "language", "parse_day", "search_filters", "text"]
