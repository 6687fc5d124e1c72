"""Extractive highlights: the story's most central sentences across its sources, none repeating another."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from threadpoolctl import ThreadpoolController

from newsfold.enrich.text import Sentence, article_sentences, content_words
from newsfold.language.majority import main_language
from newsfold.language.reader import ReaderTranslator, Rendering
from newsfold.model import Article

Vector = dict[str, float]
BACKED = 0.3  # the cosine from which another article's sentence backs a candidate highlight
MARGIN = 1e-9  # how far a matrix product's cosine may be from _cosine's before it is summed again
MAX_BAGS = 200_000  # sentences whose counted words a selector keeps before it forgets them all and starts again
_ANAPHORA = re.compile(r"[\"“‘']?(?:He|She|It|They|His|Her|Its|Their|This|These|Those|That|Such)\b")


@dataclass(slots=True, frozen=True)
class Highlights:
    """A story's highlight sentences and the language they are in."""

    sentences: list[str]
    language: str | None


def _cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit-normalised sparse vectors (their weights are positive: the terms missing from the longer
    one would add 0.0, which leaves the sum as it is, so only the shared ones are added, in the shorter's order)."""
    if len(a) > len(b):
        a, b = b, a
    return sum([w * b[t] for t, w in a.items() if t in b], 0.0)


def _normalise(counts: Mapping[str, float]) -> Vector:
    """A sparse vector scaled to unit length."""
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {t: v / norm for t, v in counts.items()} if norm else {}


def _support(every: Sequence[Sentence], vectors: Sequence[Vector], candidates: Sequence[int]) -> dict[int, int]:
    """For each candidate sentence, how many other articles have a sentence of cosine >= BACKED to it.

    The cosines of every candidate with every sentence come from one matrix product over the words written in two
    articles or more (the only ones a cosine across articles can share). BLAS adds in its own order, within
    MARGIN of the exact sum (a few hundred products of weights below 1 differ by ~1e-13); a cosine that close to
    BACKED is summed again as _cosine adds it, so the counts are those of comparing each pair with _cosine.
    """
    if not candidates:
        return {}
    articles = [s.article_id for s in every]
    writers: dict[str, set[str]] = defaultdict(set)
    for vector, article in zip(vectors, articles, strict=True):
        for term in vector:
            writers[term].add(article)
    columns = {term: k for k, term in enumerate(t for t, found in writers.items() if len(found) > 1)}
    matrix = np.zeros((len(vectors), len(columns)))
    for j, vector in enumerate(vectors):
        for term, weight in vector.items():
            k = columns.get(term)
            if k is not None:
                matrix[j, k] = weight
    names, owner = np.unique(np.array(articles), return_inverse=True)
    cosines = matrix[list(candidates)] @ matrix.T
    sure = cosines >= BACKED + MARGIN
    # per candidate and article: whether one of the article's sentences surely backs it
    backed = (sure.astype(np.float64) @ np.eye(len(names))[owner]) > 0
    backed[np.arange(len(candidates)), owner[list(candidates)]] = False
    counts = {i: int(n) for i, n in zip(candidates, backed.sum(axis=1).tolist(), strict=True)}
    rows, near = np.nonzero((cosines >= BACKED - MARGIN) & ~sure)
    for row, j in zip(rows.tolist(), near.tolist(), strict=True):
        i, other = candidates[row], int(owner[j])
        if other != owner[i] and not backed[row, other] and _cosine(vectors[i], vectors[j]) >= BACKED:
            backed[row, other] = True
            counts[i] += 1
    return counts


def _candidate(sentence: Sentence) -> bool:
    """Whether a sentence can stand alone as a highlight (length, not a question or a lead-in)."""
    text = sentence.text
    count = len(text.split())
    if count < 6 or count > 60 or text.endswith((":", "?")):
        return False
    return bool(re.search(r"[.!…\"”’»]$", text))


class HighlightSelector:
    """Chooses 3-5 sentences: central (TF-IDF centroid), early, backed by other sources, on the title; diverse."""

    def __init__(
        self,
        count: int = 5,
        minimum: int = 3,
        redundancy: float = 0.35,
        max_articles: int = 12,
        weights: tuple[float, float, float, float] = (0.3, 0.3, 0.15, 0.4),
    ) -> None:
        """Pick up to count sentences (at least minimum) from the first max_articles; weights of the four scores."""
        self.count = count
        self.minimum = minimum
        self.redundancy = redundancy
        self.weights = weights
        self.max_articles = max_articles
        # each sentence's content words counted, by its text (a pure function of it: a story enriched again in a
        # later batch, or an article in several stories, does not split and stem its sentences again)
        self._bags: dict[str, Counter[str]] = {}
        self._blas: ThreadpoolController | None = None  # found on first use (not pickled: a worker finds its own)

    def __getstate__(self) -> dict[str, object]:
        """What a pickle of it keeps (not the BLAS controller, which holds the loaded libraries)."""
        return {**self.__dict__, "_blas": None}

    def _support(
        self, every: Sequence[Sentence], vectors: Sequence[Vector], candidates: Sequence[int]
    ) -> dict[int, int]:
        """_support on one BLAS thread (its products are small: a second thread only spins on a busy core)."""
        if self._blas is None:
            self._blas = ThreadpoolController()  # finds numpy's BLAS once
        with self._blas.limit(limits=1, user_api="blas"):
            return _support(every, vectors, candidates)

    def select(self, articles: Sequence[Article]) -> Highlights:
        """The highlights of a story whose articles are given best-ranked first (original, copies, reports)."""
        articles = articles[: self.max_articles]  # the best-ranked ones carry the story; bounds the cost
        language = main_language(articles)
        every = [s for a in articles for s in article_sentences(a)]
        if not every:
            return Highlights([], language)
        lengths = Counter(s.article_id for s in every)
        titles = " ".join(a.title or "" for a in articles)
        vectors = self._vectors([*every, Sentence(titles, "", -1, -1)])
        title = vectors.pop()
        centroid = _normalise(Counter({t: w for v in vectors for t, w in v.items()}))
        chosen_language = {a.id for a in articles if a.language == language or language is None}
        candidates = [i for i, s in enumerate(every) if s.article_id in chosen_language and _candidate(s)]
        sources = len({s.article_id for s in every})
        support_counts = self._support(every, vectors, candidates) if sources > 1 else {}
        scores: dict[int, float] = {}
        for i in candidates:
            sentence = every[i]
            centrality = _cosine(vectors[i], centroid)
            position = 1.0 - sentence.index / max(1, lengths[sentence.article_id])
            support = 0.0
            if sources > 1:
                support = support_counts[i] / (sources - 1)
            w_centrality, w_position, w_support, w_title = self.weights
            topical = _cosine(vectors[i], title)
            score = w_centrality * centrality + w_position * position + w_support * support + w_title * topical
            # a sentence opening on a pronoun leans on the one before it: weak on its own
            scores[i] = score * (0.7 if _ANAPHORA.match(sentence.text) else 1.0)
        picked = self._diverse(scores, vectors)
        rank = {a.id: n for n, a in enumerate(articles)}
        picked.sort(key=lambda i: (rank.get(every[i].article_id, 99), every[i].index))
        return Highlights([every[i].text for i in picked], language)

    def _bag(self, text: str) -> Counter[str]:
        """The content words of a sentence, counted (kept for the last MAX_BAGS sentences; not to be changed)."""
        bag = self._bags.get(text)
        if bag is None:
            if len(self._bags) >= MAX_BAGS:
                self._bags.clear()
            bag = self._bags[text] = Counter(content_words(text))
        return bag

    def _vectors(self, sentences: Sequence[Sentence]) -> list[Vector]:
        """TF-IDF vectors of the sentences, IDF over the story's own sentences."""
        bags = [self._bag(s.text) for s in sentences]
        frequency: Counter[str] = Counter()
        for bag in bags:
            frequency.update(bag.keys())
        total = len(bags)
        return [
            _normalise({t: (1 + math.log(c)) * math.log(1 + total / frequency[t]) for t, c in bag.items()})
            for bag in bags
        ]

    def _diverse(self, scores: dict[int, float], vectors: list[Vector]) -> list[int]:
        """Maximal marginal relevance: best first, then the best that repeats none already picked."""
        picked: list[int] = []
        remaining = dict(scores)
        # each sentence's largest cosine with those picked so far, kept up to date as each is picked (the same
        # maximum as recomputing it over all of them, at one cosine per sentence and pick)
        overlaps = dict.fromkeys(remaining, 0.0)
        while remaining and len(picked) < self.count:
            best, best_value = -1, -math.inf
            for i, score in remaining.items():
                overlap = overlaps[i]
                if overlap >= self.redundancy:
                    continue
                value = score - 0.5 * overlap
                if value > best_value:
                    best, best_value = i, value
            if best < 0:
                break
            picked.append(best)
            del remaining[best]
            for i in remaining:
                overlaps[i] = max(overlaps[i], _cosine(vectors[i], vectors[best]))
            if len(picked) >= self.minimum and best_value < 0.5 * scores[picked[0]]:
                break
        return picked


def lead(article: Article, count: int = 3) -> list[str]:
    """The first count sentences of an article's body: the lead-3 baseline."""
    return [s.text for s in article_sentences(article)[:count]]


def for_reader(highlights: Highlights, translator: ReaderTranslator, target: str) -> list[Rendering]:
    """Highlights rendered in the reader's language where a model exists, else the originals with a note."""
    return translator.render_many(highlights.sentences, highlights.language, target)
