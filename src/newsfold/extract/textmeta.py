"""Metadata written into scraped text: date and "As of" lines, highlights, sources, translation and
first-publication notices, author bios, contributor lines; the lines that carry it are taken out of the body."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsfold.extract.dates import parse_date
from newsfold.extract.lines import is_list_header
from newsfold.extract.notices import (
    MACHINE_TRANSLATED,
    SOURCE_LINE,
    SOURCES_BLOCK,
    first_published,
    language_code,
    source_links,
)
from newsfold.extract.people import clean_authors, looks_like_person
from newsfold.extract.split import Line

_DATE_LINE = re.compile(
    r"^(?P<label>date|datum|fecha|data|published(?: on)?|posted(?: on)?|veröffentlicht(?: am)?|publié le|"
    r"publicado|pubblicato|updated|last updated|as of|stand|aktualisiert(?: am)?|mis à jour(?: le)?|actualizado)?"
    r"\s*:?\s*(?P<rest>.{4,60})$",
    re.IGNORECASE,
)
_UPDATED_LABELS = re.compile(r"updated|as of|stand|aktualisiert|mis à jour|actualizado", re.IGNORECASE)
_HIGHLIGHTS = re.compile(
    r"^(?:highlights|key points|the essentials|in brief|das wichtigste(?: in kürze)?|en bref|lo esencial)"
    r"\s*:\s*(?P<text>.+)$",
    re.IGNORECASE,
)
_BIOS_HEADER = re.compile(
    r"^(?:to the authors?|about the authors?|the authors?|about the writers?|zu den autor(?:en|innen)|"
    r"über (?:die|den) autor(?:en|in)?|à propos de l'auteur|sobre el autor|sobre los autores)\s*:?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|von|par|por|di|door)\s+(?P<names>[^.]{3,120})$", re.IGNORECASE)
_CONTRIBUTORS = re.compile(
    r"^(?P<names>[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)*(?:(?:,\s*|\s+and\s+|\s*&\s*)[A-Z][\w'’.-]+(?:\s[A-Z][\w'’.-]+)*)*)"
    r"\s+(?:reported from|reported|contributed(?: reporting)?(?: to this (?:report|article|story))?|contributed from)"
    r"\b[^.]{0,60}\.?$"
)
_CONTRIBUTED = re.compile(
    r"^(?:additional )?reporting by\s+(?P<names>[^.]{3,120})\.?$"
    r"|^(?P<names2>.{3,120}?) contributed to this (?:report|story)\.?$",
    re.IGNORECASE,
)
# where readers' comments begin: no story text follows
_COMMENTS = re.compile(
    r"^(?:\d+\s+(?:comments?|kommentare?|commentaires?|comentarios?|commenti|reacties|reactions?)|"
    r"(?:comments?|kommentare?|commentaires?|comentarios?)\s*\(\d+\)|leave a (?:comment|reply)|add a comment|"
    r"join the (?:conversation|discussion)|comments are closed|die kommentarfunktion\b.*|"
    r"kommentar (?:melden|schreiben)|"
    r"show comments|view comments|kommentare anzeigen|afficher les commentaires|ver comentarios)\s*[.:!]?$",
    re.IGNORECASE,
)
_TAKEDOWN_TAIL = re.compile(r"\s*the mention\w* sources?.*$|\s*(?:you|sources) can contact us.*$", re.IGNORECASE)


@dataclass(slots=True)
class TextMeta:
    """What the text says about itself, and which lines said it (taken out of the body)."""

    published: datetime | None = None
    updated: datetime | None = None
    published_line: int | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)
    source_name: str | None = None
    source_url: str | None = None
    original_site: str | None = None
    original_url: str | None = None
    original_language: str | None = None
    original_published: datetime | None = None
    machine_translated: bool | None = None
    consumed: set[int] = field(default_factory=set)
    teaser_dates: set[int] = field(default_factory=set)
    # lines after which no body text follows (bios, notices, source lines)
    end_markers: list[int] = field(default_factory=list)


def _date_line(text: str) -> tuple[datetime, bool] | None:
    """(date, is_update) when a whole line is a date, with or without a label."""
    if len(text.split()) > 9:
        return None
    match = _DATE_LINE.match(text)
    if not match:
        return None
    rest = match.group("rest")
    value = parse_date(rest)
    if value is None:
        return None
    leftover = re.sub(r"[\d\W_]+", " ", rest).split()
    if len(leftover) > 4:
        return None
    label = match.group("label") or ""
    return value, bool(_UPDATED_LABELS.search(label))


def _names(text: str) -> list[str]:
    """People's names in a list such as "Ryan and Hauslohner" or "Kareem Fahim, Mustafa Salim"."""
    parts = re.split(r"\s*(?:,|\band\b|&|\bund\b)\s*", text)
    return [p.strip() for p in parts if p.strip() and p.strip()[0].isupper()]


def _read_bios(lines: Sequence[Line], start: int, meta: TextMeta) -> int:
    """Consume an author-bio block after its header; return the index after it. Names go to authors."""
    i = start + 1
    names: list[str] = []
    while i < len(lines):
        text = lines[i].text
        if MACHINE_TRANSLATED.search(text) or first_published(text) or SOURCE_LINE.match(text):
            break
        if is_list_header(text) or SOURCES_BLOCK.match(text):
            break
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if looks_like_person(text) and nxt[:1].islower():
            names.append(text)
        meta.consumed.add(i)
        i += 1
    meta.authors.extend(n for n in names if n not in meta.authors)
    return i


def read_text_meta(lines: Sequence[Line]) -> TextMeta:
    """Find the metadata lines of one document and what they say."""
    meta = TextMeta()
    i = 0
    while i < len(lines):
        text = lines[i].text
        if _BIOS_HEADER.match(text):
            meta.consumed.add(i)
            meta.end_markers.append(i)
            i = _read_bios(lines, i, meta)
            continue
        _read_line(lines, i, text, meta)
        i += 1
    return meta


def _read_line(lines: Sequence[Line], i: int, text: str, meta: TextMeta) -> None:
    """Read one line's metadata, if any, and mark it consumed."""
    dated = _date_line(text)
    if dated is not None:
        value, is_update = dated
        if meta.published is None and not is_update:
            meta.published, meta.published_line = value, i
            meta.consumed.add(i)
        elif is_update and meta.updated is None:
            meta.updated = value
            meta.consumed.add(i)
        else:
            # later date lines belong to teasers of other stories
            meta.teaser_dates.add(i)
        return
    highlights = _HIGHLIGHTS.match(text)
    if highlights:
        meta.highlights.append(highlights.group("text").strip())
        meta.consumed.add(i)
        return
    if SOURCES_BLOCK.match(text):
        links = source_links(_TAKEDOWN_TAIL.sub("", text))
        if links and meta.original_url is None:
            meta.original_url = links[0].url
            meta.original_published = meta.original_published or links[0].published
        _end(meta, i)
        return
    if _COMMENTS.match(text):
        meta.end_markers.append(i)
        return
    source = SOURCE_LINE.match(text)
    if source:
        name = source.group("name").strip()
        links = source_links(name)
        if links:
            meta.source_url = meta.source_url or links[0].url
        elif len(name.split()) <= 6:
            meta.source_name = meta.source_name or name
        _end(meta, i)
        return
    _read_notice(lines, i, text, meta)


def _end(meta: TextMeta, i: int) -> None:
    """Mark line i consumed and as an end-of-body marker."""
    meta.consumed.add(i)
    meta.end_markers.append(i)


def _read_notice(lines: Sequence[Line], i: int, text: str, meta: TextMeta) -> None:
    """Translation and first-publication notices, bylines and contributor lines."""
    words = len(text.split())
    translated = MACHINE_TRANSLATED.search(text)
    if translated and words <= 40:
        meta.machine_translated = True
        meta.original_language = meta.original_language or language_code(translated.group("src"))
        _end(meta, i)
        return
    published = first_published(text)
    if published and words <= 60:
        site, date, language = published
        meta.original_site = meta.original_site or site
        meta.original_published = meta.original_published or date
        meta.original_language = meta.original_language or language
        _end(meta, i)
        return
    contributors = _CONTRIBUTORS.match(text) if words <= 20 else None
    if contributors:
        meta.contributors.extend(n for n in _names(contributors.group("names")) if n not in meta.contributors)
        _end(meta, i)
        return
    contributed = _CONTRIBUTED.match(text) if words <= 25 else None
    if contributed:
        names = contributed.group("names") or contributed.group("names2") or ""
        meta.contributors.extend(n for n in clean_authors([names]) if n not in meta.contributors)
        _end(meta, i)
        return
    byline = _BYLINE.match(text) if words <= 8 and not meta.authors else None
    if byline:
        found = clean_authors([byline.group("names")])
        if found:
            meta.authors.extend(n for n in found if n not in meta.authors)
            meta.consumed.add(i)
