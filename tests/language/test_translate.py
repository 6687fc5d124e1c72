"""The real CTranslate2 + sentencepiece path on the tiny model: batching, paragraphs, chunking, bad input."""

from __future__ import annotations

import dataclasses

import pytest

from newsfold.language.errors import ModelError, TranslationError
from newsfold.language.modelinfo import ModelInfo
from newsfold.language.models import ModelStore
from newsfold.language.translate import (
    CTranslate2Translator,
    IdentityTranslator,
    PivotTranslator,
    TranslateSettings,
    resolve_device,
)
from tests.language.conftest import TINY, TINY_NLLB, make_argos_package

GERMAN = (
    "Die Regierung hat am Montag neue Regeln beschlossen. Der Minister sagte, das sei gut.\n\n"
    "Die Opposition war dagegen."
)


def test_translates_keeping_paragraphs(tiny: ModelInfo) -> None:
    """Each text comes back translated (nonsense, but from the model), with its paragraph count."""
    translator = CTranslate2Translator(tiny, TranslateSettings(device="cpu", beam_size=1, threads=1))
    out = translator.translate([GERMAN, "Kurz.", ""], "de", "en")
    assert len(out) == 3
    assert out[0].count("\n\n") == 1 and out[0] != GERMAN and out[0].strip()
    assert out[1].strip() and out[2] == ""
    assert translator.translate([GERMAN], "de", "en") == out[:1]  # deterministic


def test_batch_sizes_agree(tiny: ModelInfo) -> None:
    """The batch size changes speed, not results."""
    texts = [f"Satz Nummer {i} wurde gestern geschrieben." for i in range(7)]
    one = CTranslate2Translator(tiny, TranslateSettings(device="cpu", batch_size=1, beam_size=1))
    many = CTranslate2Translator(tiny, TranslateSettings(device="cpu", batch_size=16, beam_size=1))
    assert one.translate(texts, "de", "en") == many.translate(texts, "de", "en")


def test_long_sentence_is_chunked(tiny: ModelInfo) -> None:
    """A sentence far longer than the model's limit is cut into chunks and still translated."""
    small = dataclasses.replace(tiny, max_tokens=16)
    sentence = ", ".join(["die Regierung in Bagdad"] * 200) + "."
    out = CTranslate2Translator(small, TranslateSettings(device="cpu", beam_size=1, threads=1)).translate(
        [sentence], "de", "en"
    )
    assert out[0].strip()


def test_huge_text_is_refused_quickly(tiny: ModelInfo) -> None:
    """A 200,000-word text is refused with a clear error before any work."""
    translator = CTranslate2Translator(tiny, TranslateSettings(device="cpu", threads=1))
    with pytest.raises(TranslationError, match=r"200,000 words is longer than translate\.max_words"):
        translator.translate(["Wort " * 200_000], "de", "en")


def test_unseen_script_passes_through(tiny: ModelInfo) -> None:
    """A sentence in a script the model never saw is shown as it is, the rest still translated."""
    thai = "รัฐบาลประกาศมาตรการใหม่ในวันจันทร์"
    out = CTranslate2Translator(tiny, TranslateSettings(device="cpu", beam_size=1, threads=1)).translate(
        [f"{thai}\n\nDie Regierung tagte."], "de", "en"
    )
    first, second = out[0].split("\n\n")
    assert first == thai
    assert second != "Die Regierung tagte."


def test_wrong_pair_is_refused(tiny: ModelInfo) -> None:
    """Asking a de->en model for fr->en is an error naming the model."""
    with pytest.raises(TranslationError, match="tiny-de-en does not translate fr into en"):
        CTranslate2Translator(tiny).translate(["Bonjour."], "fr", "en")


def test_corrupt_after_install(tiny: ModelInfo) -> None:
    """A model broken after installation fails with ModelError when loaded, not with a crash."""
    (tiny.path / "model.bin").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="cannot load"):
        CTranslate2Translator(tiny, TranslateSettings(device="cpu", threads=1)).translate(["Hallo Welt."], "de", "en")


def test_argos_package_translates(models: ModelStore, tmp_path: pytest.TempPathFactory) -> None:
    """An installed Argos package runs through the same path (no end-of-sentence token added)."""
    info = models.install(make_argos_package(tmp_path, "de", "en"))  # type: ignore[arg-type]
    out = CTranslate2Translator(info, TranslateSettings(device="cpu", beam_size=1, threads=1)).translate(
        [GERMAN], "de", "en"
    )
    assert out[0].strip()


def test_identity_and_pivot(tiny: ModelInfo, models: ModelStore) -> None:
    """Identity returns texts as they are; a pivot chains two models."""
    assert IdentityTranslator().translate(["a", "b"], "en", "en") == ["a", "b"]
    with pytest.raises(TranslationError):
        IdentityTranslator().translate(["a"], "en", "de")

    second = models.install(TINY, name="tiny-en-fr", source="en", target="fr")
    chain = PivotTranslator(CTranslate2Translator(tiny), CTranslate2Translator(second), "en")
    assert chain.name == "tiny-de-en+tiny-en-fr"
    assert chain.translate([GERMAN], "de", "fr")[0].strip()


def test_resolve_device() -> None:
    """auto picks cuda only when CTranslate2 sees a GPU; explicit devices pass through."""
    import ctranslate2  # noqa: PLC0415  ctranslate2 is the optional [translate] extra

    assert resolve_device("auto") == ("cuda" if ctranslate2.get_cuda_device_count() else "cpu")
    assert resolve_device("cpu") == "cpu"


def test_nllb_model(models: ModelStore, tiny: ModelInfo) -> None:
    """An NLLB-style model (language codes in its vocabulary) is multilingual: any pair among its languages."""

    info = models.install(TINY_NLLB)
    assert info.kind == "nllb"
    assert info.sources == ["de", "en", "es", "fr"] and info.targets == info.sources
    out = CTranslate2Translator(info, TranslateSettings(device="cpu", beam_size=1, threads=1)).translate(
        [GERMAN], "de", "fr"
    )
    assert out[0].strip() and "fra_Latn" not in out[0] and out[0].count("\n\n") == 1
    assert models.find("de", "en") == tiny  # a model for the one pair comes first
    found = models.find("de", "fr")
    assert found is not None and found.name == "tiny-nllb"
