"""A calibrated logistic model over standardised features with its decision threshold, evaluated with numpy: the
shape both folding's pair model (fold/link/pairs.py) and the reading test (fold/features/legible.py) ship."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(slots=True, frozen=True)
class Logistic:
    """One calibrated logistic model over standardised features, with its decision threshold."""

    mean: NDArray[np.float64]
    scale: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: float
    threshold: float

    def probability(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(positive) of each row of features."""
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))
        return out

    def accepts(self, row: NDArray[np.float64]) -> bool:
        """Whether one row's probability reaches the threshold."""
        return bool(self.probability(row[None, :])[0] >= self.threshold)
