"""The database: migrations on open, one writer, rollback on error, idempotent inserts."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.errors import StoreError
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import search as search_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend
from newsfold.store.db import Database
from tests.postgres_server import integrity_errors

pytestmark = pytest.mark.both_backends


def make_article(text: str, title: str = "A title", url: str | None = None) -> Article:
    """A small article for store tests."""
    return Article(
        origin=Origin("test"),
        title=title,
        paragraphs=[Paragraph(text)],
        source=SourceRef("Example", url),
        language="en",
    )


def test_migrations_applied_once_and_recorded(tmp_path: Path) -> None:
    first = Database(tmp_path / "a.db")
    names = first.applied_migrations
    first.close()
    assert names and names[0].startswith("0001")
    again = Database(tmp_path / "a.db")
    assert again.applied_migrations == names
    with again.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    again.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=r"bogus\.db"):
        Database(bogus)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Database(tmp_path / "nope" / "x.db")


def test_insert_is_idempotent(db: Backend) -> None:
    article = make_article("Some body text.")
    with db.write() as conn:
        assert len(articles_db.insert_articles(conn, [article, article])) == 1
    with db.write() as conn:
        assert articles_db.insert_articles(conn, [article]) == []
    with db.read() as conn:
        assert articles_db.count_articles(conn) == 1
        stored = articles_db.get_article(conn, article.id)
    assert stored is not None and stored.text == "Some body text." and stored.id == article.id


def test_write_rolls_back_on_error(db: Backend) -> None:
    with pytest.raises(RuntimeError), db.write() as conn:
        articles_db.insert_articles(conn, [make_article("Lost on rollback.")])
        raise RuntimeError("boom")
    with db.read() as conn:
        assert articles_db.count_articles(conn) == 0


def test_readers_see_committed_state_only(db: Backend) -> None:
    with db.write() as conn:
        articles_db.insert_articles(conn, [make_article("First.")])
        with db.read() as reader:
            assert articles_db.count_articles(reader) == 0
    with db.read() as reader:
        assert articles_db.count_articles(reader) == 1


def test_memory_database_shares_between_connections() -> None:
    mem = Database(":memory:")
    with mem.write() as conn:
        articles_db.insert_articles(conn, [make_article("In memory.")])
    with mem.read() as conn:
        assert articles_db.count_articles(conn) == 1
    mem.close()


def test_search_finds_words_and_survives_fts_syntax(db: Backend) -> None:
    with db.write() as conn:
        articles_db.insert_articles(conn, [make_article("Militias gathered in Karbala.", title="Funerals")])
    with db.read() as conn:
        hits = search_db.search(conn, "karbala")
        assert hits and "[[Karbala]]" in hits[0].snippet
        assert search_db.search(conn, 'AND OR NOT "( *') == []
        assert search_db.search(conn, "") == []


def test_story_merge_keeps_old_ids_working(db: Backend) -> None:
    a, b = make_article("One."), make_article("Two.", title="Other")
    with db.write() as conn:
        articles_db.insert_articles(conn, [a, b])
        for art in (a, b):
            stories_db.create_story(conn, art.id, art.title or "")
            stories_db.set_member(conn, art.id, art.id, "original")
            stories_db.refresh_story(conn, art.id)
        stories_db.merge_stories(conn, a.id, [b.id])
        stories_db.refresh_story(conn, a.id)
    with db.read() as conn:
        merged = stories_db.get_story(conn, b.id)
        assert merged is not None and merged.id == a.id
        assert {m.article_id for m in merged.members} == {a.id, b.id}
        assert stories_db.count_stories(conn) == 1


def test_schema_rejects_unknown_kind(db: Backend) -> None:
    with pytest.raises(integrity_errors()), db.write() as conn:
        conn.execute(
            "INSERT INTO articles (id, kind, text, paragraphs, origin_location, ingested) "
            "VALUES ('x', 'poem', '', '[]', 'here', 'now')"
        )
