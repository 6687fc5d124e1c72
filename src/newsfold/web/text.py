"""Untrusted text made safe to show: article paragraphs and snippets as sanitised HTML, links checked."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

from newsfold.model import Paragraph

_ALLOWED_TAGS = {"p", "h2", "h3", "blockquote", "figure", "figcaption", "mark"}
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"p": {"class"}}
_ROLE_MARKUP = {
    "heading": ("<h2>", "</h2>"),
    "standfirst": ('<p class="standfirst">', "</p>"),
    "quote": ("<blockquote>", "</blockquote>"),
    "caption": ("<figure><figcaption>", "</figcaption></figure>"),
    "body": ("<p>", "</p>"),
}
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_SNIPPET_MARK = re.compile(r"(\[\[|\]\])")


def sanitize(markup: str) -> Markup:
    """Markup reduced by nh3 to the few tags the reader view uses (no attributes beyond a class, no scripts)."""
    return Markup(nh3.clean(markup, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes=set()))


def paragraphs_html(paragraphs: Sequence[Paragraph]) -> Markup:
    """An article's paragraphs as sanitised HTML: each escaped, then tagged by its role."""
    parts = []
    for paragraph in paragraphs:
        start, end = _ROLE_MARKUP.get(paragraph.role, _ROLE_MARKUP["body"])
        parts.append(f"{start}{html.escape(paragraph.text)}{end}")
    return sanitize("\n".join(parts))


def text_html(text: str) -> Markup:
    """Plain text (paragraphs split by blank lines) as sanitised paragraphs."""
    return paragraphs_html([Paragraph(p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()])


def snippet_html(snippet: str) -> Markup:
    """A search snippet (matches between [[ and ]]) as escaped text with the matches in <mark>."""
    out: list[str] = []
    open_mark = False
    for part in _SNIPPET_MARK.split(snippet):
        if part == "[[" and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif part == "]]" and open_mark:
            out.append("</mark>")
            open_mark = False
        else:
            out.append(html.escape(part))
    if open_mark:
        out.append("</mark>")
    return sanitize("".join(out))


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link a reader may follow, else None (javascript:, data: ...)."""
    if not url:
        return None
    cleaned = _CONTROL.sub("", url)
    if cleaned != url.strip():
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return cleaned


def host_of(url: str | None) -> str | None:
    """The host name of a URL, for showing an outlet that has no name."""
    checked = safe_url(url)
    if checked is None:
        return None
    return urlsplit(checked).hostname
