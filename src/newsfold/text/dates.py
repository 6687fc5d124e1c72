"""Times as newsfold writes and reads them: ISO-8601 text (UTC as 'Z'), parsed back, and instants in UTC.

Finding a date in a page's text is extraction's work (extract/dates.py); these helpers only convert the values
newsfold stores and shows.
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso(value: datetime | None) -> str | None:
    """A datetime as ISO-8601 (UTC 'Z' form when it is UTC), or None."""
    if value is None:
        return None
    text = value.isoformat()
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text


def parse_iso(value: str | None) -> datetime | None:
    """Parse what iso() wrote (and other ISO-8601 forms) back to a datetime, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def now_iso() -> str:
    """The current time in UTC, ISO-8601."""
    return iso(datetime.now(UTC)) or ""


def utc(value: str | datetime | None) -> datetime | None:
    """A stored time as an aware UTC datetime (naive times are taken as UTC), or None."""
    moment = parse_iso(value) if isinstance(value, str) else value
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
