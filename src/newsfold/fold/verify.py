"""Scores for a candidate pair: is it a copy (same text, any route), a report of the same event, or neither."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

DAY = 86400.0


@dataclass(slots=True, frozen=True)
class Thresholds:
    """Where the scores decide: copy above copy_cosine (or high containment), report above report_score."""

    copy_cosine: float = 0.5
    copy_containment: float = 0.8
    report_score: float = 0.62
    window_days: float = 7.0


def tfidf_cosine(a: Counter[int], b: Counter[int], idf: Callable[[int], float]) -> float:
    """Cosine of two hashed-term bags weighted by sublinear tf times idf."""
    if not a or not b:
        return 0.0
    weights: dict[int, float] = {}

    def weight(counts: Counter[int]) -> dict[int, float]:
        """Sublinear tf-idf weights of one bag."""
        out = {}
        for term, count in counts.items():
            w = weights.get(term)
            if w is None:
                w = weights[term] = idf(term)
            out[term] = (1.0 + math.log(count)) * w
        return out

    wa, wb = weight(a), weight(b)
    if len(wa) > len(wb):
        wa, wb = wb, wa
    dot = sum(v * wb.get(t, 0.0) for t, v in wa.items())
    norm = math.sqrt(sum(v * v for v in wa.values())) * math.sqrt(sum(v * v for v in wb.values()))
    return dot / norm if norm else 0.0


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller shingle set the larger one holds (a copy with paragraphs dropped scores high)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) < 20:
        return 0.0
    return len(small & large) / len(small)


def name_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared names and numbers over the smaller set (0 when either has none)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def time_factor(a: float, b: float, window_days: float) -> float:
    """1 for the same moment, falling to 0 at the window's edge; 0.5 when either time is unknown."""
    if math.isnan(a) or math.isnan(b):
        return 0.5
    gap = abs(a - b) / DAY
    return max(0.0, 1.0 - gap / window_days)


def report_score(cosine: float, names: float, time: float) -> float:
    """Evidence that two texts report the same event: lead embeddings, shared names and numbers, time."""
    return cosine + 0.25 * names + 0.1 * time
