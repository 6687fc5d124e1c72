"""Plain scraped text to articles (first version: paragraphs, title and a date line)."""

from __future__ import annotations

import re
from datetime import datetime

from newsfold.model import Article, Origin, Paragraph

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)


def extract_text(content: str, origin: Origin) -> list[Article]:
    """Blocks separated by blank lines become paragraphs; a short first block is the title."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", content) if b.strip()]
    published: datetime | None = None
    kept: list[str] = []
    for block in blocks:
        match = _DATE_LINE.match(block)
        if match and published is None:
            published = datetime.fromisoformat(match.group(1))
            continue
        kept.append(block)
    title = None
    if kept and len(kept[0]) < 160 and not kept[0].endswith("."):
        title = kept.pop(0)
    article = Article(origin=origin, title=title, published=published, paragraphs=[Paragraph(b) for b in kept])
    return [article]
