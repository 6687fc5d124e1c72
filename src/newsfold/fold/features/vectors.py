"""Embedding rows made unit length, the form every embedder hands out."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def normalised(vectors: NDArray[Any]) -> NDArray[np.float32]:
    """Rows scaled to unit length (zero rows stay zero)."""
    out: NDArray[np.float32] = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    result: NDArray[np.float32] = np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)
    return result
