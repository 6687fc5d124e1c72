"""Pick the extractor for an input by its media type."""

from __future__ import annotations

from newsfold.errors import InputError
from newsfold.extract import html, text
from newsfold.ingest.decode import decode, looks_binary
from newsfold.model import Article, RawInput


def extract(raw: RawInput) -> list[Article]:
    """Every document found in one input (glued documents split apart); InputError if unreadable."""
    location = raw.origin.location
    if not raw.data.strip():
        raise InputError(location, "empty file")
    if looks_binary(raw.data):
        raise InputError(location, "binary file, not text or HTML")
    if raw.media_type == "text/html":
        return html.extract_html(raw)
    return text.extract_text(decode(raw.data, location, raw.charset), raw.origin)
