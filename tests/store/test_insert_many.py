"""Inserting a batch of articles in one statement: only new ones come back, in order; bad rows are skipped."""

from __future__ import annotations

import pytest

from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store.base import Backend

pytestmark = pytest.mark.both_backends


def _article(i: int) -> Article:
    """A small article numbered i."""
    return Article(
        origin=Origin(f"test:{i}"), title=f"Title {i}", paragraphs=[Paragraph(f"Body {i}.")], source=SourceRef()
    )


def test_a_batch_returns_only_new_articles_in_order(db: Backend) -> None:
    """Stored ones and repeats within the batch are left out; the rest come back in input order."""
    first = [_article(i) for i in range(5)]
    with db.write() as conn:
        assert articles_db.insert_articles(conn, first[:2]) == first[:2]
    batch = [first[3], first[0], first[3], first[4], first[1], first[2]]
    with db.write() as conn:
        assert [a.id for a in articles_db.insert_articles(conn, batch)] == [
            a.id for a in (first[3], first[4], first[2])
        ]
        assert articles_db.insert_articles(conn, []) == []
    with db.read() as conn:
        assert articles_db.count_articles(conn) == 5
        assert [a.title for a in articles_db.get_articles(conn, [a.id for a in first])] == [a.title for a in first]


def test_a_row_that_breaks_a_constraint_is_skipped(db: Backend) -> None:
    """A row the store refuses (here an unknown kind) is skipped and not reported as new; the others go in."""
    good, bad = _article(1), _article(2)
    bad.kind = "bogus"  # type: ignore[assignment]
    with db.write() as conn:
        assert articles_db.insert_articles(conn, [bad, good]) == [good]
    with db.read() as conn:
        assert articles_db.count_articles(conn) == 1
