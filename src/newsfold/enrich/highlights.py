"""Extractive highlights: the story's most central sentences across its sources, none repeating another."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsfold.enrich.text import Sentence, article_sentences, content_words
from newsfold.language.majority import main_language
from newsfold.language.reader import ReaderTranslator, Rendering
from newsfold.model import Article

Vector = dict[str, float]
_ANAPHORA = re.compile(r"[\"“‘']?(?:He|She|It|They|His|Her|Its|Their|This|These|Those|That|Such)\b")


@dataclass(slots=True, frozen=True)
class Highlights:
    """A story's highlight sentences and the language they are in."""

    sentences: list[str]
    language: str | None


def _cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit-normalised sparse vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def _normalise(counts: Mapping[str, float]) -> Vector:
    """A sparse vector scaled to unit length."""
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {t: v / norm for t, v in counts.items()} if norm else {}


def _postings(vectors: Sequence[Vector]) -> dict[str, list[int]]:
    """For each word, the sentences (by index) whose vector holds it."""
    postings: dict[str, list[int]] = defaultdict(list)
    for j, vector in enumerate(vectors):
        for term in vector:
            postings[term].append(j)
    return postings


def _backing(
    i: int, every: Sequence[Sentence], vectors: Sequence[Vector], sharing: Mapping[str, list[int]]
) -> set[str]:
    """The other articles with a sentence of cosine >= 0.3 to sentence i (only sentences sharing a word with it can
    have one: the rest are 0; an article already found is not looked at again)."""
    own = every[i].article_id
    backed: set[str] = set()
    for j in {j for term in vectors[i] for j in sharing[term]}:
        other = every[j].article_id
        if other != own and other not in backed and _cosine(vectors[i], vectors[j]) >= 0.3:
            backed.add(other)
    return backed


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
        sharing = _postings(vectors)
        scores: dict[int, float] = {}
        for i in candidates:
            sentence = every[i]
            centrality = _cosine(vectors[i], centroid)
            position = 1.0 - sentence.index / max(1, lengths[sentence.article_id])
            support = 0.0
            if sources > 1:
                support = len(_backing(i, every, vectors, sharing)) / (sources - 1)
            w_centrality, w_position, w_support, w_title = self.weights
            topical = _cosine(vectors[i], title)
            score = w_centrality * centrality + w_position * position + w_support * support + w_title * topical
            # a sentence opening on a pronoun leans on the one before it: weak on its own
            scores[i] = score * (0.7 if _ANAPHORA.match(sentence.text) else 1.0)
        picked = self._diverse(scores, vectors)
        rank = {a.id: n for n, a in enumerate(articles)}
        picked.sort(key=lambda i: (rank.get(every[i].article_id, 99), every[i].index))
        return Highlights([every[i].text for i in picked], language)

    @staticmethod
    def _vectors(sentences: Sequence[Sentence]) -> list[Vector]:
        """TF-IDF vectors of the sentences, IDF over the story's own sentences."""
        bags = [Counter(content_words(s.text)) for s in sentences]
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
