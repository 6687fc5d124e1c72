"""Provenance notices in the text itself: translations, "first published at", syndication credits, sources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from newsfold.extract.dates import date_from_url, parse_date
from newsfold.urls import try_url

_LANGUAGES = {
    "english": "en", "german": "de", "french": "fr", "spanish": "es", "italian": "it", "portuguese": "pt",
    "dutch": "nl", "russian": "ru", "ukrainian": "uk", "polish": "pl", "arabic": "ar", "chinese": "zh",
    "japanese": "ja", "korean": "ko", "turkish": "tr", "swedish": "sv", "danish": "da", "norwegian": "no",
    "finnish": "fi", "czech": "cs", "greek": "el", "hebrew": "he", "persian": "fa", "hindi": "hi",
    "englisch": "en", "deutsch": "de", "französisch": "fr", "spanisch": "es", "italienisch": "it",
    "anglais": "en", "allemand": "de", "français": "fr", "espagnol": "es", "inglés": "en", "alemán": "de",
}  # fmt: skip
_LANG_RE = "|".join(_LANGUAGES)
MACHINE_TRANSLATED = re.compile(
    rf"(?:automatically|machine[- ]?)\s*translated(?:\s+from\s+(?P<src>{_LANG_RE}))?"
    rf"(?:\s+(?:in)?to\s+(?P<dst>{_LANG_RE}))?"
    r"|testing machine translations?|maschinell (?:übersetzt|übersetzung)|automatisch übersetzt"
    r"|traduit automatiquement|traducción automática|tradotto automaticamente",
    re.IGNORECASE,
)
FIRST_PUBLISHED = re.compile(
    rf"(?:first|originally)\s+(?:published|appeared|ran)(?:\s+in\s+(?P<lang>{_LANG_RE}))?"
    r"(?:\s+(?:on|am)\s+(?P<date>[^@]{4,40}?))?\s+(?:at|on|in|by)\s+(?:the\s+)?[\"“„«']?(?P<site>[\w.-]+(?:\s[\w.-]+){0,4}?)[\"”“»']?"
    r"(?=\s*(?:[-–—,;.(]|$|\s-))",
    re.IGNORECASE,
)
# "(AP) —", "(Reuters) -", "(AFP) –" right after a dateline: a wire story
WIRE_CREDIT = re.compile(
    r"^[^()]{0,60}\((AP|Reuters|AFP|dpa|Bloomberg|UPI|AAP|ANSA|EFE|KNA|epd|APA|CNA)\)\s*[-–—]", re.UNICODE
)
SOURCE_LINE = re.compile(
    r"^(?:source|quelle|source\s*:|fuente|fonte|bron|kilde|källa|źródło)\s*:\s*(?P<name>.{1,80})$", re.I
)
SOURCES_BLOCK = re.compile(r"^(?:sources?|quellen?|fuentes?)\b\s*:?\s*(?:\d+\s*/|\[\d+\]|https?://)", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
# search engines and social sites are how somebody found a story, not its source
_NOT_SOURCES = re.compile(
    r"(?:^|\.)(?:google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|facebook|twitter|x|t|instagram|youtube|"
    r"linkedin|reddit|msn)\.[a-z.]+$",
    re.IGNORECASE,
)


@dataclass(slots=True, frozen=True)
class SourceLink:
    """A URL a page names as its source."""

    url: str
    published: datetime | None


def language_code(name: str | None) -> str | None:
    """The ISO 639-1 code of a language named in English (or German, French, Spanish)."""
    return _LANGUAGES.get(name.lower()) if name else None


def normalise_url(url: str) -> str:
    """A URL with its scheme and host lower-cased (scraped text often title-cases them) and trailing dots cut."""
    url = url.rstrip(".,;)")
    parts = try_url(url)
    if parts is None:
        return url
    host = parts.netloc.lower()
    return f"{parts.scheme}://{host}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def is_real_source(url: str) -> bool:
    """True for a URL that can be an article's source: not a home page, not a search engine or social site."""
    parts = try_url(url)
    host = (parts.host or "") if parts else ""
    if not parts or not host or _NOT_SOURCES.search(host):
        return False
    return parts.path.strip("/") != ""


def source_links(text: str) -> list[SourceLink]:
    """The real source URLs in a "Sources 1/ ... 2/ ..." block or a "Source:" line."""
    out = []
    for match in _URL.finditer(text):
        url = normalise_url(match.group(0))
        if is_real_source(url):
            out.append(SourceLink(url, date_from_url(url)))
    return out


def site_from_host(host: str) -> str:
    """A site's short name from its host: www.washingtonpost.com -> washingtonpost."""
    labels = host.lower().removeprefix("www.").split(".")
    return labels[0] if len(labels) <= 2 else labels[-2] if len(labels[-2]) > 3 else labels[-3]


def outlet_name(stem: str, text: str) -> str | None:
    """The outlet's name as the text writes it, from its domain stem ("washingtonpost" -> "The Washington Post")."""
    stem = re.sub(r"[^a-z0-9]", "", stem.lower())
    if len(stem) < 4:
        return None
    best: str | None = None
    for match in re.finditer(r"(?:\b[Tt]he\s+)?(?:[A-Z][\w&'-]*\s+){0,4}[A-Z][\w&'-]*", text):
        words = match.group(0).split()
        for start in range(len(words)):
            phrase = words[start:]
            joined = re.sub(r"[^a-z0-9]", "", "".join(phrase).lower())
            if joined == stem or (phrase[0].lower() == "the" and joined == "the" + stem):
                candidate = " ".join(phrase)
                if best is None or len(candidate) > len(best):
                    best = candidate
    if best and best.split()[0] == "the":
        best = "The" + best[3:]
    return best


def first_published(line: str) -> tuple[str | None, datetime | None, str | None] | None:
    """(site, date, language) from a "first published in English on <date> at <site>" notice, or None."""
    match = FIRST_PUBLISHED.search(line)
    if not match:
        return None
    date = parse_date(match.group("date") or "")
    return match.group("site").rstrip(".,;:"), date, language_code(match.group("lang"))
