"""Errors of the language stage: a model that cannot be installed or loaded, a text that cannot be translated."""

from __future__ import annotations

from newsfold.errors import InputError, NewsfoldError


class ModelError(InputError):
    """A translation model (a file, folder or name) that cannot be installed, found or loaded."""


class TranslationError(NewsfoldError):
    """A text that a model could not translate (too long, or the model failed)."""
