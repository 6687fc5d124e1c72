"""What differs between two versions of one text: sentences aligned in order, each pair same or changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import sqrt
from typing import Literal

from newsfold.text.sentences import alignment_sentences
from newsfold.text.words import plain_words

Status = Literal["same", "changed", "only_a", "only_b"]

MAX_SENTENCES = 400  # alignment is quadratic: longer texts are compared on their first sentences only


@dataclass(slots=True, frozen=True)
class AlignedPair:
    """One aligned unit: a sentence of version a, of version b, or both, with how alike they are (the site marks
    the words that differ: web/story/differences.py)."""

    a: str | None
    b: str | None
    similarity: float
    status: Status


def _words(sentence: str) -> list[str]:
    """A sentence's words, case-folded (punctuation and quote marks dropped)."""
    return [w.casefold() for w in plain_words(sentence)]


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bags of words."""
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (sqrt(sum(v * v for v in a.values())) * sqrt(sum(v * v for v in b.values())))


def align(a_text: str, b_text: str, *, same: float = 0.999, match: float = 0.35) -> list[AlignedPair]:
    """Align two versions' sentences in order (monotone dynamic programming over word cosine).

    A pair is "same" when its words agree (case, punctuation and quote marks aside), else "changed"; unmatched
    sentences are "only_a" or "only_b".
    """
    a_s, b_s = alignment_sentences(a_text)[:MAX_SENTENCES], alignment_sentences(b_text)[:MAX_SENTENCES]
    a_w, b_w = [_words(s) for s in a_s], [_words(s) for s in b_s]
    a_v, b_v = [Counter(w) for w in a_w], [Counter(w) for w in b_w]
    n, m = len(a_s), len(b_s)
    # score[i][j]: best total similarity aligning a[:i] with b[:j]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            sim = cosine(a_v[i - 1], b_v[j - 1])
            if sim >= match:
                sims[(i - 1, j - 1)] = sim
                if score[i - 1][j - 1] + sim > best:
                    best, how = score[i - 1][j - 1] + sim, 3
            score[i][j], move[i][j] = best, how
    pairs: list[AlignedPair] = []
    i, j = n, m
    while i > 0 or j > 0:
        how = move[i][j] if i > 0 and j > 0 else (1 if i > 0 else 2)
        if how == 3:
            sim = sims[(i - 1, j - 1)]
            if sim >= same and a_w[i - 1] == b_w[j - 1]:
                pairs.append(AlignedPair(a_s[i - 1], b_s[j - 1], sim, "same"))
            else:
                pairs.append(AlignedPair(a_s[i - 1], b_s[j - 1], sim, "changed"))
            i, j = i - 1, j - 1
        elif how == 1:
            pairs.append(AlignedPair(a_s[i - 1], None, 0.0, "only_a"))
            i -= 1
        else:
            pairs.append(AlignedPair(None, b_s[j - 1], 0.0, "only_b"))
            j -= 1
    pairs.reverse()
    return pairs
