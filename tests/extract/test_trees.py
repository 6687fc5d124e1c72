"""The stored gradient-boosted trees both extraction models share: malformed weights are the models' own errors."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from newsfold.extract.kindmodel import KindModel, KindModelError
from newsfold.extract.linemodel import LineModel, LineModelError


def _weights(name: str) -> dict[str, object]:
    """A shipped model file's weights."""
    loaded: dict[str, object] = json.loads((resources.files("newsfold") / "data" / name).read_text("utf-8"))
    return loaded


@pytest.mark.parametrize("broken", [{"trees": None}, {"init": "x"}, {"learning_rate": None}])
def test_malformed_trees_are_the_models_errors(broken: dict[str, object]) -> None:
    """A kind or line model file whose trees cannot be read says so in one line, naming the model."""
    for model, error, name in ((KindModel, KindModelError, "kinds.json"), (LineModel, LineModelError, "lines.json")):
        weights = {**_weights(name), **broken}
        with pytest.raises(error, match="model"):
            model(weights)
