"""Document kinds: article, press_release (wire datelines, contact blocks, "SOURCE:"), other (no article)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfold.extract.datelines import WIRES, Dateline
from newsfold.extract.notices import normalise_url
from newsfold.extract.split import Line
from newsfold.model import Article, Kind, SourceRef
from newsfold.text.words import text_weight

# press-release markers, each behind the plain words it cannot match without (looked up in the lowered text, so
# that a text holding none of them costs a few substring tests, not a scan with every pattern)
# a plain-text document with less text than this (its text_weight) has no article
MIN_TEXT_WEIGHT = 200
_SIGNALS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("source:",), re.compile(r"\bSOURCE:\s")),
    (
        ("contact",),
        re.compile(r"\b(?:MEDIA\s+)?CONTACTS?:|\bMedia [Cc]ontacts?:|\bPress [Cc]ontacts?:|\bContact [Ii]nformation:"),
    ),
    (("about ",), re.compile(r"(?:^|\.\s+)About [A-Z][\w.&-]+(?:\s[A-Z][\w.&-]+){0,4}\s*(?:\n|:|$)")),
    (
        ("version on", "view original content", "press release"),
        re.compile(r"(?i:View (?:source|original) version on|view original content|press release)"),
    ),
    (("company name:", "phone", "email:"), re.compile(r"(?i:Company Name:|Phone(?: Number)?:|Email:\s)")),
    (("forward-looking statements",), re.compile(r"(?i:forward-looking statements)")),
)
_TAIL = re.compile(
    r"\s*(?:\b(?:MEDIA\s+)?CONTACTS?:|\bMedia [Cc]ontacts?:|\bPress [Cc]ontacts?:|\bSOURCE:\s|View source version on)"
)
_INLINE_CONTROLS = re.compile(r"\s*\bView (?:photos|gallery|video|images)\b\s*", re.IGNORECASE)
_SOURCE_VERSION = re.compile(r"View (?:source|original) version on\s*[\w.]+\s*:?\s*(?P<url>https?://\S+)", re.I)


def press_release_signals(lines: Sequence[Line]) -> int:
    """How many press-release markers the text holds (contact blocks, SOURCE:, About <company>, ...)."""
    text = "\n".join(line.text for line in lines)
    lowered = text.lower()
    return sum(
        1 for words, pattern in _SIGNALS if any(word in lowered for word in words) and pattern.search(text) is not None
    )


def classify_kind(article: Article, signals: int, dateline: Dateline | None) -> Kind:
    """A plain-text document's kind: other with hardly any text (CJK characters count double), else
    release_or_article."""
    if not article.text or text_weight(article.text) < MIN_TEXT_WEIGHT:
        return "other"
    return release_or_article(signals, dateline)


def release_or_article(signals: int, dateline: Dateline | None) -> Kind:
    """A document with text of its own: a press release when a wire distributor or two release markers say so."""
    if dateline is not None and dateline.wire and WIRES.search(dateline.wire):
        return "press_release"
    return "press_release" if signals >= 2 else "article"


def clean_press_release(article: Article, dateline: Dateline | None) -> None:
    """Cut a release's wire header, contact block and controls out of its body; keep its own URL as source."""
    body = article.text
    match = _SOURCE_VERSION.search(body)
    if match:
        article.source = SourceRef(article.source.name, normalise_url(match.group("url")))
    cleaned = []
    for i, paragraph in enumerate(article.paragraphs):
        text = paragraph.text
        if i == 0 and dateline is not None and dateline.wire and paragraph.role == "body":
            text = text[dateline.end :]
        tail = _TAIL.search(text)
        if tail:
            text = text[: tail.start()]
        text = _INLINE_CONTROLS.sub(" ", text).strip()
        if text:
            paragraph.text = text
            cleaned.append(paragraph)
        if tail:
            break
    article.paragraphs = cleaned
