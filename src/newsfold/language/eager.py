"""Eager translation: titles and highlights of changed stories, into the reader languages, as stories change.

Run as a story hook after each ingest batch. Listing pages and cross-language clustering need titles in the reader's
language, so they are translated (and cached) at once, with the publishers' highlights and the stories' own; full
texts wait until a reader opens them. With no model installed the hook returns at once.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict

from newsfold.config import Config, load_config
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.majority import highlights_language
from newsfold.language.models import ModelStore
from newsfold.language.reader import ModelReader
from newsfold.language.translate import TranslateSettings
from newsfold.store.db import Database

log = logging.getLogger(__name__)


class EagerTranslation:
    """A story hook `(db, story_ids) -> None` translating titles and highlights into the reader languages."""

    stage = "translate"

    def __init__(self, config: Config | None = None) -> None:
        """Use config (else the settings from the usual places, read on first use)."""
        self._config = config
        self._reader: ModelReader | None = None
        self._reader_db: Database | None = None
        self.translated = 0

    def _reader_for(self, db: Database, config: Config) -> ModelReader | None:
        """A model reader over db, kept between batches; None when no model is installed."""
        if self._reader is None or self._reader_db is not db:
            models = ModelStore(config.get_path("models.dir"))
            if not models.list():
                return None
            pivot = str(config["translate.pivot"]) or None
            self._reader = ModelReader(db, models, TranslateSettings.from_config(config), pivot)
            self._reader_db = db
        return self._reader

    def __call__(self, db: Database, story_ids: set[str]) -> None:
        """Translate the titles and highlights of the articles in the given stories (and cache them)."""
        if not story_ids:
            return
        config = self._config or load_config()
        self._config = config
        reader = self._reader_for(db, config)
        if reader is None:
            return
        by_language = _texts_by_language(db, story_ids)
        for target in config["reader_languages"]:
            for source, texts in by_language.items():
                if source == target:
                    continue
                translator = reader.translator(source, str(target))
                if translator is None:
                    continue
                try:
                    translator.translate(sorted(texts), source, str(target))
                except (TranslationError, ModelError) as exc:
                    log.warning("titles not translated from %s to %s: %s", source, target, exc)
                    continue
                self.translated += len(texts)


def _texts_by_language(db: Database, story_ids: set[str]) -> dict[str, set[str]]:
    """The titles and highlights of the stories' articles, and the stories' own highlights, by language."""
    ids = sorted(story_ids)
    texts: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
    with db.read() as conn:
        for start in range(0, len(ids), 400):
            part = ids[start : start + 400]
            marks = ",".join("?" * len(part))
            rows = conn.execute(
                f"SELECT story_id, title, language, highlights, kind FROM articles WHERE story_id IN ({marks}) "
                "ORDER BY story_id, CASE relation WHEN 'original' THEN 0 WHEN 'copy' THEN 1 ELSE 2 END, "
                "coalesce(published, '~')",
                part,
            )
            for story_id, title, language, highlights, kind in rows:
                members[story_id].append((language, kind))
                if not language:
                    continue
                if title:
                    texts[language].add(title)
                texts[language].update(h for h in json.loads(highlights or "[]") if isinstance(h, str) and h)
            # the story's own highlights, in the language they were chosen in (as the site works it out)
            for story_id, highlights in conn.execute(f"SELECT id, highlights FROM stories WHERE id IN ({marks})", part):
                language = highlights_language(members.get(story_id, []))
                if language:
                    texts[language].update(h for h in json.loads(highlights or "[]") if isinstance(h, str) and h)
    return texts
