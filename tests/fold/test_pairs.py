"""The learned pair decision: the shipped model loads and is sane, a broken file is refused, sentence alignment."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import ConfigError
from newsfold.fold.embed import HashingEmbedder
from newsfold.fold.features import Features, features
from newsfold.fold.pairs import PAIR_FEATURES, alignment, load_pair_model, pair_features, text_cosine
from newsfold.model import Article, Origin, Paragraph


def test_the_shipped_model_loads_with_probabilities_and_thresholds() -> None:
    """Both models of the shipped file cover this version's features and give probabilities."""
    model = load_pair_model()
    rows = np.zeros((3, len(PAIR_FEATURES)))
    same, copy = model.decide(rows)
    assert same.shape == copy.shape == (3,)
    assert np.all((same >= 0) & (same <= 1)) and np.all((copy >= 0) & (copy <= 1))
    assert 0 < model.same.threshold < 1 and 0 < model.copy.threshold < 1


def test_more_evidence_makes_a_copy_more_likely() -> None:
    """Aligned sentences in two languages with agreeing names, numbers and whole texts beat the same pair without
    them."""
    model = load_pair_model()
    base = dict.fromkeys(PAIR_FEATURES, 0.0)
    base.update(lead_cosine=0.9, leads_read=1.0, cross_language=1.0, lead_cross=0.9, min_words=4.0, size_ratio=0.9)
    strong = {**base, "aligned": 1.0, "align_share": 1.0, "align_mean": 0.85, "body_cosine": 0.95, "text_cosine": 0.9}
    strong.update(name_overlap=0.8, number_overlap=1.0, shared_numbers=1.8)
    weak = {**base, "aligned": 1.0, "align_share": 0.1, "align_mean": 0.35, "body_cosine": 0.5, "text_cosine": 0.5}
    rows = np.array([[strong[f] for f in PAIR_FEATURES], [weak[f] for f in PAIR_FEATURES]])
    _, copy = model.decide(rows)
    assert copy[0] >= model.copy.threshold > copy[1]


@pytest.mark.parametrize("change", ["features", "scale", "json"])
def test_a_broken_model_file_is_refused_in_one_line(tmp_path: Path, change: str) -> None:
    """A file for other features, with a zero scale, or not JSON: a ConfigError naming the file."""
    spec = json.loads((Path(__file__).resolve().parents[2] / "src/newsfold/data/pair_model.json").read_text())
    path = tmp_path / "model.json"
    if change == "features":
        spec["features"] = spec["features"][:-1]
    if change == "scale":
        spec["copy"]["scale"][0] = 0.0
    path.write_text("{" if change == "json" else json.dumps(spec), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.json"):
        load_pair_model(str(path))


def test_alignment_counts_sentences_matched_in_order() -> None:
    """The same sentences in order align fully; in reverse order only one of them can be in the chain."""
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((4, 16))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    a = np.rint(vectors * 127).astype(np.int8)
    share, mean, body = alignment(a, a)
    assert share == 1.0 and mean > 0.99 and body > 0.99
    reverse, _, _ = alignment(a, a[::-1].copy())
    assert reverse <= 0.5
    assert alignment(a, np.zeros((0, 16), dtype=np.int8)) == (0.0, 0.0, 0.0)


def _features(title: str, body: str) -> Features:
    """An undated article's folding features."""
    article = Article(origin=Origin("test:x"), title=title, paragraphs=[Paragraph(body)], language="en")
    return features(article, datetime.now(UTC))


def test_the_text_vector_compares_lead_and_first_sentences_once() -> None:
    """text_cosine embeds a text's lead and first sentences as one text, once per text: the same text scores 1,
    another text less, and the encoder sees each text one time."""
    embedder = HashingEmbedder()
    calls: list[int] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        """The hashing embedder, counting texts."""
        calls.append(len(texts))
        return embedder.encode(texts)

    body = "The council voted on Tuesday to close the harbour. Fishermen protested outside. The mayor resigned."
    a, b = _features("Harbour closed", body), _features("Harbour closed", body)
    c = _features("Election results", "Voters chose a new parliament on Sunday. Turnout was low in the north.")
    assert text_cosine(a, b, embed) > 0.99
    assert text_cosine(a, c, embed) < 0.9
    assert a.text_vector is not None and sum(calls) == 3
    row = pair_features(a, c, 0.5, 0.1, 7.0, embed)
    assert (
        row[PAIR_FEATURES.index("text_cosine")] == text_cosine(a, c, embed) and calls.count(1) == 3
    )  # sentences: 3, 2
    assert pair_features(a, c, 0.0, 0.1, 7.0, embed)[PAIR_FEATURES.index("text_cosine")] == 0.0
