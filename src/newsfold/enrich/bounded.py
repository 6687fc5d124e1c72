"""A remembered function's answers, bounded: enrichment asks the same tokens and names again and again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remembered(answers: dict[K, V], key: K, make: Callable[[K], V], limit: int) -> V:
    """make(key), kept in answers (emptied when it holds limit of them)."""
    answer = answers.get(key)
    if answer is None:
        if len(answers) >= limit:
            answers.clear()
        answer = answers[key] = make(key)
    return answer
