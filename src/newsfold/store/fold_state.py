"""Folding's state in the store: fold documents (fold_docs), verified edges (fold_edges), frequencies (fold_state)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfold.store.base import Connection, Row

# a story's member rows are read in chunks of this many ids (SQLite's bound-parameter limit)
_CHUNK = 500


@dataclass(slots=True, frozen=True)
class FoldDoc:
    """One article's fold document as the store holds it: group, time (None: undated), text hash, band keys
    (uint64 bytes) and lead embedding (int8 bytes)."""

    article_id: str
    group: str
    at: float | None
    text_hash: str | None
    bands: bytes
    embedding: bytes | None


@dataclass(slots=True, frozen=True)
class StoredFoldDoc(FoldDoc):
    """A stored fold document with its number (folding order) and its article's story (None: not placed)."""

    doc: int
    story_id: str | None


def save_fold_docs(conn: Connection, docs: Iterable[FoldDoc]) -> int:
    """Write fold documents (replacing an article's earlier one); return the highest document number stored."""
    # the store numbers its rows itself: an index position is not a row number (a rolled-back batch leaves a gap)
    conn.executemany(
        "INSERT OR REPLACE INTO fold_docs (article_id, grp, at, text_hash, bands, embedding) VALUES (?, ?, ?, ?, ?, ?)",
        [(d.article_id, d.group, d.at, d.text_hash, d.bands, d.embedding) for d in docs],
    )
    return int(conn.execute("SELECT max(doc) FROM fold_docs").fetchone()[0])


def fold_docs_after(conn: Connection, doc: int) -> list[StoredFoldDoc]:
    """The fold documents of stored articles numbered above doc, in folding order, with their articles' stories."""
    rows = conn.execute(
        "SELECT d.doc, d.article_id, d.grp, d.at, d.text_hash, d.bands, d.embedding, a.story_id "
        "FROM fold_docs d JOIN articles a ON a.id = d.article_id WHERE d.doc > ? ORDER BY d.doc",
        (doc,),
    ).fetchall()
    return [
        StoredFoldDoc(
            article_id=r["article_id"],
            group=r["grp"],
            at=r["at"],
            text_hash=r["text_hash"],
            bands=r["bands"],
            embedding=r["embedding"],
            doc=r["doc"],
            story_id=r["story_id"],
        )
        for r in rows
    ]


def fold_doc_number(conn: Connection, article_id: str) -> int | None:
    """The number of an article's fold document, or None when it has none."""
    row = conn.execute("SELECT doc FROM fold_docs WHERE article_id = ?", (article_id,)).fetchone()
    return None if row is None else int(row[0])


def save_fold_edges(conn: Connection, edges: Iterable[tuple[str, str, str, float]]) -> None:
    """Write verified edges (a, b, relation, score), replacing those between the same articles."""
    conn.executemany("INSERT OR REPLACE INTO fold_edges (a, b, relation, score) VALUES (?, ?, ?, ?)", list(edges))


def copy_edges_from(conn: Connection, article_ids: Sequence[str]) -> list[tuple[str, str]]:
    """The copy edges (a, b) that start at one of these articles."""
    edges: list[tuple[str, str]] = []
    for start in range(0, len(article_ids), _CHUNK):
        chunk = article_ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        edges += [
            (row[0], row[1])
            for row in conn.execute(f"SELECT a, b FROM fold_edges WHERE relation = 'copy' AND a IN ({marks})", chunk)
        ]
    return edges


def story_member_rows(conn: Connection, story_id: str, columns: Sequence[str]) -> list[Row]:
    """These article columns of every member of a story, read by column name."""
    return conn.execute(f"SELECT {', '.join(columns)} FROM articles WHERE story_id = ?", (story_id,)).fetchall()


def df_changes(conn: Connection) -> tuple[int, int | None]:
    """How many document-frequency changes the store holds after its whole table, and the last one's number."""
    count, last = conn.execute(
        "SELECT count(*), max(key) FROM fold_state WHERE key >= 'df+' AND key < 'df,'"
    ).fetchone()
    return int(count), int(last[3:]) if last else None


def set_fold_ndocs(conn: Connection, ndocs: int) -> None:
    """Store the number of documents the frequencies count."""
    conn.execute("INSERT OR REPLACE INTO fold_state (key, value) VALUES ('ndocs', ?)", (str(ndocs).encode(),))


def replace_fold_df(conn: Connection, df: bytes) -> None:
    """Store the whole document-frequency table (int32 bytes), dropping the changes kept after the last one."""
    conn.execute("DELETE FROM fold_state WHERE key >= 'df+' AND key < 'df,'")
    conn.execute("INSERT OR REPLACE INTO fold_state (key, value) VALUES ('df', ?)", (df,))


def add_fold_df_change(conn: Connection, number: int, change: bytes) -> None:
    """Store a change to the document frequencies (int32 buckets then amounts) as the number-th since the table."""
    conn.execute("INSERT INTO fold_state (key, value) VALUES (?, ?)", (f"df+{number:010d}", change))
