"""The learned pair decision: the shipped model loads and is sane, a broken file is refused, sentence alignment."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import ConfigError
from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.features.features import Features, features
from newsfold.fold.link.pairs import (
    PAIR_FEATURES,
    Logistic,
    Trees,
    alignment,
    load_pair_model,
    pair_features,
    parse_model,
    text_cosine,
    text_vector,
    text_vectors,
)
from newsfold.model import Article, Origin, Paragraph


def test_the_shipped_model_loads_with_probabilities_and_thresholds() -> None:
    """The models of the shipped file cover this version's features and give probabilities."""
    model = load_pair_model()
    rows = np.zeros((3, len(PAIR_FEATURES)))
    same, copy = model.decide(rows)
    assert same.shape == copy.shape == (3,)
    assert np.all((same >= 0) & (same <= 1)) and np.all((copy >= 0) & (copy <= 1))
    assert 0 < model.same.threshold < 1 and 0 < model.copy.threshold < 1
    assert model.dated is not None and 0 < model.dated.threshold < 1  # the shipped file has its dated model


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


SHIPPED = Path(__file__).resolve().parents[3] / "src/newsfold/data/pair_model.json"


def _logistic_spec() -> dict[str, object]:
    """A logistic model of this version's features."""
    size = len(PAIR_FEATURES)
    return {"kind": "logistic", "mean": [0.0] * size, "scale": [1.0] * size, "coef": [0.1] * size, "intercept": 0.0,
            "threshold": 0.5}  # fmt: skip


def _trees_spec() -> dict[str, object]:
    """A two-tree model: a split on lead_cosine, then a leaf."""
    split = {"feature": [0, 0, 0], "threshold": [0.5, 0.0, 0.0], "missing_left": "100", "left": [1, -1, -1],
             "right": [2, -1, -1], "value": [0.0, -1.0, 2.0]}  # fmt: skip
    leaf = {"feature": [0], "threshold": [0.0], "missing_left": "0", "left": [-1], "right": [-1], "value": [0.5]}
    return {"kind": "trees", "baseline": -0.25, "trees": [split, leaf], "threshold": 0.5}


def test_a_trees_model_walks_its_splits_and_sends_missing_values_left() -> None:
    """Each row ends at its leaf of every tree; the raw prediction is the baseline plus the leaves' values."""
    model = parse_model(_trees_spec(), len(PAIR_FEATURES), "test")
    rows = np.zeros((3, len(PAIR_FEATURES)))
    rows[:, 0] = [0.2, 0.9, np.nan]
    assert isinstance(model, Trees)
    assert np.allclose(model.raw(rows), [-0.75, 2.25, -0.75])
    assert np.allclose(model.probability(rows), 1 / (1 + np.exp([0.75, -2.25, 0.75])))


@pytest.mark.parametrize(
    "change",
    ["features", "json", "not-an-object", "scale", "kind", "no-trees", "child", "lengths", "missing", "threshold",
     "dated"],
)  # fmt: skip
def test_a_broken_model_file_is_refused_in_one_line(tmp_path: Path, change: str) -> None:
    """A file for other features, not JSON, a logistic model with a zero scale, an unknown kind, trees with none,
    a child out of range, node lists of different lengths, a bad missing_left, a NaN threshold: one ConfigError line
    naming the file."""
    spec: dict[str, object] = {"features": list(PAIR_FEATURES), "same": _trees_spec(), "copy": _trees_spec()}
    tree = spec["copy"]["trees"][0]  # type: ignore[index]
    if change == "features":
        spec["features"] = list(PAIR_FEATURES)[:-1]
    if change == "not-an-object":
        spec["same"] = [1, 2]
    if change == "dated":
        spec["dated"] = {**_logistic_spec(), "coef": [0.1]}
    if change == "scale":
        spec["copy"] = {**_logistic_spec(), "scale": [0.0] * len(PAIR_FEATURES)}
    if change == "kind":
        spec["copy"]["kind"] = "forest"  # type: ignore[index]
    if change == "no-trees":
        spec["copy"]["trees"] = []  # type: ignore[index]
    if change == "child":
        tree["right"][0] = 7
    if change == "lengths":
        tree["value"].pop()
    if change == "missing":
        tree["missing_left"] = "1x0"
    if change == "threshold":
        tree["threshold"][0] = float("nan")
    path = tmp_path / "model.json"
    path.write_text("{" if change == "json" else json.dumps(spec), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.json") as raised:
        load_pair_model(str(path))
    assert "\n" not in str(raised.value)


def test_a_logistic_model_file_still_loads(tmp_path: Path) -> None:
    """A logistic file (kind logistic, or no kind as before the trees) loads."""
    old = {key: value for key, value in _logistic_spec().items() if key != "kind"}
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"features": list(PAIR_FEATURES), "same": _logistic_spec(), "copy": old}), "utf-8")
    model = load_pair_model(str(path))
    assert isinstance(model.same, Logistic) and isinstance(model.copy, Logistic)
    same, copy = model.decide(np.ones((2, len(PAIR_FEATURES))))
    assert np.allclose(same, copy) and np.allclose(same, 1 / (1 + np.exp(-0.1 * len(PAIR_FEATURES))))


def test_a_dated_model_decides_only_dated_pairs(tmp_path: Path) -> None:
    """A file's dated model gives P(same story) of dated pairs; without one, the same-story model gives it."""
    dated = {**_logistic_spec(), "coef": [-0.1] * len(PAIR_FEATURES)}
    spec = {"features": list(PAIR_FEATURES), "same": _logistic_spec(), "copy": _logistic_spec(), "dated": dated}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(spec), "utf-8")
    model = load_pair_model(str(path))
    rows = np.ones((1, len(PAIR_FEATURES)))
    assert model.decide(rows, dated=True)[0] < 0.5 < model.decide(rows)[0]
    assert np.allclose(model.decide(rows, dated=True)[1], model.decide(rows)[1])
    path.write_text(json.dumps({key: value for key, value in spec.items() if key != "dated"}), "utf-8")
    assert np.allclose(load_pair_model(str(path)).decide(rows, dated=True)[0], model.decide(rows)[0])


def test_the_numpy_trees_equal_scikit_learns_predict_proba(tmp_path: Path) -> None:
    """A small HistGradientBoostingClassifier trained here, dumped by train_pair_model.py and evaluated by
    fold/link/pairs.py: the same probabilities as scikit-learn's on random rows, missing values included."""
    pytest.importorskip("sklearn")
    train = pytest.importorskip("benchmarks.train_pair_model")
    rng = np.random.default_rng(7)
    size = len(PAIR_FEATURES)
    x = rng.standard_normal((600, size))
    y = ((x[:, 0] + 0.5 * x[:, 3] * x[:, 5] + 0.3 * rng.standard_normal(600)) > 0).astype(np.int64)
    x[rng.random(x.shape) < 0.05] = np.nan  # some missing values in training: they learn a side
    weights = rng.uniform(0.5, 2.0, 600)
    models = {}
    for target, depth in (("same", 3), ("copy", 4)):
        model = train.boosted({"max_depth": depth, "max_iter": 30, "learning_rate": 0.1, "l2_regularization": 1.0})
        model.fit(x, y if target == "same" else 1 - y, sample_weight=weights)
        models[target] = model
    spec = {"features": list(PAIR_FEATURES), **{t: train.dump_trees(m, 0.5) for t, m in models.items()}}
    path = tmp_path / "model.json"
    path.write_text(train.dumped(spec), encoding="utf-8")
    loaded = load_pair_model(str(path))
    rows = rng.standard_normal((500, size)) * 1.5
    rows[rng.random(rows.shape) < 0.1] = np.nan
    same, copy = loaded.decide(rows)
    assert np.allclose(same, models["same"].predict_proba(rows)[:, 1], rtol=0, atol=1e-5)
    assert np.allclose(copy, models["copy"].predict_proba(rows)[:, 1], rtol=0, atol=1e-5)
    assert np.allclose(loaded.decide(rows[:1])[0], same[:1])  # one row at a time, as folding asks


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


def test_text_vectors_make_in_one_call_what_text_vector_makes_one_by_one() -> None:
    """text_vectors embeds every item without a text vector (each once, however often listed) in one call, the
    same int8 vectors text_vector makes one text at a time; items that have one are left as they are."""
    embedder = HashingEmbedder()
    calls: list[int] = []

    def embed(texts: Sequence[str]) -> np.ndarray:
        """The hashing embedder, counting texts."""
        calls.append(len(texts))
        return embedder.encode(texts)

    bodies = [
        "The council voted on Tuesday to close the harbour. Fishermen protested outside.",
        "Voters chose a new parliament on Sunday. Turnout was low in the north.",
        "A storm closed the airport for a day. Flights resumed on Monday morning.",
    ]
    batched = [_features(f"Title {i}", body) for i, body in enumerate(bodies)]
    alone = [_features(f"Title {i}", body) for i, body in enumerate(bodies)]
    kept = np.ones(embedder.dim, dtype=np.int8)
    batched[2].text_vector = kept
    text_vectors([batched[0], batched[1], batched[0], batched[2]], embed)
    assert calls == [2] and batched[2].text_vector is kept
    for mine, theirs in zip(batched[:2], alone[:2], strict=True):
        assert np.array_equal(mine.text_vector, text_vector(theirs, embedder.encode))
    text_vectors(batched, embed)
    assert calls == [2]
