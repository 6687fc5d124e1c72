"""Learned models shipped with newsfold as small JSON weight files: reading a file, and the calibrated logistic
model over standardised features that folding's pair model (fold/link/pairs.py), the reading test
(fold/features/legible.py), the container choice (extract/containers.py) and the block filter (extract/blockmodel.py)
share, evaluated with numpy."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import NewsfoldError


@dataclass(slots=True, frozen=True)
class Logistic:
    """One calibrated logistic model over standardised features, with its decision threshold."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    threshold: float

    def logits(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """The log-odds of each row of features."""
        out: NDArray[np.float64] = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return out

    def probability(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(positive) of each row of features."""
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(self.logits(rows), -50.0, 50.0)))
        return out

    def accepts(self, row: NDArray[np.float64]) -> bool:
        """Whether one row's probability reaches the threshold."""
        return bool(self.probability(row[None, :])[0] >= self.threshold)


def packaged_weights(name: str, what: str, error: type[NewsfoldError]) -> object:
    """The parsed JSON of a weight file shipped in newsfold/data (what names the model in the error)."""
    try:
        return json.loads((resources.files("newsfold") / "data" / name).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"{what} {name}: {exc}") from exc


def weights_file(path: str, name: str, what: str, error: type[NewsfoldError]) -> tuple[Path, object]:
    """A weight file's path and parsed JSON: the file at path, or (path empty) the one shipped as newsfold/data/name."""
    source = Path(path) if path else Path(str(resources.files("newsfold") / "data" / name))
    try:
        return source, json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise error(f"{what} {source}: {exc}") from exc


def check_features(
    spec: object, features: Sequence[str], what: str, error: type[NewsfoldError]
) -> Mapping[str, object]:
    """The weights as a mapping, once their feature names are these features in this order."""
    if not isinstance(spec, Mapping):
        raise error(f"{what}: the weights are not a JSON object")
    if tuple(spec.get("features", ())) != tuple(features):
        raise error(f"{what}: features {spec.get('features')} do not match {tuple(features)}")
    return spec


def logistic(
    spec: Mapping[str, object], size: int, what: str, error: type[NewsfoldError], *, threshold: float | None = None
) -> Logistic:
    """A Logistic of size features from its weights (mean, scale, coef, intercept and, unless a threshold is given
    for a model that has none, threshold), checked: as many of each, positive scales, a threshold below 1."""
    try:
        model = Logistic(
            np.asarray(spec["mean"], dtype=np.float64),
            np.asarray(spec["scale"], dtype=np.float64),
            np.asarray(spec["coef"], dtype=np.float64),
            float(spec["intercept"]),  # type: ignore[arg-type]
            float(spec["threshold"]) if threshold is None else threshold,  # type: ignore[arg-type]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise error(f"{what}: {exc!r}") from exc
    shapes = (model.mean.shape, model.scale.shape, model.coef.shape)
    if any(shape != (size,) for shape in shapes) or not np.all(model.scale > 0):
        raise error(f"{what}: expected {size} features with positive scales")
    if not 0.0 <= model.threshold < 1.0:
        raise error(f"{what}: threshold {model.threshold} is not a probability below 1")
    return model


def logistic_file(
    weights: object, features: Sequence[str], what: str, error: type[NewsfoldError], *, threshold: float | None = None
) -> Logistic:
    """A Logistic from a whole weight file's JSON: its feature names checked (check_features), then its numbers
    (logistic)."""
    spec = check_features(weights, features, what, error)
    return logistic(spec, len(features), what, error, threshold=threshold)
