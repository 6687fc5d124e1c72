"""What the site and CLI ask of translation: a text rendered in the reader's language, or the original."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from newsfold.config import Config
from newsfold.language.cache import CachedTranslator
from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore, best_model
from newsfold.language.translate import (
    CTranslate2Translator,
    IdentityTranslator,
    PivotTranslator,
    TranslateSettings,
    Translator,
)
from newsfold.store.base import Backend
from newsfold.text.sentences import split_paragraphs

log = logging.getLogger(__name__)


@dataclass(slots=True, frozen=True)
class Rendering:
    """A text as shown to a reader: translated (marked, with the model's name) or the original with a note."""

    text: str
    language: str | None
    translated: bool = False
    model: str | None = None
    note: str | None = None


class ReaderTranslator(Protocol):
    """Renders texts in a reader's language; backends decide whether a model exists for the pair."""

    def can_translate(self, source: str | None, target: str) -> bool:
        """Whether a model exists for source -> target (same language needs none)."""
        ...

    def render(self, text: str, source: str | None, target: str) -> Rendering:
        """The text in target (translated and cached) or, without a model, the original with a one-line note."""
        ...

    def render_many(self, texts: Sequence[str], source: str | None, target: str) -> list[Rendering]:
        """Short texts of one language (titles, highlights) rendered in target together: one cache lookup."""
        ...


class OriginalOnly:
    """The reader translator when no model is installed: originals, each foreign one with a note."""

    def can_translate(self, source: str | None, target: str) -> bool:
        """Only same-language 'translation' is possible."""
        return source is not None and source == target

    def render(self, text: str, source: str | None, target: str) -> Rendering:
        """The original, with a note when it is not in the reader's language."""
        if source is None or source == target:
            return Rendering(text=text, language=source)
        return Rendering(
            text=text,
            language=source,
            note=f"No translation model for {source} to {target} is installed; showing the original.",
        )

    def render_many(self, texts: Sequence[str], source: str | None, target: str) -> list[Rendering]:
        """Each text rendered as render would."""
        return [self.render(text, source, target) for text in texts]


class ModelReader:
    """The reader translator over installed models: direct pair, else through the pivot language; cached."""

    def __init__(
        self,
        db: Backend,
        models: ModelStore,
        settings: TranslateSettings | None = None,
        pivot: str | None = "en",
    ) -> None:
        """Use the models installed in models, caching translations in db."""
        self.db = db
        self.models = models
        self.settings = settings or TranslateSettings()
        self.pivot = pivot
        self._loaded: dict[str, CTranslate2Translator] = {}
        self._lock = threading.Lock()
        self._installed = models.list()

    def _model(self, source: str, target: str) -> ModelInfo | None:
        """The installed model for one pair, preferring single-pair models over multilingual ones."""
        return best_model(self._installed, source, target)

    def _load(self, info: ModelInfo) -> CTranslate2Translator:
        """The translator for a model, created once per reader (the site calls from several threads)."""
        with self._lock:
            if info.name not in self._loaded:
                self._loaded[info.name] = CTranslate2Translator(info, self.settings)
            return self._loaded[info.name]

    def translator(self, source: str | None, target: str) -> Translator | None:
        """A (cached) translator for source -> target, or None when no installed model covers it."""
        if source is None:
            return None
        if source == target:
            return IdentityTranslator()
        direct = self._model(source, target)
        if direct is not None:
            return CachedTranslator(self._load(direct), self.db)
        pivot = self.pivot
        if pivot and pivot not in (source, target):
            first, second = self._model(source, pivot), self._model(pivot, target)
            if first is not None and second is not None:
                chain = PivotTranslator(self._load(first), self._load(second), pivot)
                return CachedTranslator(chain, self.db)
        return None

    def can_translate(self, source: str | None, target: str) -> bool:
        """Whether an installed model (or two, through the pivot) covers source -> target."""
        return self.translator(source, target) is not None

    def render(self, text: str, source: str | None, target: str) -> Rendering:
        """The text in target, marked as machine translation; or the original with a one-line note."""
        if source is None or source == target or not text.strip():
            return Rendering(text=text, language=source)
        translator = self.translator(source, target)
        if translator is None:
            return OriginalOnly().render(text, source, target)
        paragraphs = split_paragraphs(text)  # cached one by one: copies of a story share most paragraphs
        try:
            translated = "\n\n".join(translator.translate(paragraphs, source, target))
        except (TranslationError, ModelError) as exc:
            log.warning("showing the original: %s", exc)
            return Rendering(text=text, language=source, note=f"Not translated ({exc}); showing the original.")
        return Rendering(
            text=translated,
            language=target,
            translated=True,
            model=translator.name,
            note=f"Machine translation from {source} by {translator.name}; the original is linked.",
        )

    def render_many(self, texts: Sequence[str], source: str | None, target: str) -> list[Rendering]:
        """Short texts of one language in target, translated in one batch (cached), each marked; else originals."""
        if source is None or source == target:
            return [Rendering(text=text, language=source) for text in texts]
        translator = self.translator(source, target)
        if translator is None:
            return OriginalOnly().render_many(texts, source, target)
        wanted = [text for text in dict.fromkeys(texts) if text.strip()]
        try:
            done = dict(zip(wanted, translator.translate(wanted, source, target), strict=True)) if wanted else {}
        except (TranslationError, ModelError) as exc:
            log.warning("showing the originals: %s", exc)
            note = f"Not translated ({exc}); showing the original."
            return [Rendering(text=text, language=source, note=note) for text in texts]
        note = f"Machine translation from {source} by {translator.name}; the original is linked."
        return [
            Rendering(text=done[text], language=target, translated=True, model=translator.name, note=note)
            if text in done
            else Rendering(text=text, language=source)
            for text in texts
        ]


def reader_translator(db: Backend, config: Config) -> ReaderTranslator:
    """The translator the site and CLI use: model-backed where models are installed, else originals only.

    Make one per application, not per request: a model reader keeps its loaded models, which take seconds to load.
    """
    models = ModelStore(config.get_path("models.dir"))
    if not models.list():
        return OriginalOnly()
    pivot = str(config["translate.pivot"]) or None
    return ModelReader(db, models, TranslateSettings.from_config(config), pivot)
