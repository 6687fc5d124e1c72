"""Dates as pages write them: ISO-8601, RFC 2822, "February 12, 2024, 12:35 p.m", "12. Februar 2024", URL paths."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan januar janvier enero gennaio janeiro januari styczeń stycznia leden ledna",
        "february feb februar février fevrier febrero febbraio fevereiro februari luty lutego únor února",
        "march mar märz maerz mars marzo março maart marca marzec březen března",
        "april apr avril abril aprile kwiecień kwietnia duben dubna",
        "may mai mayo maggio maio mei maj maja květen května",
        "june jun juni juin junio giugno junho czerwiec czerwca červen června",
        "july jul juli juillet julio luglio julho lipiec lipca červenec července",
        "august aug août aout agosto augustus sierpień sierpnia srpen srpna",
        "september sep sept septembre septiembre settembre setembro wrzesień września září",
        "october oct oktober octobre octubre ottobre outubro okt październik października říjen října",
        "november nov novembre noviembre novembro listopad listopada",
        "december dec dezember décembre decembre diciembre dicembre dezembro dez grudzień grudnia prosinec prosince",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_TIME = r"(?:,?\s*(?:at\s+|um\s+|à\s+)?(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*(a\.?\s?m\.?|p\.?\s?m\.?)?)?"
# "February 12, 2024, 12:35 p.m" (month first)
_MDY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}}){_TIME}", re.IGNORECASE)
# "12 February 2024", "12. Februar 2024, 10:05 Uhr" (day first)
_DMY = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}}){_TIME}", re.IGNORECASE
)
_ISO = re.compile(
    r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?(?![\d])"
)
_NUMERIC_DMY = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME)
_URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|-)")


def _build(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime | None:  # noqa: PLR0913  the parts of a datetime, as datetime() takes them
    """A datetime from parts, or None when they do not make a date."""
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _zone(text: str | None) -> timezone | None:
    """A UTC offset from 'Z', '+01:00' or '+0100'."""
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 23 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _clock(hour: str | None, minute: str | None, second: str | None, half: str | None) -> tuple[int, int, int]:
    """Hours, minutes and seconds from matched parts, with a.m./p.m. applied."""
    if hour is None or minute is None:
        return 0, 0, 0
    h = int(hour)
    if half:
        pm = half.lower().startswith("p")
        h = h % 12 + (12 if pm else 0)
    return h, int(minute), int(second or 0)


def parse_iso(text: str) -> datetime | None:
    """The first ISO-8601 date or date-time in text (time zone kept when given; sub-seconds dropped)."""
    match = _ISO.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    value = _build(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if value is None:
        return None
    tz = _zone(zone)
    if zone and tz is None:
        return None  # an offset no clock has (+99:99): not a real time
    return value.replace(tzinfo=tz) if tz else value


def parse_date(text: str) -> datetime | None:
    """The first date in text in any of the forms pages use, or None."""
    text = text.strip()
    if not text:
        return None
    candidates: list[tuple[int, datetime]] = []
    iso = _ISO.search(text)
    if iso:
        value = parse_iso(iso.group(0))
        if value:
            candidates.append((iso.start(), value))
    for pattern, month_first in ((_MDY, True), (_DMY, False)):
        match = pattern.search(text)
        if not match:
            continue
        first, second, year, hour, minute, sec, half = match.groups()
        month, day = (_MONTHS[first.lower()], int(second)) if month_first else (_MONTHS[second.lower()], int(first))
        value = _build(int(year), month, day, *_clock(hour, minute, sec, half))
        if value:
            candidates.append((match.start(), value))
    numeric = _NUMERIC_DMY.search(text)
    if numeric:
        n_day, n_month, n_year, hour, minute, sec, half = numeric.groups()
        value = _build(int(n_year), int(n_month), int(n_day), *_clock(hour, minute, sec, half))
        if value:
            candidates.append((numeric.start(), value))
    if candidates:
        return min(candidates, key=lambda c: c[0])[1]
    return _parse_rfc2822(text)


def _parse_rfc2822(text: str) -> datetime | None:
    """An RFC 2822 date ("Mon, 12 Feb 2024 11:44:42 GMT"), or None."""
    try:
        return parsedate_to_datetime(text)
    except (ValueError, IndexError, OverflowError):  # a year of 200 digits overflows
        return None


def date_from_url(url: str) -> datetime | None:
    """The date in a URL's path (/2024/02/11/), or None."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    return _build(int(match.group(1)), int(match.group(2)), int(match.group(3)))
