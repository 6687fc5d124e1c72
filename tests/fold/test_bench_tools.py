"""The folding benchmarks' tools: fold_parts' timing of parts, pair_model_variants' held-out fits."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest
from benchmarks import fold_parts as parts
from benchmarks import pair_model_variants as variants
from benchmarks import train_pair_model as trainer


def test_timed_parts_adds_each_parts_cpu_and_restores_the_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrapped part's CPU seconds are counted under its label while inside; outside, the function is the original."""

    def busy() -> int:
        """Spend a little CPU."""
        end = time.process_time() + 0.02
        while time.process_time() < end:
            pass
        return 7

    owner = SimpleNamespace(work=busy)
    monkeypatch.setattr(parts, "PARTS", ((owner, "work", "the work"),))
    spent: dict[str, float] = {"the work": 0.0}
    with parts.timed_parts(spent):
        assert owner.work is not busy
        assert owner.work() == 7
    assert owner.work is busy
    assert spent["the work"] >= 0.015


def _samples() -> trainer.Samples:
    """Two sets whose same-story pairs the text cosine separates, each at its own cut (0.3 and 0.7)."""
    rng = np.random.default_rng(5)
    rows, same, half, source = [], [], [], []
    column = variants.FEATURES.index("text_cosine")
    for name, cut in (("short", 0.3), ("long", 0.7)):
        for i in range(200):
            label = i % 2
            row = rng.normal(0.0, 1.0, len(variants.FEATURES))
            row[column] = cut + (0.1 + 0.2 * rng.random()) * (1 if label else -1)
            rows.append(row)
            same.append(label)
            half.append((i // 2) % 2)
            source.append(name)
    count = len(same)
    return trainer.Samples(
        np.asarray(rows),
        np.asarray(same),
        np.full(count, -1),
        np.asarray(half),
        source,
        [str(i) for i in range(count)],
    )


def _f1(counts: dict[str, list[int]], name: str) -> float:
    """F1 of a set's pooled counts."""
    tp, fp, fn = counts[name]
    return 2 * tp / (2 * tp + fp + fn)


def test_variants_score_each_set_held_out() -> None:
    """The text cosine cut per set separates both sets; one cut for both cannot; the models see every feature."""
    samples = _samples()
    own = variants.cosine_variant(samples, per_set=True)
    assert _f1(own, "short") == 1.0 and _f1(own, "long") == 1.0
    shared = variants.cosine_variant(samples, per_set=False)
    assert min(_f1(shared, "short"), _f1(shared, "long")) < 0.9
    fitted = variants.fit_variant(samples, ["text_cosine"])
    assert sum(sum(c) for c in fitted.values()) > 0
    assert set(fitted) == {"short", "long"}
