"""Opaque pagination cursors and the validation of query parameters (bad ones are 400s, never 500s)."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, timedelta
from typing import Any

from newsfold.web.errors import BadRequestError

MAX_LIMIT = 200
MAX_OFFSET = 10_000


def encode_cursor(*parts: str | int) -> str:
    """An opaque, URL-safe cursor for the given position."""
    raw = json.dumps(list(parts), separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str | None, kinds: tuple[type, ...]) -> list[Any] | None:
    """The position a cursor holds (its parts typed as kinds), None for no cursor; BadRequestError when malformed."""
    if cursor is None or cursor == "":
        return None
    if len(cursor) > 512:
        raise BadRequestError("cursor is too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequestError("cursor is not one this site made") from exc
    if not isinstance(parts, list) or len(parts) != len(kinds):
        raise BadRequestError("cursor is not one this site made")
    for part, kind in zip(parts, kinds, strict=True):
        if not isinstance(part, kind) or isinstance(part, bool):
            raise BadRequestError("cursor is not one this site made")
    return parts


def offset_from(cursor: str | None) -> int:
    """The offset an offset cursor holds (0 without one), bounded by MAX_OFFSET."""
    parts = decode_cursor(cursor, (int,))
    if parts is None:
        return 0
    offset = int(parts[0])
    if offset < 0 or offset > MAX_OFFSET:
        raise BadRequestError(f"cursor offset must be between 0 and {MAX_OFFSET}")
    return offset


def next_offset(offset: int, limit: int, got: int) -> str | None:
    """The cursor of the next page of an offset listing, or None at the end or past the bound."""
    if got < limit or offset + limit > MAX_OFFSET:
        return None
    return encode_cursor(offset + limit)


def check_limit(limit: int) -> int:
    """A page size within 1..MAX_LIMIT, or BadRequestError."""
    if limit < 1 or limit > MAX_LIMIT:
        raise BadRequestError(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def parse_day(text: str) -> date:
    """A YYYY-MM-DD day, or BadRequestError."""
    if len(text) != 10:
        raise BadRequestError(f"{text[:40]!r} is not a day (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise BadRequestError(f"{text!r} is not a day (YYYY-MM-DD)") from exc


def day_bounds(day: date) -> tuple[str, str]:
    """ISO strings bounding a day: [start, next day's start)."""
    # the day after the last representable one still sorts after every time stamped on it
    following = (day + timedelta(days=1)).isoformat() if day < date.max else "9999-12-32"
    return day.isoformat(), following


def optional_day(text: str | None, name: str) -> str | None:
    """An optional YYYY-MM-DD filter, as its ISO string, or BadRequestError naming the parameter."""
    if not text:
        return None
    try:
        return parse_day(text).isoformat()
    except BadRequestError as exc:
        raise BadRequestError(f"{name}: {exc}") from exc
