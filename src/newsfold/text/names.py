"""Names as keys: transliteration-aware keys under which spellings of one name meet (Soudani, Sudani, al-Sudani).

The enrich stage links entities by them and the store looks entities up by them, so they live below both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold_accents(text: str) -> str:
    """Strip diacritics: Mounès -> Mounes, Zürich -> Zurich."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_APOSTROPHES = re.compile(r"['’`ʼʻ\-]")
_REPEATED = re.compile(r"(.)\1+")
_SPACES = re.compile(r"\s+")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|ash|at|az|ul)[-‐ ](?=\w)", re.IGNORECASE)
_TRANSLIT = (
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("z", "s"),
    ("x", "ks"),
)


@lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """One word's transliteration-aware key: Soudani/Sudani/al-Sudani -> sudani, Akasha/Akashat -> akasha (a pure
    function of the word: the answers for the last 65,536 words are remembered)."""
    word = (word if word.isascii() else fold_accents(word)).lower().strip(".'’-")
    word = _ARTICLE_PREFIX.sub("", word)
    word = _APOSTROPHES.sub("", word)
    for old, new in _TRANSLIT:
        word = word.replace(old, new)
    word = _REPEATED.sub(r"\1", word)
    if len(word) >= 5 and word.endswith(("at", "ah")):
        word = word[:-1]
    if len(word) >= 5 and word.endswith("h"):
        word = word[:-1]
    return word


def span_key(name: str) -> str:
    """A whole name's key: each word's key, joined by spaces (leading 'the' dropped)."""
    parts = [name_key(w) for w in _SPACES.split(name.strip()) if w]
    if parts and parts[0] == "the":
        parts = parts[1:]
    return " ".join(p for p in parts if p)
