"""The translation cache and the reader translator the site uses, over the tiny model and a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.config import load_config
from newsfold.language.cache import CachedTranslator, text_hash
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore
from newsfold.language.pivot import PivotComparer
from newsfold.language.reader import ModelReader, OriginalOnly, reader_translator
from newsfold.language.translate import CTranslate2Translator, TranslateSettings
from newsfold.store.db import Database
from tests.language.conftest import TINY

SETTINGS = TranslateSettings(device="cpu", beam_size=1, threads=1)


class Counting:
    """A translator that counts what reaches it (wrapping the real one)."""

    def __init__(self, inner: CTranslate2Translator) -> None:
        """Wrap inner."""
        self.inner = inner
        self.name = inner.name
        self.seen: list[str] = []

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        """Record and translate."""
        self.seen += texts
        return self.inner.translate(texts, source, target)


def test_migration_applied(db: Database) -> None:
    """Migration 0003 creates the cache table."""
    assert "0003_language.sql" in db.applied_migrations


def test_cache_translates_each_text_once(db: Database, tiny: ModelInfo) -> None:
    """Repeated texts, in one batch or later ones (even a new translator), reach the model once."""
    counting = Counting(CTranslate2Translator(tiny, SETTINGS))
    cached = CachedTranslator(counting, db)
    first = cached.translate(["Guten Tag.", "Guten Tag.", "Auf Wiedersehen."], "de", "en")
    assert first[0] == first[1]
    assert counting.seen == ["Guten Tag.", "Auf Wiedersehen."]
    again = CachedTranslator(counting, db).translate(["Auf Wiedersehen.", "Guten Tag."], "de", "en")
    assert again == [first[2], first[0]]
    assert counting.seen == ["Guten Tag.", "Auf Wiedersehen."]
    with db.read() as conn:
        row = conn.execute(
            "SELECT model, target, source, translation FROM translations WHERE text_hash = ?",
            (text_hash("Guten Tag."),),
        ).fetchone()
    assert tuple(row) == ("tiny-de-en", "en", "de", first[0])


def test_cache_is_keyed_by_model_and_target(db: Database, tiny: ModelInfo, models: ModelStore) -> None:
    """Another model (or target) does not reuse a cached translation."""
    CachedTranslator(CTranslate2Translator(tiny, SETTINGS), db).translate(["Guten Tag."], "de", "en")
    other = models.install(TINY, name="tiny2-de-en", source="de", target="en")
    counting = Counting(CTranslate2Translator(other, SETTINGS))
    CachedTranslator(counting, db).translate(["Guten Tag."], "de", "en")
    assert counting.seen == ["Guten Tag."]


def test_reader_without_models_is_original_only(db: Database, tmp_path: Path) -> None:
    """No model installed: originals, with a one-line note for foreign ones."""
    config = load_config(environ={"NEWSFOLD_MODELS_DIR": str(tmp_path / "none")})
    reader = reader_translator(db, config)
    assert isinstance(reader, OriginalOnly)
    rendering = reader.render("Hallo Welt.", "de", "en")
    assert rendering.text == "Hallo Welt." and not rendering.translated
    assert rendering.note is not None and "\n" not in rendering.note


def test_reader_with_a_model(db: Database, tiny: ModelInfo, models: ModelStore) -> None:
    """With a model: can_translate per pair, renderings marked as machine translation with the model's name."""
    config = load_config(
        environ={
            "NEWSFOLD_MODELS_DIR": str(models.root),
            "NEWSFOLD_TRANSLATE_DEVICE": "cpu",
            "NEWSFOLD_TRANSLATE_THREADS": "1",
        }
    )
    reader = reader_translator(db, config)
    assert isinstance(reader, ModelReader)
    assert reader.can_translate("de", "en")
    assert reader.can_translate("en", "en")
    assert not reader.can_translate("fr", "en")
    assert not reader.can_translate(None, "en")
    rendering = reader.render("Die Regierung hat getagt.", "de", "en")
    assert rendering.translated and rendering.model == "tiny-de-en" and rendering.language == "en"
    assert rendering.text != "Die Regierung hat getagt."
    assert rendering.note is not None and "Machine translation" in rendering.note
    assert reader.render("Die Regierung hat getagt.", "de", "en") == rendering  # from the cache now
    same = reader.render("Already English.", "en", "en")
    assert same.text == "Already English." and not same.translated
    missing = reader.render("Bonjour.", "fr", "en")
    assert missing.text == "Bonjour." and not missing.translated and missing.note


def test_reader_pivot(db: Database, tiny: ModelInfo, models: ModelStore) -> None:
    """de -> fr through English when only de->en and en->fr are installed."""
    models.install(TINY, name="tiny-en-fr", source="en", target="fr")
    reader = ModelReader(db, models, SETTINGS, pivot="en")
    assert reader.can_translate("de", "fr")
    rendering = reader.render("Die Regierung hat getagt.", "de", "fr")
    assert rendering.translated and rendering.model == "tiny-de-en+tiny-en-fr"
    assert not ModelReader(db, models, SETTINGS, pivot=None).can_translate("de", "fr")


@pytest.mark.parametrize("text", ["Wort " * 200_000, "   "])
def test_reader_bad_text_shows_original(db: Database, tiny: ModelInfo, models: ModelStore, text: str) -> None:
    """A huge text is shown in the original with a note; an empty one is returned as it is."""
    rendering = ModelReader(db, models, SETTINGS).render(text, "de", "en")
    assert rendering.text == text and not rendering.translated
    if text.strip():
        assert rendering.note is not None and "max_words" in rendering.note


def test_reader_broken_model_shows_original(db: Database, tiny: ModelInfo, models: ModelStore) -> None:
    """A model corrupted after install: the original with a note, never an exception."""
    (tiny.path / "model.bin").write_bytes(b"garbage")
    rendering = ModelReader(db, models, SETTINGS).render("Die Regierung hat getagt.", "de", "en")
    assert not rendering.translated and rendering.note is not None and "cannot load" in rendering.note


def test_pivot_comparer(db: Database, models: ModelStore) -> None:
    """Folding compares a language the embedding lacks through the pivot; covered languages stay as they are."""

    models.install(TINY, name="tiny-fi-en", source="fi", target="en")
    comparer = PivotComparer(ModelReader(db, models, SETTINGS))
    finnish = comparer.comparable(["Hallitus kokoontui maanantaina."], "fi")
    assert finnish[0].language == "en" and finnish[0].translated_by == "tiny-fi-en"
    german = comparer.comparable(["Die Regierung tagte."], "de")
    assert german[0].text == "Die Regierung tagte." and german[0].translated_by is None
    estonian = comparer.comparable(["Valitsus kogunes."], "et")
    assert estonian[0].language == "et" and estonian[0].translated_by is None
    assert PivotComparer(None).comparable(["x"], "fi")[0].text == "x"


def test_reader_caches_paragraph_by_paragraph(db: Database, tiny: ModelInfo, models: ModelStore) -> None:
    """Two texts sharing a paragraph: the shared one is translated once and reused."""
    reader = ModelReader(db, models, SETTINGS)
    first = reader.render("Die Regierung tagte.\n\nDer Minister sprach.", "de", "en")
    second = reader.render("Die Regierung tagte.\n\nDie Opposition schwieg.", "de", "en")
    assert first.text.split("\n\n")[0] == second.text.split("\n\n")[0]
    with db.read() as conn:
        assert conn.execute("SELECT count(*) FROM translations").fetchone()[0] == 3
