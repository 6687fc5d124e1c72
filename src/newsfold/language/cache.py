"""The translation cache in the store: keyed by the text's hash, the model and the target language."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence

from newsfold.errors import StoreError
from newsfold.language.translate import Translator
from newsfold.store.articles import now_iso
from newsfold.store.db import Database

log = logging.getLogger(__name__)

_QUERY_CHUNK = 400  # keys per SELECT (SQLite's variable limit is far above)


def text_hash(text: str) -> str:
    """The cache key of a text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cached(conn: sqlite3.Connection, hashes: Sequence[str], model: str, target: str) -> dict[str, str]:
    """The cached translations of the given text hashes, by hash."""
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


def store(conn: sqlite3.Connection, items: Sequence[tuple[str, str]], model: str, source: str, target: str) -> None:
    """Remember (hash, translation) pairs."""
    created = now_iso()
    conn.executemany(
        "INSERT OR REPLACE INTO translations (text_hash, model, target, source, translation, created) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(key, model, target, source, translation, created) for key, translation in items],
    )


class CachedTranslator:
    """A translator whose results are kept in the store, so nothing is translated twice."""

    def __init__(self, inner: Translator, db: Database) -> None:
        """Wrap inner with the cache in db."""
        self.inner = inner
        self.db = db
        self.name = inner.name
        self.hits = 0
        self.misses = 0

    def translate(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        """Cached translations where there are some; the rest translated in one batch and cached."""
        keys = [text_hash(text) for text in texts]
        with self.db.read() as conn:
            known = cached(conn, keys, self.name, target)
        missing = list(dict.fromkeys(key for key in keys if key not in known))
        self.hits += len(keys) - sum(1 for key in keys if key not in known)
        self.misses += len(missing)
        if missing:
            by_key = {key: text for key, text in zip(keys, texts, strict=True)}
            translated = self.inner.translate([by_key[key] for key in missing], source, target)
            fresh = list(zip(missing, translated, strict=True))
            known.update(fresh)
            try:
                with self.db.write() as conn:
                    store(conn, fresh, self.name, source, target)
            except (StoreError, sqlite3.OperationalError) as exc:
                log.warning("translation cache not written: %s", exc)
        return [known[key] for key in keys]
