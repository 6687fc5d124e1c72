"""The store's reads for eager translation (story_texts) and for story pages rendered ahead (pages)."""

from __future__ import annotations

import pytest

from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import pages as pages_db
from newsfold.store import stories as stories_db
from newsfold.store import story_texts
from newsfold.store.base import Backend

pytestmark = pytest.mark.both_backends


def _article(title: str, language: str, url: str) -> Article:
    """A one-paragraph article."""
    return Article(
        origin=Origin(url),
        title=title,
        paragraphs=[Paragraph(f"{title}.")],
        source=SourceRef("X", url),
        language=language,
    )


def test_members_in_rank_order_with_their_highlights_and_the_storys_own(db: Backend) -> None:
    """Original, then copies, then reports; highlights read from their JSON, non-strings and empty ones dropped."""
    report = _article("Ein Bericht", "de", "https://a.example/1")
    original = _article("The original", "en", "https://b.example/2")
    copy = _article("A copy", "en", "https://c.example/3")
    with db.write() as conn:
        articles_db.insert_articles(conn, [report, original, copy])
        stories_db.create_story(conn, "s1", "The original")
        for article, relation in ((report, "report"), (original, "original"), (copy, "copy")):
            stories_db.set_member(conn, article.id, "s1", relation)  # type: ignore[arg-type]
        conn.execute("UPDATE articles SET highlights = ? WHERE id = ?", ('["One.", "", 3]', original.id))
        conn.execute("UPDATE stories SET highlights = ? WHERE id = ?", ('["Story line."]', "s1"))
        stories_db.refresh_story(conn, "s1")
    with db.read() as conn:
        parts = list(story_texts.member_texts(conn, ["s1", "absent"]))
        assert len(parts) == 1
        members, own = parts[0]
        assert [m.title for m in members] == ["The original", "A copy", "Ein Bericht"]
        assert members[0].highlights == ["One."] and members[0].language == "en"
        assert own == {"s1": ["Story line."]}
        assert pages_db.stories_to_render(conn) == ["s1"]
        assert pages_db.stories_to_render(conn, everything=True) == ["s1"]
