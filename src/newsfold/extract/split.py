"""Lines of scraped text, and glued documents split apart (a new title followed by a dateline, a change of
language, or a source block that ends one story followed by more text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from newsfold.extract.datelines import find_dateline
from newsfold.extract.dates import parse_date
from newsfold.extract.lines import ends_sentence, title_like
from newsfold.extract.notices import SOURCES_BLOCK

_BULLET = re.compile(r"^\s*(?:[•·▪●◦■□‣⁃–*]|-\s|\d{1,2}[.)]\s)\s*")
MIN_DOCUMENT_CHARS = 400
# without a wire service, a dateline opens a new document only in a paragraph this long (not a teaser's kicker)
MIN_OPENING_CHARS = 400
_LABELLED_DATE = re.compile(
    r"^(?:date|datum|fecha|published(?: on)?|veröffentlicht(?: am)?|publié le)\s*:?\s*(.{6,40})$", re.I
)
MIN_LANGUAGE_RUN = 3


@dataclass(slots=True)
class Line:
    """One non-empty line of scraped text: its text, indentation, and whether it was a list item."""

    text: str
    indent: int = 0
    bullet: bool = False
    blank_before: bool = False


def to_lines(content: str) -> list[Line]:
    """Non-empty lines with whitespace collapsed, bullets stripped and noted."""
    out: list[Line] = []
    blank = False
    for raw in content.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            blank = True
            continue
        expanded = raw.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip())
        bullet = _BULLET.match(expanded)
        text = expanded[bullet.end() :] if bullet else expanded
        text = " ".join(text.split())
        if text:
            out.append(Line(text, indent, bool(bullet), blank))
            blank = False
    return out


def _body_chars(lines: Sequence[Line]) -> int:
    """Characters in sentence-like lines (a rough measure of how much story came before)."""
    return sum(len(line.text) for line in lines if len(line.text) > 80 and ends_sentence(line.text))


def _starts_document(lines: Sequence[Line], i: int) -> bool:
    """True when line i is a title and the next line opens a story with a dateline."""
    if i + 1 >= len(lines) or not title_like(lines[i].text, min_words=4):
        return False
    nxt = lines[i + 1].text
    dateline = find_dateline(nxt)
    return dateline is not None and (dateline.wire is not None or len(nxt) > MIN_OPENING_CHARS)


def _dated_start(lines: Sequence[Line], i: int) -> bool:
    """True when line i is a labelled date line ("date 2024-02-12", "Published: ...") that opens a new story."""
    match = _LABELLED_DATE.match(lines[i].text)
    return match is not None and parse_date(match.group(1)) is not None


def _ends_document(line: Line) -> bool:
    """True for a line that closes a story: a block of numbered sources."""
    return bool(SOURCES_BLOCK.match(line.text))


def split_documents(lines: Sequence[Line], identify: Callable[[str], str | None] | None = None) -> list[list[Line]]:
    """The documents glued together in one page of lines (one list when nothing is glued)."""
    cuts: list[int] = []
    story = 0
    for i in range(1, len(lines)):
        story += _body_chars(lines[i - 1 : i])
        if story < MIN_DOCUMENT_CHARS:
            continue
        if (
            _starts_document(lines, i)
            or _dated_start(lines, i)
            or (_ends_document(lines[i - 1]) and i + 1 < len(lines))
        ):
            cuts.append(i)
            story = 0
    if identify is not None:
        cuts = sorted(set(cuts) | set(_language_cuts(lines, identify)))
    documents: list[list[Line]] = []
    previous = 0
    for cut in [*cuts, len(lines)]:
        if cut > previous:
            documents.append(list(lines[previous:cut]))
        previous = cut
    return documents


def _language_cuts(lines: Sequence[Line], identify: Callable[[str], str | None]) -> list[int]:
    """Where long paragraphs switch language for good (at least three on each side)."""
    long_lines = [(i, identify(line.text)) for i, line in enumerate(lines) if len(line.text) > 150]
    cuts: list[int] = []
    for k in range(MIN_LANGUAGE_RUN, len(long_lines) - MIN_LANGUAGE_RUN + 1):
        before = {lang for _, lang in long_lines[k - MIN_LANGUAGE_RUN : k]}
        after = {lang for _, lang in long_lines[k : k + MIN_LANGUAGE_RUN]}
        if len(before) == 1 and len(after) == 1 and before != after and None not in before | after:
            # the new document starts after the last short line run that precedes its first paragraph
            cut = long_lines[k][0]
            previous_long = long_lines[k - 1][0]
            while cut - 1 > previous_long and len(lines[cut - 1].text) <= 150:
                cut -= 1
            cuts.append(cut)
    return cuts
