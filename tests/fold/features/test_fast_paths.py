"""The vectorised fast paths give what the plain versions give: tf-idf cosines, shingles, lead embeddings."""

from __future__ import annotations

import random

import numpy as np
import regex

from newsfold.fold.features.embed import UseEmbedder
from newsfold.fold.features.text import CONTENT_WORD, shingles, term_counts
from newsfold.fold.link.verify import tfidf_cosine, tfidf_cosines
from newsfold.text.words import folded_words

TRICKY = "ab1 X22 ٣٣ a_1 abcd1 12345 a1b2 é1 ½ ²3 _9_ ab½c foo-bar 3.14 a,b,c,1,2,3 ǅemal ß1 東京は晴れ"


def test_batched_cosines_equal_pairwise() -> None:
    """tfidf_cosines of one bag against many equals tfidf_cosine pair by pair (empty bags, identical bags)."""
    rng = random.Random(11)
    df = np.asarray([rng.randrange(50) for _ in range(1 << 20)], dtype=np.int32)

    def bag(size: int) -> tuple[np.ndarray, np.ndarray]:
        """A bag of size Zipf-ish words."""
        return term_counts([f"w{int(rng.paretovariate(1.1))}" for _ in range(size)])

    for _ in range(50):
        a = bag(rng.randrange(1, 300))
        others = [bag(rng.randrange(0, 300)) for _ in range(rng.randrange(0, 12))] + [a, bag(0)]
        got = tfidf_cosines(a, others, df, 1000)
        want = [tfidf_cosine(a, b, df, 1000) for b in others]
        assert np.allclose(got, want, rtol=0, atol=1e-12)
        assert abs(got[-2] - 1.0) < 1e-9
    assert len(tfidf_cosines(bag(0), [bag(5)], df, 10)) == 1


def test_shingles_are_the_content_word_regex() -> None:
    """shingles() is the set of content words (re's word characters and combining marks) and numbers, digit runs
    inside short words included; a Tamil word is one word, not cut at its vowel signs."""
    content = regex.compile(CONTENT_WORD)
    spaced = TRICKY.replace("東京は晴れ", "")
    assert set(shingles(spaced)) == set(content.findall(spaced.casefold()))
    assert {"3", "14", "12345", "abcd1", "22", "٣٣", "1", "ǆemal"} <= set(shingles(spaced))
    assert set(shingles("நாடாளுமன்றத்தைக் கலைக்கும்")) == {"நாடாளுமன்றத்தைக்", "கலைக்கும்"}
    assert "東京" in folded_words(TRICKY) and "ab1" in folded_words(TRICKY)


def test_repeated_leads_embed_once_and_alike(embedder: UseEmbedder) -> None:
    """A lead repeated in a batch (or seen before) gets the same vector; unreadable texts get zero rows."""
    fresh = UseEmbedder(memory=2)
    texts = ["Storm hits the coast of Florida", "", "Storm hits the coast of Florida", "Parliament votes on budget"]
    out = fresh.encode(texts)
    assert np.array_equal(out[0], out[2]) and not np.any(out[1])
    assert np.allclose(out, embedder.encode(texts), atol=1e-6)
    again = fresh.encode(["Parliament votes on budget", "A third lead about elections", "Storm hits the coast"])
    assert np.array_equal(again[0], out[3]) and len(fresh._known) == 2
