"""What differs between two versions of one text: sentences aligned, differing ones marked, changed words listed."""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from math import sqrt
from typing import Literal

Status = Literal["same", "changed", "only_a", "only_b"]

_SENTENCE = re.compile(r"(?<=[.!?…»”\"])\s+(?=[\"“«A-ZÀ-ÖØ-Þ0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)
_SPELLED = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
MAX_SENTENCES = 400  # alignment is quadratic: longer texts are compared on their first sentences only


@dataclass(slots=True, frozen=True)
class AlignedPair:
    """One aligned unit: a sentence of version a, of version b, or both, with how alike they are.

    differences lists, for a changed pair, the word runs that differ as (in a, in b), e.g. ("Akasha", "Akashat").
    """

    a: str | None
    b: str | None
    similarity: float
    status: Status
    differences: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True, frozen=True)
class CopyDifference:
    """Two versions of one text in a story and their aligned sentences."""

    a_id: str
    b_id: str
    pairs: list[AlignedPair] = field(default_factory=list)

    @property
    def changed(self) -> list[AlignedPair]:
        """The aligned pairs that are not the same."""
        return [p for p in self.pairs if p.status != "same"]


def sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph."""
    out: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        out.extend(s.strip() for s in _SENTENCE.split(paragraph.strip()) if s.strip())
    return out


def _words(sentence: str) -> list[str]:
    """A sentence's words, case-folded (punctuation and quote marks dropped)."""
    return [w.casefold() for w in _WORD.findall(sentence)]


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bags of words."""
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (sqrt(sum(v * v for v in a.values())) * sqrt(sum(v * v for v in b.values())))


def word_differences(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """The runs of words that differ between two aligned sentences, as (in a, in b)."""
    wa, wb = _SPELLED.findall(a), _SPELLED.findall(b)
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in wa], b=[w.casefold() for w in wb], autojunk=False)
    return tuple(
        (" ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def align(a_text: str, b_text: str, *, same: float = 0.999, match: float = 0.35) -> list[AlignedPair]:
    """Align two versions' sentences in order (monotone dynamic programming over word cosine).

    A pair is "same" when its words agree (case, punctuation and quote marks aside), else "changed" with the
    differing word runs listed; unmatched sentences are "only_a" or "only_b".
    """
    a_s, b_s = sentences(a_text)[:MAX_SENTENCES], sentences(b_text)[:MAX_SENTENCES]
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
                diffs = word_differences(a_s[i - 1], b_s[j - 1])
                pairs.append(AlignedPair(a_s[i - 1], b_s[j - 1], sim, "changed", diffs))
            i, j = i - 1, j - 1
        elif how == 1:
            pairs.append(AlignedPair(a_s[i - 1], None, 0.0, "only_a"))
            i -= 1
        else:
            pairs.append(AlignedPair(None, b_s[j - 1], 0.0, "only_b"))
            j -= 1
    pairs.reverse()
    return pairs


def copy_pairs(conn: sqlite3.Connection, story_id: str, limit: int = 20) -> list[tuple[str, str]]:
    """Which versions of a story to compare: each copy with what it copies (or, for copies of an outside
    original, with the earliest copy of the same original), at most limit pairs."""
    rows = conn.execute(
        "SELECT id, relation, copy_of FROM articles WHERE story_id = ? AND relation = 'copy' "
        "ORDER BY coalesce(published, '~'), id",
        (story_id,),
    ).fetchall()
    members = {r[0] for r in conn.execute("SELECT id FROM articles WHERE story_id = ?", (story_id,))}
    first_of: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for article_id, _, copy_of in rows:
        if copy_of in members:
            out.append((copy_of, article_id))
        elif copy_of in first_of:
            out.append((first_of[copy_of], article_id))
        else:
            first_of[copy_of] = article_id
    return out[:limit]


def story_differences(conn: sqlite3.Connection, story_id: str, limit: int = 20) -> list[CopyDifference]:
    """Pairs of copies in a story with their aligned sentences, differing ones marked (for the site)."""
    from newsfold.store.stories import resolve_story_id

    live = resolve_story_id(conn, story_id)
    if live is None:
        return []
    texts = dict(conn.execute("SELECT id, text FROM articles WHERE story_id = ?", (live,)).fetchall())
    return [CopyDifference(a, b, align(texts[a], texts[b])) for a, b in copy_pairs(conn, live, limit)]
