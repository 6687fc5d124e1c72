"""Whole tables in bulk: a folded store's members, stories and edges read out, and a new store's tables loaded."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from newsfold.store import reader_state
from newsfold.store.base import Connection

# the tables a batch loads a new store's rows into
BulkTable = Literal["articles", "stories", "fold_edges", "fold_docs"]


def fold_members(conn: Connection) -> list[tuple[Any, ...]]:
    """Every article's place in the fold, in store order: (id, story_id, relation, copy_of, score, ingested)."""
    return [
        tuple(row)
        for row in conn.execute("SELECT id, story_id, relation, copy_of, score, ingested FROM articles ORDER BY seq")
    ]


def story_table(conn: Connection, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """These columns of every story (merged ones included), by id."""
    return [tuple(row) for row in conn.execute(f"SELECT {', '.join(columns)} FROM stories ORDER BY id")]


def fold_edges(conn: Connection) -> list[tuple[Any, ...]]:
    """Every verified fold edge, (a, b, relation, score), by a and b."""
    return [tuple(row) for row in conn.execute("SELECT a, b, relation, score FROM fold_edges ORDER BY a, b")]


def insert_rows(conn: Connection, table: BulkTable, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Insert rows of these columns into a table (loading a new store)."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    conn.executemany(sql, rows)
    if table == "stories":
        reader_state.add_missing_items(conn)


def set_fold_frequencies(conn: Connection, df: bytes, ndocs: int) -> None:
    """Store the fold's document frequencies (int32 bytes) and its document count, replacing what was there."""
    conn.execute(
        "INSERT INTO fold_state (key, value) VALUES ('df', ?), ('ndocs', ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (df, str(ndocs).encode()),
    )
