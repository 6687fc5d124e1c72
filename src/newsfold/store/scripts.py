"""Scripts written without spaces between words, and how search splits a query into words."""

from __future__ import annotations

import re
import unicodedata

# Code point ranges of the scripts searched inside words: those whose words are not separated by spaces (Thai, Lao,
# Tibetan, Myanmar, Khmer, the CJK ideographs, kana, Bopomofo, Yi) and those whose words carry the particles and
# postpositions written together with them (Hangul; the Indic scripts of Nepali, Marathi, Bengali, Tamil, Telugu,
# Kannada, Malayalam, Sinhala: "संयुक्त अधिराज्यको" is "of the United Kingdom").
# Text in them is indexed by trigram (migrations/0009_search_scripts.sql, whose stored pattern is search_pattern():
# tests/store/test_search_scripts.py checks it).
SPACELESS_RANGES: tuple[tuple[int, int], ...] = (
    (0x0900, 0x0DFF),  # Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1000, 0x109F),  # Myanmar
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x1780, 0x17FF),  # Khmer
    (0x2E80, 0x2FDF),  # CJK and Kangxi radicals
    (0x3005, 0x3007),  # ideographic iteration mark, closing mark, number zero
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31BF),  # Bopomofo, Hangul compatibility Jamo, Kanbun, Bopomofo extended
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA000, 0xA4CF),  # Yi
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFFDC),  # halfwidth Katakana and Hangul
    (0x20000, 0x3134F),  # CJK extensions B to G, compatibility supplement
)


_SPACELESS = re.compile(
    "[" + "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in SPACELESS_RANGES) + "]"
)


def has_spaceless(text: str | None) -> bool:
    """Whether text has any character of a script searched inside words (what search_pattern() matches)."""
    return bool(text) and _SPACELESS.search(text or "") is not None


def is_spaceless_char(char: str) -> bool:
    """Whether one character belongs to a script written without spaces between words."""
    point = ord(char)
    return any(low <= point <= high for low, high in SPACELESS_RANGES)


def is_spaceless(word: str) -> bool:
    """Whether a word has any character of a script written without spaces between words."""
    return any(is_spaceless_char(char) for char in word)


def search_pattern() -> str:
    """The GLOB pattern that matches text with a character of such a script (as the migration stores it)."""
    return "*[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in SPACELESS_RANGES) + "]*"


def search_regex() -> str:
    """The regular expression that matches text with a character of such a script (as PostgreSQL's migration
    stores it, in its escapes)."""

    def escaped(point: int) -> str:
        """One code point as a PostgreSQL regular expression escape."""
        return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"

    return "[" + "".join(f"{escaped(low)}-{escaped(high)}" for low, high in SPACELESS_RANGES) + "]"


def _word_char(char: str) -> bool:
    """Whether the word index keeps char inside a word: letters, numbers, marks, private use (as unicode61 does)."""
    category = unicodedata.category(char)
    return category[0] in "LNM" or category == "Co"


def query_words(text: str) -> list[str]:
    """The words of a query, split where the word index splits text (tokenize 'L* N* Co M*')."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if _word_char(char):
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words
