"""The scoring tokens (also the fast path's check against the page's articleBody): Chinese, Japanese and Korean
runs split into characters, other words kept whole, and the shortcut for text without those scripts exact."""

from __future__ import annotations

import random

from newsfold.extract import evaluate
from newsfold.text.words import PLAIN

_PIECES = ("Word", "über", "état", " ", "-", "'", "2024", "東京", "ソウル", "서울", "中", "x", ".", "\u00a0", "İ")


def _per_word(text: str) -> list[str]:
    """The tokens as defined, word by word."""
    out: list[str] = []
    for word in PLAIN.findall(text.lower()):
        if evaluate._CJK.search(word):
            out.extend(word)
        else:
            out.append(word)
    return out


def test_tokens_split_cjk_runs_into_characters() -> None:
    """A Latin word stays whole, a CJK run is split."""
    assert evaluate.tokens("Tokyo 東京 Station") == ["tokyo", "東", "京", "station"]


def test_tokens_agree_with_the_word_by_word_definition_on_random_text() -> None:
    """tokens (which returns the words at once where the text holds no CJK character) against the definition word
    by word, on random text with and without CJK; a shortcut that skipped the check would fail on the CJK ones."""
    rng = random.Random(1616)
    cjk = 0
    for _ in range(5_000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))
        expected = _per_word(text)
        assert evaluate.tokens(text) == expected, text
        cjk += PLAIN.findall(text.lower()) != expected
    assert cjk > 1_000
