"""Gradient-boosted trees as the package stores them (scikit-learn's GradientBoostingClassifier, dumped by
gradient_boosting_weights) and their evaluation with numpy: the kind model and the line model both use them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def gradient_boosting_weights(model: Any, x: np.ndarray, rate: float) -> dict[str, Any]:
    """A fitted binary GradientBoostingClassifier's trees, start value and learning rate, as stored (x: any rows it
    was fit on, to recover the start value)."""
    trees = []
    for estimator in model.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [int(v) for v in tree.feature],
                "threshold": [round(float(v), 6) for v in tree.threshold],
                "left": [int(v) for v in tree.children_left],
                "right": [int(v) for v in tree.children_right],
                "value": [round(float(v), 6) for v in tree.value[:, 0, 0]],
            }
        )
    raw = float(model.decision_function(x[:1])[0])
    init = raw - rate * sum(float(e.predict(x[:1])[0]) for e in model.estimators_[:, 0])
    return {"init": round(init, 6), "learning_rate": rate, "trees": trees}


class BoostedTrees:
    """The stored trees, every tree walked level by level over all rows at once."""

    def __init__(self, weights: dict[str, Any]) -> None:
        """Take stored weights (KeyError, TypeError or ValueError when they are malformed)."""
        self._init = float(weights["init"])
        self._rate = float(weights["learning_rate"])
        trees = weights["trees"]
        self._depth = max((_depth(t["left"], t["right"]) for t in trees), default=0)
        # every tree padded to one node count: one array per field, trees by rows
        size = max((len(t["feature"]) for t in trees), default=1)

        def padded(key: str, fill: float, dtype: type) -> np.ndarray:
            return np.array([[*t[key], *[fill] * (size - len(t[key]))] for t in trees] or [[fill]], dtype=dtype)

        # flat: node k of tree t is entry t * size + k; children point at flat entries, a leaf at itself
        offsets = (np.arange(max(len(trees), 1)) * size)[:, None]
        left, right = padded("left", -1, np.int64), padded("right", -1, np.int64)
        leaf = left < 0
        self._feature = np.maximum(padded("feature", 0, np.int64), 0).ravel()
        self._threshold = padded("threshold", 0.0, np.float64).ravel()
        self._left = (np.where(leaf, np.arange(size)[None, :], left) + offsets).ravel()
        self._right = (np.where(leaf, np.arange(size)[None, :], right) + offsets).ravel()
        self._value = padded("value", 0.0, np.float64).ravel()
        self._roots = offsets
        self._count = len(trees)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """For every row of x, the probability of the positive class."""
        n = x.shape[0]
        if n == 0 or self._count == 0:
            return np.full(n, 1.0 / (1.0 + math.exp(-self._init)))
        node = np.repeat(self._roots, n, axis=1)
        columns = np.ascontiguousarray(x.T)
        rows = np.arange(n)[None, :]
        for _ in range(self._depth):
            go_left = columns[self._feature[node], rows] <= self._threshold[node]
            node = np.where(go_left, self._left[node], self._right[node])
        z = self._init + self._rate * self._value[node].sum(axis=0)
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))
        return probability


def _depth(left: Sequence[int], right: Sequence[int]) -> int:
    """The depth of a tree given by its children arrays."""
    best = 0
    stack = [(0, 0)]
    while stack:
        node, depth = stack.pop()
        if left[node] < 0:
            best = max(best, depth)
            continue
        stack.extend([(left[node], depth + 1), (right[node], depth + 1)])
    return best
