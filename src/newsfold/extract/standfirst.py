"""The standfirst a page shows outside the element its story is read from: the page's own summary (its description
meta tags or JSON-LD) standing as one element's whole text, which the reading lacks, is put before the story."""

from __future__ import annotations

import html
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser

from newsfold.model import Paragraph
from newsfold.text.words import plain_words

# elements a standfirst stands in (found by the words of their own text)
_HOLDERS = ("p", "div", "h2", "h3", "span", "strong")

# a summary shorter than this is a label or a slogan, not a standfirst
MIN_CHARS = 40


def _key(text: str) -> str:
    """A text's words, case folded, one space apart (markup, punctuation and spacing differ between copies)."""
    return " ".join(plain_words(text.casefold()))


def shown_summaries(tree: LexborHTMLParser, markup: str, summaries: Iterable[str]) -> list[str]:
    """The page's summaries that an element of its body shows as its whole text (read before the tree is cleaned:
    a dek often stands in a header the reading drops). Candidate elements are found by lexbor in one pass, by each
    summary's longest word in their own text, then compared word for word; a word the markup holds nowhere after
    its <body> tag needs no search."""
    body = tree.body
    wanted: dict[str, str] = {}
    longest: set[str] = set()
    body_start = max(markup.find("<body"), 0)
    for summary in summaries:
        text = " ".join(html.unescape(summary).split())
        words = plain_words(text)
        if len(text) < MIN_CHARS or not words or (key := _key(text)) in wanted:
            continue
        word = max(words, key=len)
        if markup.find(word, body_start) >= 0:
            wanted[key] = text
            longest.add(word)
    if body is None or not wanted:
        return []
    query = ", ".join(f'{tag}:lexbor-contains("{word}")' for word in sorted(longest) for tag in _HOLDERS)
    found = {_key(node.text(deep=True, separator=" ") or "") for node in body.css(query)}
    return [text for key, text in wanted.items() if key in found]


def missing_standfirst(paragraphs: list[Paragraph], shown: list[str]) -> Paragraph | None:
    """The first shown summary that no paragraph read holds, as a standfirst (None when the reading has them
    all, or read nothing)."""
    if not paragraphs or not shown:
        return None
    plain = " ".join(" ".join(p.text.split()) for p in paragraphs)
    missing = [text for text in shown if text not in plain]  # most are read as written: no words compared
    if not missing:
        return None
    read = " " + " ".join(_key(p.text) for p in paragraphs) + " "
    return next((Paragraph(text, "standfirst") for text in missing if f" {_key(text)} " not in read), None)
