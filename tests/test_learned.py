"""The shared reading of learned models' weight files: a bad file is one error naming the model and the reason."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsfold.errors import ConfigError
from newsfold.learned import check_features, logistic, weights_file

FEATURES = ("a", "b")
GOOD = {"features": list(FEATURES), "mean": [1.0, 0.0], "scale": [2.0, 1.0], "coef": [1.0, -1.0], "intercept": 0.5}


def test_a_logistic_model_standardises_then_weighs_each_feature() -> None:
    model = logistic({**GOOD, "threshold": 0.6}, 2, "test model", ConfigError)
    rows = np.array([[3.0, 1.0], [1.0, 4.0]])
    assert model.logits(rows).tolist() == pytest.approx([0.5, -3.5])
    assert model.probability(rows).tolist() == pytest.approx([1 / (1 + np.exp(-0.5)), 1 / (1 + np.exp(3.5))])
    assert [model.accepts(row) for row in rows] == [True, False]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"scale": [0.0, 1.0]}, "positive scales"),
        ({"coef": [1.0]}, "expected 2 features"),
        ({"threshold": 1.0}, "not a probability below 1"),
        ({"intercept": "x"}, "could not convert"),
        ({"mean": None}, "test model"),
    ],
)
def test_bad_weights_are_one_error_naming_the_model(change: dict[str, object], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        logistic({**GOOD, "threshold": 0.5, **change}, 2, "test model", ConfigError)


def test_a_model_without_a_threshold_needs_one_given() -> None:
    with pytest.raises(ConfigError, match="threshold"):
        logistic(GOOD, 2, "test model", ConfigError)
    assert logistic(GOOD, 2, "test model", ConfigError, threshold=0.5).threshold == 0.5


def test_weights_must_name_the_features_in_order(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({**GOOD, "features": ["b", "a"]}), encoding="utf-8")
    source, spec = weights_file(str(path), "unused.json", "test model", ConfigError)
    assert source == path
    with pytest.raises(ConfigError, match="do not match"):
        check_features(spec, FEATURES, "test model", ConfigError)
    with pytest.raises(ConfigError, match="not a JSON object"):
        check_features([1, 2], FEATURES, "test model", ConfigError)


def test_an_unreadable_weight_file_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.json"):
        weights_file(str(path), "unused.json", "test model", ConfigError)
    with pytest.raises(ConfigError, match=r"missing\.json"):
        weights_file(str(tmp_path / "missing.json"), "unused.json", "test model", ConfigError)
