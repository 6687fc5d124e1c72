"""What keeps derived data whole: stories whose hooks are pending, inputs already read, and removing an article
with every row derived from it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from newsfold.store.base import Connection
from newsfold.text.dates import now_iso

# tables holding one row (or more) per article, by the column naming the article
_BY_ARTICLE = (
    ("entity_mentions", "article_id"),
    ("events", "article_id"),
    ("fold_docs", "article_id"),
    ("fold_edges", "a"),
    ("fold_edges", "b"),
    ("input_keys", "article_id"),
)


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[list[str]]:
    """items in lists of at most size (SQLite's bound-parameter limit)."""
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def mark_pending(conn: Connection, story_ids: Iterable[str]) -> None:
    """Record that these stories' hooks have yet to run (in the transaction that changed them)."""
    stamp = now_iso()
    conn.executemany(
        "INSERT OR IGNORE INTO pending_hooks (story_id, since) VALUES (?, ?)", [(s, stamp) for s in story_ids]
    )


def clear_pending(conn: Connection, story_ids: Iterable[str]) -> None:
    """Record that these stories' hooks have all run."""
    conn.executemany("DELETE FROM pending_hooks WHERE story_id = ?", [(s,) for s in story_ids])


def pending_stories(conn: Connection) -> set[str]:
    """The stories whose hooks did not finish."""
    return {row[0] for row in conn.execute("SELECT story_id FROM pending_hooks")}


def known_inputs(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The article ids already stored from these input keys, by key."""
    found: dict[str, str] = {}
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT key, article_id FROM input_keys WHERE key IN ({marks})", chunk).fetchall())
    return found


def record_inputs(conn: Connection, keys: Mapping[str, str]) -> None:
    """Remember which article each input key was stored as (first one kept)."""
    conn.executemany("INSERT OR IGNORE INTO input_keys (key, article_id) VALUES (?, ?)", list(keys.items()))


def remove_articles(conn: Connection, article_ids: Sequence[str]) -> set[str]:
    """Delete articles and every row derived from them (fold documents and edges, mentions, events, input keys,
    their full-text entries); return the stories they were in (whose derived parts must be recomputed)."""
    stories: set[str] = set()
    entities: set[str] = set()
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        stories.update(
            r[0] for r in conn.execute(f"SELECT story_id FROM articles WHERE id IN ({marks})", chunk) if r[0]
        )
        entities.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT entity_id FROM entity_mentions WHERE article_id IN ({marks})", chunk
            )
        )
        for table, column in _BY_ARTICLE:
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", chunk)
    forget_entities(conn, entities)
    if article_ids:
        bump_generation(conn)
    return stories


def fold_state(conn: Connection) -> dict[str, bytes]:
    """Folding's stored state rows (document frequencies and count), by key."""
    return {str(key): bytes(value) for key, value in conn.execute("SELECT key, value FROM fold_state")}


def folded_among(conn: Connection, article_ids: Sequence[str]) -> list[str]:
    """Those of these articles that are stored and have a fold document (folding counted their terms)."""
    out: list[str] = []
    for chunk in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(chunk))
        out += [
            r[0]
            for r in conn.execute(
                f"SELECT d.article_id FROM fold_docs d JOIN articles a ON a.id = d.article_id "
                f"WHERE d.article_id IN ({marks}) ORDER BY d.doc",
                chunk,
            )
        ]
    return out


def folded_articles(conn: Connection) -> list[str]:
    """Every stored article with a fold document, in folding order."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT d.article_id FROM fold_docs d JOIN articles a ON a.id = d.article_id ORDER BY d.doc"
        )
    ]


def event_texts(conn: Connection, article_ids: Sequence[str]) -> list[str]:
    """The texts of the events read from these articles."""
    out: list[str] = []
    for chunk in _chunks(list(article_ids)):
        marks = ",".join("?" * len(chunk))
        out += [r[0] for r in conn.execute(f"SELECT text FROM events WHERE article_id IN ({marks})", chunk) if r[0]]
    return out


def story_members(conn: Connection, story_ids: Iterable[str]) -> list[str]:
    """The ids of the articles of these stories."""
    out: list[str] = []
    for chunk in _chunks(sorted(set(story_ids))):
        marks = ",".join("?" * len(chunk))
        out += [r[0] for r in conn.execute(f"SELECT id FROM articles WHERE story_id IN ({marks})", chunk)]
    return out


def forget_translations(conn: Connection, text_hashes: Iterable[str]) -> int:
    """Delete the cached machine translations of these texts (by the cache's text hash), for every model and
    target language; return how many rows went."""
    removed = 0
    for chunk in _chunks(sorted(set(text_hashes))):
        marks = ",".join("?" * len(chunk))
        cursor = conn.execute(f"DELETE FROM translations WHERE text_hash IN ({marks})", chunk)
        removed += max(cursor.rowcount, 0)
    return removed


def forget_entities(conn: Connection, entity_ids: Iterable[str]) -> None:
    """Drop the entities no article names any more (their aliases go with them)."""
    for entity_id in set(entity_ids):
        if conn.execute("SELECT 1 FROM entity_mentions WHERE entity_id = ? LIMIT 1", (entity_id,)).fetchone() is None:
            conn.execute("DELETE FROM entities WHERE id = ?", (entity_id,))


def bump_generation(conn: Connection) -> None:
    """Tell every folder holding an index in memory that stored documents went away (it reloads)."""
    row = conn.execute("SELECT value FROM fold_state WHERE key = 'removed'").fetchone()
    number = int(bytes(row[0]).decode()) + 1 if row else 1
    conn.execute("INSERT OR REPLACE INTO fold_state (key, value) VALUES ('removed', ?)", (str(number).encode(),))


def generation(conn: Connection) -> int:
    """How many removals the store has seen (0: none)."""
    row = conn.execute("SELECT value FROM fold_state WHERE key = 'removed'").fetchone()
    return int(bytes(row[0]).decode()) if row else 0


def orphans(conn: Connection) -> dict[str, int]:
    """Rows derived from articles that are no longer stored, by table (what `repair` removes)."""
    out: dict[str, int] = {}
    for table, column in _BY_ARTICLE:
        count = conn.execute(
            f"SELECT count(*) FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        out[f"{table}.{column}"] = int(count)
    return out


def remove_orphans(conn: Connection) -> int:
    """Delete the rows derived from articles that are no longer stored; how many went."""
    removed = 0
    for table, column in _BY_ARTICLE:
        cursor = conn.execute(f"DELETE FROM {table} WHERE {column} NOT IN (SELECT id FROM articles)")
        removed += max(cursor.rowcount, 0)
    if removed:
        bump_generation(conn)
    return removed


def unfolded_articles(conn: Connection) -> list[str]:
    """Stored articles in no story (or with no fold document), oldest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT id FROM articles WHERE story_id IS NULL OR id NOT IN (SELECT article_id FROM fold_docs) "
            "ORDER BY seq"
        )
    ]


def detach_articles(conn: Connection, article_ids: Sequence[str]) -> set[str]:
    """Take articles out of their stories and drop their fold rows (to fold them again); return those stories."""
    stories: set[str] = set()
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        stories.update(
            r[0] for r in conn.execute(f"SELECT story_id FROM articles WHERE id IN ({marks})", chunk) if r[0]
        )
        for table, column in (("fold_docs", "article_id"), ("fold_edges", "a"), ("fold_edges", "b")):
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        conn.execute(
            f"UPDATE articles SET story_id = NULL, relation = NULL, copy_of = NULL, score = NULL WHERE id IN ({marks})",
            chunk,
        )
    if article_ids:
        bump_generation(conn)
    return stories


def story_ids(conn: Connection) -> list[str]:
    """Every story that is not merged into another (empty ones included: their derived rows must be cleared)."""
    return [r[0] for r in conn.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id")]
