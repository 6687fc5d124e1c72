"""The translation cache: machine translations kept by the text's hash, the model and the target language."""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.store.base import Connection
from newsfold.text.dates import now_iso

_QUERY_CHUNK = 400  # keys per SELECT (SQLite's variable limit is far above)


def cached_translations(conn: Connection, hashes: Sequence[str], model: str, target: str) -> dict[str, str]:
    """The cached translations by model into target of the texts with these hashes, by hash."""
    found: dict[str, str] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), _QUERY_CHUNK):
        part = unique[start : start + _QUERY_CHUNK]
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            "SELECT text_hash, translation FROM translations "
            f"WHERE model = ? AND target = ? AND text_hash IN ({marks})",
            (model, target, *part),
        )
        found.update({row[0]: row[1] for row in rows})
    return found


def keep_translations(conn: Connection, items: Sequence[tuple[str, str]], model: str, source: str, target: str) -> None:
    """Remember (text hash, translation) pairs made by model from source into target (replacing older ones)."""
    created = now_iso()
    conn.executemany(
        "INSERT OR REPLACE INTO translations (text_hash, model, target, source, translation, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(key, model, target, source, translation, created) for key, translation in items],
    )
