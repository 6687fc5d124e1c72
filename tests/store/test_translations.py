"""The translation cache (store.translations): kept by text hash, model and target; a newer translation replaces."""

from __future__ import annotations

import pytest

from newsfold.store.base import Backend
from newsfold.store.translations import cached_translations, keep_translations

pytestmark = pytest.mark.both_backends


def test_translations_are_found_by_hash_model_and_target(db: Backend) -> None:
    """Only the model and target asked for answer; a hash asked twice is one key; a second keep replaces."""
    with db.write() as conn:
        keep_translations(conn, [("h1", "Hallo"), ("h2", "Welt")], "opus-mt-en-de", "en", "de")
        keep_translations(conn, [("h1", "Bonjour")], "opus-mt-en-fr", "en", "fr")
        keep_translations(conn, [("h2", "Welt!")], "opus-mt-en-de", "en", "de")
    with db.read() as conn:
        assert cached_translations(conn, ["h1", "h2", "h1", "h3"], "opus-mt-en-de", "de") == {
            "h1": "Hallo",
            "h2": "Welt!",
        }
        assert cached_translations(conn, ["h1", "h2"], "opus-mt-en-fr", "fr") == {"h1": "Bonjour"}
        assert cached_translations(conn, ["h1"], "opus-mt-en-de", "fr") == {}
