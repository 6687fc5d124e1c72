"""Extractive highlights: taken from the articles, central, not repeating each other, publisher's kept apart."""

from __future__ import annotations

import math
import random

import pytest

from newsfold.enrich import highlights
from newsfold.enrich.highlights import HighlightSelector, Vector, _cosine, _normalise, for_reader
from newsfold.enrich.text import Sentence, article_sentences
from newsfold.language.majority import main_language
from newsfold.language.reader import OriginalOnly
from newsfold.model import Article, Origin, Paragraph
from tests.enrich.seeds import seed_article, seed_limited


def test_seed_highlights_are_extractive_and_diverse() -> None:
    a, b = seed_article(), seed_limited()
    selector = HighlightSelector()
    result = selector.select([a, b])
    assert 3 <= len(result.sentences) <= 5
    assert result.language == "en"
    every = {s.text for article in (a, b) for s in article_sentences(article)}
    assert all(sentence in every for sentence in result.sentences)
    # the publisher's highlights (seed 001) are not the story's
    assert b.highlights and not set(result.sentences) & set(b.highlights)
    vectors = selector._vectors(
        [s for article in (a, b) for s in article_sentences(article) if s.text in result.sentences]
    )
    for i, first in enumerate(vectors):
        for second in vectors[i + 1 :]:
            assert _cosine(first, second) < selector.redundancy
    # both copies tell the story; the chosen sentences name its core
    joined = " ".join(result.sentences)
    assert "Iraq" in joined


def test_one_sentence_said_twice_is_picked_once() -> None:
    lines = [
        "The central bank raised interest rates to fight inflation on Tuesday.",
        "The central bank raised interest rates to fight inflation on Tuesday.",
        "Farmers in the north said the drought had cut their harvest by half.",
        "The opposition called the decision a mistake that would hurt small firms.",
        "Markets fell sharply after the announcement of the rate increase.",
    ]
    article = Article(origin=Origin("x"), title="Bank raises rates", paragraphs=[Paragraph(t) for t in lines])
    chosen = HighlightSelector().select([article]).sentences
    assert chosen.count(lines[0]) == 1 and len(chosen) >= 3


def test_main_language_and_only_its_sentences() -> None:
    english = Article(
        origin=Origin("en"),
        language="en",
        paragraphs=[Paragraph("The minister resigned on Monday after weeks of protests in the capital city.")] * 1
        + [Paragraph("Thousands of people had marched through the streets demanding new elections soon.")]
        + [Paragraph("The president accepted the resignation and named an interim minister for the post.")],
    )
    german = Article(
        origin=Origin("de"),
        language="de",
        paragraphs=[
            Paragraph("Der Minister ist am Montag nach wochenlangen Protesten in der Hauptstadt zurückgetreten.")
        ],
    )
    assert main_language([german, english, english]) == "en"
    result = HighlightSelector().select([english, german])
    assert result.language == "en" and result.sentences
    assert not any("Minister ist" in s for s in result.sentences)


def test_reader_rendering_without_a_model_keeps_originals_with_a_note() -> None:
    article = Article(
        origin=Origin("de"),
        language="de",
        paragraphs=[Paragraph("Der Minister ist am Montag nach wochenlangen Protesten zurückgetreten.")],
    )
    highlights = HighlightSelector(minimum=1).select([article])
    rendered = for_reader(highlights, OriginalOnly(), "en")
    assert [r.text for r in rendered] == highlights.sentences
    assert all(r.note and not r.translated for r in rendered)


def test_empty_story() -> None:
    assert HighlightSelector().select([Article(origin=Origin("x"))]).sentences == []


def _diverse_by_definition(selector: HighlightSelector, scores: dict[int, float], vectors: list[Vector]) -> list[int]:
    """Maximal marginal relevance as first written: every sentence's overlap recomputed over all picked ones."""
    picked: list[int] = []
    remaining = dict(scores)
    while remaining and len(picked) < selector.count:
        best, best_value = -1, -math.inf
        for i, score in remaining.items():
            overlap = max((_cosine(vectors[i], vectors[j]) for j in picked), default=0.0)
            if overlap >= selector.redundancy:
                continue
            value = score - 0.5 * overlap
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        picked.append(best)
        del remaining[best]
        if len(picked) >= selector.minimum and best_value < 0.5 * scores[picked[0]]:
            break
    return picked


def test_diverse_choice_equals_its_definition() -> None:
    """Overlaps kept up to date pick by pick choose exactly what recomputing them over every pick chooses."""
    rng = random.Random(3)
    words = [f"w{i}" for i in range(12)]
    for _ in range(300):
        n = rng.randint(1, 30)
        vectors = [_normalise({w: rng.random() for w in rng.sample(words, rng.randint(1, 5))}) for _ in range(n)]
        scores = {i: rng.choice([0.5, rng.random()]) for i in rng.sample(range(n), rng.randint(1, n))}
        selector = HighlightSelector(count=rng.randint(1, 6), minimum=rng.randint(1, 3))
        assert selector._diverse(scores, vectors) == _diverse_by_definition(selector, scores, vectors)


def _brute_support(every: list[Sentence], vectors: list[dict[str, float]], i: int) -> int:
    """How many other articles have a sentence of cosine >= 0.3 to sentence i, pair by pair."""
    own = every[i].article_id
    return len(
        {
            s.article_id
            for s, v in zip(every, vectors, strict=True)
            if s.article_id != own and _cosine(vectors[i], v) >= 0.3
        }
    )


@pytest.mark.parametrize("margin", [highlights.MARGIN, 1.0])
def test_support_counts_what_comparing_every_pair_counts(margin: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """The matrix product's counts are those of _cosine pair by pair (margin 1.0: every cosine summed again)."""
    monkeypatch.setattr(highlights, "MARGIN", margin)
    rng = random.Random(19)
    words = [f"w{n}" for n in range(120)]
    every = [Sentence(f"s{n}", f"a{rng.randrange(5)}", n, 0) for n in range(60)]
    vectors = [
        highlights._normalise({w: rng.random() + 0.01 for w in rng.sample(words, rng.randint(1, 8))}) for _ in every
    ]
    vectors[7] = dict(vectors[3])  # a sentence said twice: cosine 1
    candidates = list(range(0, 60, 2))
    counts = highlights._support(every, vectors, candidates)
    assert counts == {i: _brute_support(every, vectors, i) for i in candidates}
    assert len(set(counts.values())) >= 3  # candidates backed by none, some and most of the other articles
