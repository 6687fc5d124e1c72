"""Eager translation: titles and highlights of changed stories, into the reader languages, as stories change.

Run as a story hook after each ingest batch. Listing pages and cross-language clustering need titles in the reader's
language, so they are translated (and cached) at once, with the publishers' highlights and the stories' own; full
texts wait until a reader opens them. With no model installed the hook returns at once.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from newsfold.config import Config, load_config
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.majority import highlights_language
from newsfold.language.models import ModelStore
from newsfold.language.reader import ModelReader
from newsfold.language.translate import TranslateSettings
from newsfold.store import story_texts
from newsfold.store.base import Backend

log = logging.getLogger(__name__)


class EagerTranslation:
    """A story hook `(db, story_ids) -> None` translating titles and highlights into the reader languages."""

    stage = "translate"

    def __init__(self, config: Config | None = None) -> None:
        """Use config (else the settings from the usual places, read on first use)."""
        self._config = config
        self._reader: ModelReader | None = None
        self._reader_db: Backend | None = None
        self.translated = 0

    def _reader_for(self, db: Backend, config: Config) -> ModelReader | None:
        """A model reader over db, kept between batches; None when no model is installed."""
        if self._reader is None or self._reader_db is not db:
            models = ModelStore(config.get_path("models.dir"))
            if not models.list():
                return None
            pivot = str(config["translate.pivot"]) or None
            self._reader = ModelReader(db, models, TranslateSettings.from_config(config), pivot)
            self._reader_db = db
        return self._reader

    def __call__(self, db: Backend, story_ids: set[str]) -> None:
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


def _texts_by_language(db: Backend, story_ids: set[str]) -> dict[str, set[str]]:
    """The titles and highlights of the stories' articles, and the stories' own highlights, by language."""
    texts: dict[str, set[str]] = defaultdict(set)
    with db.read() as conn:
        for members, own in story_texts.member_texts(conn, sorted(story_ids)):
            ranked: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
            for member in members:
                ranked[member.story_id].append((member.language, member.kind))
                if not member.language:
                    continue
                if member.title:
                    texts[member.language].add(member.title)
                texts[member.language].update(member.highlights)
            # the story's own highlights, in the language they were chosen in (as the site works it out)
            for story_id, highlights in own.items():
                language = highlights_language(ranked.get(story_id, []))
                if language:
                    texts[language].update(highlights)
    return texts
