"""Datelines at the start of a story: "KARBALA, Iraq —", "Karbala -", wire forms "CITY, ST / ACCESSWIRE / date /"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from newsfold.extract.dates import parse_date

_UPPER = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+"
_TITLE = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+"
# "LOS ANGELES, CA / ACCESSWIRE / June 24, 2020, /"
_WIRE_SLASHES = re.compile(
    rf"^(?P<place>{_UPPER}(?:\s{_UPPER}){{0,3}}(?:,\s*[A-Za-z.]+(?:\s[A-Za-z.]+)?)?)\s*/\s*"
    r"(?P<wire>[A-Z][A-Za-z]*(?:\s[A-Z][A-Za-z]*){0,2})\s*/\s*(?P<date>[^/]{4,40}?)[\s,]*/\s*"
)
# "NEW YORK, June 24, 2020 /PRNewswire/ --"
_WIRE_INLINE = re.compile(
    rf"^(?P<place>{_UPPER}(?:\s{_UPPER}){{0,3}}(?:,\s*[A-Za-z.]+(?:\s[A-Za-z.]+)?)?),\s*(?P<date>[^/]{{4,40}}?)\s*"
    r"/\s*(?P<wire>[A-Za-z][A-Za-z -]{2,30}?)\s*/\s*[-–—]*\s*"
)
# "KARBALA, Iraq —", "BERLIN (dpa) -", "KARBALA, Iraq U.S. officials" (the dash lost in scraping)
_NEWS = re.compile(
    rf"^(?P<city>{_UPPER}(?:\s{_UPPER}){{0,3}})(?:,\s*(?P<region>{_TITLE}(?:\s{_TITLE})?|[A-Z]{{2}}\.?))?"
    r"(?:\s*\((?P<agency>[^)]{1,30})\))?\s*(?:[-–—:]+\s+|(?<=[a-zà-ÿ])\s+(?=[A-Z]))"
)
# "Karbala - U.S. officials say"
_TITLE_CASE = re.compile(rf"^(?P<city>{_TITLE}(?:\s{_TITLE}){{0,2}})(?:\s*\((?P<agency>[^)]{{1,30}})\))?\s+[-–—]\s+")
WIRES = re.compile(
    r"accesswire|pr\s?newswire|business\s?wire|globe\s?newswire|ein\s?presswire|newsfile|prweb|cision|"
    r"marketwired|news\s?direct|openpr|pressat|ots|newswire",
    re.IGNORECASE,
)


@dataclass(slots=True, frozen=True)
class Dateline:
    """A story's dateline: the place, the wire service when one is named, the date when given, and its length."""

    place: str
    wire: str | None
    date: datetime | None
    end: int


def _place(city: str, region: str | None) -> str:
    """A dateline's place as a reader writes it: the city in title case, a region name kept, a postal code dropped."""
    name = " ".join(w.capitalize() if w.isupper() else w for w in city.split())
    name = "-".join(p[:1].upper() + p[1:] for p in name.split("-"))
    if region and not re.fullmatch(r"[A-Z]{2}\.?|[A-Z]\.[A-Z]\.", region.strip()):
        return f"{name}, {region.strip()}"
    return name


def find_dateline(text: str) -> Dateline | None:
    """The dateline at the start of a paragraph, or None."""
    for pattern in (_WIRE_SLASHES, _WIRE_INLINE):
        match = pattern.match(text)
        if match and WIRES.search(match.group("wire")):
            city, _, region = match.group("place").partition(",")
            return Dateline(_place(city, region or None), match.group("wire").strip(),
                            parse_date(match.group("date")), match.end())  # fmt: skip
    match = _NEWS.match(text)
    if match and len(match.group("city")) >= 3:
        return Dateline(_place(match.group("city"), match.group("region")), None, None, match.end())
    match = _TITLE_CASE.match(text)
    if match:
        return Dateline(_place(match.group("city"), None), None, None, match.end())
    return None
