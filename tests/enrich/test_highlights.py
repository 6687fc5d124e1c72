"""Extractive highlights: taken from the articles, central, not repeating each other, publisher's kept apart."""

from __future__ import annotations

from newsfold.enrich.highlights import HighlightSelector, _cosine, for_reader
from newsfold.enrich.text import article_sentences
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
