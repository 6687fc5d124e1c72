"""The ASCII fast paths of folded_words, shingles, names and name keys give exactly what the Unicode patterns give."""

from __future__ import annotations

import csv
import html
import json
import random
import re

import regex

from newsfold.fold.features.text import (
    _NAME,
    _NUMBER,
    _WORD_OR_NUMBER,
    _WORD_OR_NUMBER_A,
    CONTENT_WORD,
    names,
    names_by,
    shingles,
)
from newsfold.text.words import PLAIN as _WORD
from newsfold.text.words import PUNCT_RUN as _PUNCT_RUN
from newsfold.text.words import UNSPACED as _UNSPACED
from newsfold.text.words import ascii_words, folded_words, normalise
from tests.conftest import data_dir

TRICKY = [
    "Plain ASCII text, with numbers 3.14 and 1,000,000 and a_b_c words.",
    "O’Brien said “it’s over” — the end… of an era – 2020‒2021",
    "No\u00a0break\u202fspaces\u2009thin and \u200bzero width, soft\u00adhyphen «guillemets»",
    "ﬁnal ligature, full-width Ｔｅｓｔ １２３, superscript x² and ½ a cup",
    "Straße GROSS İstanbul ǅemal Ωmega",
    "東京で地震 and English",
    "Mixed ‘quotes’ with ‹angles› and ‼ bangs ⁂ asterism",
    "",
]


def _tokens_unicode(text: str) -> list[str]:
    """folded_words() by the Unicode patterns only (the definition)."""
    words: list[str] = _WORD.findall(normalise(text))
    out: list[str] = []
    for word in words:
        if len(word) > 2 and _UNSPACED.search(word):
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            out.append(word)
    return out


def _shingles_unicode(text: str) -> set[str]:
    """shingles() by the Unicode patterns only (the definition)."""
    folded = text.casefold()
    if _UNSPACED.search(folded):
        return set(_tokens_unicode(folded))
    return set(regex.findall(CONTENT_WORD, folded))


def _names_unicode(text: str) -> set[str]:
    """names() by the Unicode patterns only (the definition)."""
    return names_by(text, _WORD, _NAME, _NUMBER)


def _check(texts: list[str]) -> int:
    """Assert the fast paths agree on every text; return how many took the ASCII path."""
    fast = 0
    for text in texts:
        assert folded_words(text) == _tokens_unicode(text), text[:80]
        assert set(shingles(text)) == _shingles_unicode(text), text[:80]
        assert names(text) == _names_unicode(text), text[:80]
        if text.isascii():  # name_keys' words: the ASCII twin is only asked about ASCII text
            assert _WORD_OR_NUMBER_A.findall(text) == _WORD_OR_NUMBER.findall(text), text[:80]
        fast += ascii_words(normalise(text)) is not None
    return fast


def test_fast_paths_on_tricky_text() -> None:
    """Curly quotes, dashes, odd spaces, ligatures, full-width forms and mixed scripts: the same results."""
    assert _check(TRICKY) >= 4
    assert (ascii_words("it’s “quoted” — yes") or "").split() == ["it", "s", "quoted", "yes"]
    assert ascii_words("東京") is None


def test_spaced_out_characters_are_not_word_characters() -> None:
    """No character the fast path spaces out is a word character (so no word run changes)."""
    spaced = [chr(c) for c in range(0x80, 0x2100) if _PUNCT_RUN.fullmatch(chr(c))]
    assert len(spaced) == 116 and not any(_WORD.match(c) for c in spaced)


def test_fast_paths_on_random_punctuation() -> None:
    """Words glued by random characters from the replaced ranges (and a few letters near them) agree."""
    rng = random.Random(5)
    pool = [chr(c) for c in (*range(0x2000, 0x2075), 0xA0, 0xAB, 0xAD, 0xBB, 0xB2, 0xE9)] + list("ab1 _-.,'")
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 60))) + " Word word" for _ in range(500)]
    _check(texts)


def test_fast_paths_on_development_data() -> None:
    """Every wikinews-en article and itn-dev blurb gives the same tokens, shingles and names both ways."""
    wikinews = data_dir("wikinews-en")
    csv.field_size_limit(1 << 30)
    texts: list[str] = []
    with (wikinews / "wikinews_2019.csv").open(encoding="utf-8", newline="") as handle:
        texts += [row["title"] + "\n" + row["text"][:3000] for row in csv.DictReader(handle)]
    data = json.loads((data_dir("itn-dev") / "corpus-dev.json").read_text(encoding="utf-8"))
    texts += [html.unescape(re.sub(r"<[^>]+>", "", b["blurb"])) for topic in data.values() for b in topic.values()]
    assert _check(texts) > len(texts) // 5


def test_ascii_content_words_split_like_the_pattern() -> None:
    """The split-based ASCII shingles equal the pattern's matches on short and long runs of letters, digits and
    underscores glued by every kind of ASCII non-word character (tabs, control characters, punctuation)."""
    rng = random.Random(7)
    glue = [chr(c) for c in range(128) if not re.match(r"\w", chr(c), re.ASCII)]
    pool = list("aZ19_") * 6 + glue
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 80))) for _ in range(2000)]
    texts += ["ab1 x_12 12 a1b2 abcd_ 1234 __1 a 7th 3.14 x9 don't 2024-05-01"]
    assert all(set(shingles(text)) == _shingles_unicode(text) for text in texts)
    assert set(shingles(texts[-1])) == {
        "x_12",
        "12",
        "a1b2",
        "abcd_",
        "1234",
        "1",
        "7",
        "3",
        "14",
        "9",
        "2024",
        "05",
        "01",
    }


def test_ascii_name_key_words_split_like_the_pattern() -> None:
    """name_keys' ASCII word pattern finds what the Unicode one finds in ASCII text: letters with apostrophes,
    digit runs, and every ASCII character between them."""
    rng = random.Random(19)
    pool = list("aZq'09") * 8 + [chr(c) for c in range(128)]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(0, 80))) for _ in range(3000)]
    texts.append("O'Brien's 2024 plan: don't stop 'quoted' x9y 3.14 ''")
    assert all(_WORD_OR_NUMBER_A.findall(text) == _WORD_OR_NUMBER.findall(text) for text in texts)
    assert _WORD_OR_NUMBER_A.findall(texts[-1]) == [
        "O'Brien's", "2024", "plan", "don't", "stop", "quoted'", "x", "9", "y", "3", "14",
    ]  # fmt: skip
