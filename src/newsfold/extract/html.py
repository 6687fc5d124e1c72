"""HTML pages to articles (first version: trafilatura's extraction and metadata)."""

from __future__ import annotations

from datetime import datetime

import trafilatura

from newsfold.ingest.decode import decode
from newsfold.model import Article, Kind, Paragraph, RawInput, SourceRef


def extract_html(raw: RawInput) -> list[Article]:
    """The main text and metadata of a page; an 'other' document when it has no article."""
    markup = decode(raw.data, raw.origin.location, raw.charset)
    doc = trafilatura.bare_extraction(markup, url=raw.url, with_metadata=True, include_comments=False)
    kind: Kind = "article"
    if doc is None or isinstance(doc, dict) or not doc.text:
        return [Article(origin=raw.origin, kind="other", title=None)]
    paragraphs = [Paragraph(p.strip()) for p in doc.text.split("\n") if p.strip()]
    published = None
    if doc.date:
        try:
            published = datetime.fromisoformat(doc.date)
        except ValueError:
            published = None
    return [
        Article(
            origin=raw.origin,
            kind=kind,
            title=doc.title,
            paragraphs=paragraphs,
            published=published,
            authors=[a.strip() for a in (doc.author or "").split(";") if a.strip()],
            source=SourceRef(name=doc.sitename, url=doc.url or raw.url),
            canonical_url=doc.url,
            language=doc.language,
        )
    ]
