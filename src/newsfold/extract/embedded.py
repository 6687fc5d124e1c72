"""An article body carried in a page's scripts: pages rendered in the browser (Next.js, Nuxt, React Query and the
like) ship the story as an HTML string inside a JSON payload and leave the markup's body empty until a script runs.
Such a string is found by general evidence only (a JSON string literal that decodes to HTML paragraphs of prose),
never by a site's variable or key names; the DOM reader then reads it like any page."""

from __future__ import annotations

import json
import re

from selectolax.lexbor import LexborHTMLParser

from newsfold.extract.containers import ContainerModel
from newsfold.extract.dom import DomResult, prose_chars, read_dom

# a JSON string literal at least this long (escaped) may hold a body; shorter ones are teasers and labels
MIN_LITERAL = 400
# scripts and literals read per page at most (bounds the time on pages that inline megabytes of data)
MAX_SCRIPT_CHARS = 4_000_000
MAX_LITERALS = 200
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_LITERAL = re.compile(r'"((?:[^"\\]|\\.){' + str(MIN_LITERAL) + r',})"', re.DOTALL)
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)
_SKIPPED_TYPES = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.IGNORECASE)  # read_meta reads JSON-LD


def _html_literals(markup: str) -> list[str]:
    """The decoded JSON string literals of the page's inline scripts that hold HTML paragraphs."""
    out: list[str] = []
    seen = 0
    for match in _SCRIPT.finditer(markup):
        attributes, code = match.group(1), match.group(2)
        if "src=" in attributes.lower() or _SKIPPED_TYPES.search(attributes) or len(code) < MIN_LITERAL:
            continue
        seen += len(code)
        if seen > MAX_SCRIPT_CHARS:
            break
        for literal in _LITERAL.finditer(code):
            try:
                value = json.loads(f'"{literal.group(1)}"')
            except ValueError:
                continue
            if isinstance(value, str) and len(_PARAGRAPH_TAG.findall(value)) >= 2:
                out.append(value)
                if len(out) >= MAX_LITERALS:
                    return out
    return out


def embedded_body(markup: str, model: ContainerModel | None = None) -> DomResult | None:
    """The reading (model: what chooses the container, as read_dom) of the script-carried HTML string with the most
    prose, or None when no script carries one."""
    best: DomResult | None = None
    best_prose = 0
    for value in _html_literals(markup):
        found = read_dom(LexborHTMLParser(f"<html><body><article>{value}</article></body></html>"), model=model)
        prose = prose_chars(found.paragraphs)
        if prose > best_prose:
            best, best_prose = found, prose
    return best
