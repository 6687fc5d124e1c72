"""Search in every script: words inside runs of CJK, Thai, Hangul and Indic text, the migration that indexes them."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import search as search_db
from newsfold.store.base import Backend, Connection
from newsfold.store.db import Database, _migrations, _split_sql
from newsfold.store.scripts import is_spaceless, query_words, search_pattern, search_regex

pytestmark = pytest.mark.both_backends

ZH = "一架直升机在伊斯坦布尔附近坠毁，警方称这是一起爆炸案。"
JA = "宮崎駿監督の新作アニメが公開された。"
TH = "ข่าวการเมืองไทยวันนี้ นายกรัฐมนตรีแถลงข่าว"
NE = "ऋषि सुनक संयुक्त अधिराज्यको पहिलो भारतीय प्रधानमन्त्री भएका छन्।"


def make(text: str, title: str, language: str, source: str = "Example", published: str | None = None) -> Article:
    """A small article in a given language."""

    return Article(
        origin=Origin(f"test:{title}"),
        title=title,
        paragraphs=[Paragraph(text)],
        source=SourceRef(source, None),
        language=language,
        published=datetime.fromisoformat(published) if published else None,
    )


def titles(conn: sqlite3.Connection, query: str, **filters: str) -> list[str | None]:
    """The titles of what a search finds."""
    return [hit.title for hit in search_db.search(conn, query, filters=search_db.SearchFilters(**filters))]


@pytest.fixture
def filled(db: Backend) -> Backend:
    """A store with articles in Chinese, Japanese, Thai, Nepali and English."""
    with db.write() as conn:
        articles_db.insert_articles(
            conn,
            [
                make(ZH, "直升机坠毁", "zh", "新华", "2024-01-02T00:00:00+00:00"),
                make(JA, "宮崎駿の新作", "ja", "朝日", "2024-01-03T00:00:00+00:00"),
                make(TH, "การเมือง", "th"),
                make(NE, "सुनक", "ne"),
                make("Militias gathered in Karbala. Istanbul police said.", "Funerals", "en"),
            ],
        )
    return db


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("直升机", "直升机坠毁"),
        ("爆炸案", "直升机坠毁"),
        ("伊斯坦布尔", "直升机坠毁"),
        ("宮崎", "宮崎駿の新作"),
        ("新作アニメ", "宮崎駿の新作"),
        ("警", "直升机坠毁"),
        ("การเมือง", "การเมือง"),
        ("นายกรัฐมนตรี", "การเมือง"),
        ("संयुक्त अधिराज्य", "सुनक"),
    ],
)
def test_words_inside_runs_are_found(filled: Backend, query: str, title: str) -> None:
    with filled.read() as conn:
        assert titles(conn, query) == [title]


def test_snippets_mark_every_word_of_the_query(filled: Backend) -> None:
    with filled.read() as conn:
        (long_hit,) = search_db.search(conn, "直升机 爆炸案")
        assert "[[直升机]]" in long_hit.snippet and "[[爆炸案]]" in long_hit.snippet
        (short_hit,) = search_db.search(conn, "宮崎")
        assert "[[宮崎]]" in short_hit.snippet
        (mixed,) = search_db.search(conn, "直升机 警方")
        assert "[[警方]]" in mixed.snippet and "[[直升机]]" in mixed.snippet


def test_every_word_is_required_and_filters_still_apply(filled: Backend) -> None:
    with filled.read() as conn:
        assert titles(conn, "直升机 宮崎") == []
        assert titles(conn, "宮崎 karbala") == []
        assert titles(conn, "宮崎", language="zh") == []
        assert titles(conn, "宮崎", language="ja") == ["宮崎駿の新作"]
        assert titles(conn, "直升机", source="朝日") == []
        assert titles(conn, "直升机", since="2024-01-03") == []
        assert titles(conn, "直升机", until="2024-01-03") == ["直升机坠毁"]
        assert titles(conn, "Istanbul") == ["Funerals"]
        assert titles(conn, '"( 宮* -') == ["宮崎駿の新作"]


def test_words_keep_their_vowel_signs() -> None:
    assert query_words("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert query_words("كَتَبَ, is_it") == ["كَتَبَ", "is", "it"]


def test_a_vowelled_word_is_not_its_scattered_consonants(db: Backend) -> None:
    with db.write() as conn:
        articles_db.insert_articles(conn, [make("كَتَبَ الولد", "one", "ar"), make("ك ت ب", "letters", "ar")])
    with db.read() as conn:
        assert titles(conn, "كَتَبَ") == ["one"]


def test_a_writer_that_leaves_the_flag_unset_is_indexed_too(db: Backend) -> None:
    with db.write() as conn:
        row = {k: v for k, v in articles_db.article_row(make(JA, "raw", "ja")).items() if k != "spaceless"}
        row["ingested"] = "2024-01-01T00:00:00Z"
        conn.execute(f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)
        assert conn.execute("SELECT spaceless FROM articles").fetchone()[0] == 1
    with db.read() as conn:
        assert titles(conn, "宮崎") == ["raw"] and titles(conn, "新作アニメ") == ["raw"]


def integrity_check(conn: Connection) -> None:
    """SQLite: FTS5's check that the trigram index matches its content (PostgreSQL's indexes need none)."""
    if conn.dialect == "sqlite":
        conn.execute("INSERT INTO articles_trgm (articles_trgm) VALUES ('integrity-check')")


def test_the_index_follows_updates_and_deletes(filled: Backend) -> None:
    with filled.write() as conn:
        conn.execute("UPDATE articles SET text = 'Plain English now.', title = 'Changed' WHERE language = 'zh'")
        integrity_check(conn)
    with filled.read() as conn:
        assert titles(conn, "直升机") == []
        assert titles(conn, "plain") == ["Changed"]
    with filled.write() as conn:
        conn.execute("DELETE FROM articles WHERE language = 'ja'")
        integrity_check(conn)
        assert conn.execute("SELECT count(*) FROM articles WHERE spaceless = 1").fetchone()[0] == 2
    with filled.read() as conn:
        assert titles(conn, "宮崎") == []


def test_the_stored_pattern_is_the_scripts_module_s(db: Backend) -> None:
    with db.read() as conn:
        expected = search_pattern() if conn.dialect == "sqlite" else search_regex()
        assert conn.execute("SELECT pattern FROM search_scripts").fetchone()[0] == expected
    assert is_spaceless("宮崎") and is_spaceless("ข่าว") and not is_spaceless("Karbala")


def test_the_migration_indexes_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    for name, sql in _migrations():
        if name >= "0009":
            break
        for statement in _split_sql(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (name,))
    conn.row_factory = sqlite3.Row
    for old in (make(ZH, "直升机坠毁", "zh"), make(NE, "सुनक", "ne")):
        row = {k: v for k, v in articles_db.article_row(old).items() if k != "spaceless"}
        row["ingested"] = "2024-01-01T00:00:00Z"
        conn.execute(f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})", row)
    assert (
        not search_db.fts_query("直升机")
        or not conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH '\"直升机\"'").fetchone()[0]
    )
    conn.close()
    db = Database(path)
    with db.read() as reader:
        assert titles(reader, "直升机") == ["直升机坠毁"]
        assert titles(reader, "अधिराज्य") == ["सुनक"]
        assert titles(reader, "पहिलो") == ["सुनक"]
    db.close()
