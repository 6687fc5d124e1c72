"""Translating through the store's translation cache (store.translations): texts keyed by their hash."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Sequence

from newsfold.errors import StoreError
from newsfold.language.translate import Translator
from newsfold.store.base import Backend
from newsfold.store.translations import cached_translations, keep_translations

log = logging.getLogger(__name__)


def text_hash(text: str) -> str:
    """The cache key of a text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedTranslator:
    """A translator whose results are kept in the store, so nothing is translated twice."""

    def __init__(self, inner: Translator, db: Backend) -> None:
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
            known = cached_translations(conn, keys, self.name, target)
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
                    keep_translations(conn, fresh, self.name, source, target)
            except (StoreError, sqlite3.OperationalError) as exc:
                log.warning("translation cache not written: %s", exc)
        return [known[key] for key in keys]
