"""Text features for folding: tokens, translation-robust shingles, names, numbers, lead and term vectors."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter

import numpy as np
from numpy.typing import NDArray

from newsfold.model import Article

# a term vector: sorted hashed term ids and their counts (term_counts)
Terms = tuple[NDArray[np.int64], NDArray[np.float64]]

_WORD = re.compile(r"\w+", re.UNICODE)
_NAME = re.compile(r"(?<![\w.])(?:[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω][\w'’-]+)(?:\s+[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω][\w'’-]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# a sentence ends at . ! ? before a space, and at a CJK full stop with or without one (one look-behind per position:
# an alternation of two look-behinds made splitting ~1.8x slower)
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])(?:\s+|(?<=[。！？]))")
LEAD_SENTENCE = 40  # characters: a shorter first sentence ("Gov.", "41% of Pa.") takes the next one into the lead
# scripts written without spaces between words: a run of them is cut into character bigrams
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
TERM_BUCKETS = 1 << 20
# ASCII twins of the patterns: on ASCII text they match exactly what the Unicode ones match, about twice as fast
_WORD_A = re.compile(r"\w+", re.ASCII)
_NAME_A = re.compile(_NAME.pattern, re.ASCII)
_NUMBER_A = re.compile(_NUMBER.pattern, re.ASCII)
# spaces, quotes, dashes and other punctuation that English text carries (none is a word character: a test checks
# it): a space in their place changes no word run, and the text can then take the ASCII fast path
_PUNCT = "\u00a0\u00ab\u00ad\u00bb\u2000-\u206f"
_PUNCT_RUN = re.compile(f"[{_PUNCT}]+")
_OTHER_NON_ASCII = re.compile(f"[^\\x00-\\x7f{_PUNCT}]")


def ascii_words(folded: str) -> str | None:
    """folded with common punctuation spaced out, when that leaves it ASCII (its word runs unchanged); else None."""
    if folded.isascii():
        return folded
    if _OTHER_NON_ASCII.search(folded):
        return None
    return _PUNCT_RUN.sub(" ", folded)


def normalise(text: str) -> str:
    """Fold case and compatibility forms so copies that differ only in typography compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> list[str]:
    """Word tokens of text, case-folded; runs of unspaced scripts become character bigrams."""
    folded = normalise(text)
    plain = ascii_words(folded)
    if plain is not None:
        fast: list[str] = _WORD_A.findall(plain)
        return fast
    words: list[str] = _WORD.findall(folded)
    if not _UNSPACED.search(folded):  # the common case: no word needs cutting (one scan, not one per word)
        return words
    out: list[str] = []
    for word in words:
        if len(word) > 2 and _UNSPACED.search(word):
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            out.append(word)
    return out


_CONTENT = re.compile(r"\w{4,}|\d+", re.UNICODE)
_DIGITS_A = re.compile(r"\d+", re.ASCII)
# every ASCII character that is not a word character, to a space: split() then yields the \w+ runs
_NON_WORD_A = str.maketrans({chr(c): " " for c in range(128) if not _WORD_A.match(chr(c))})


def content_words_ascii(plain: str) -> set[str]:
    """_CONTENT's matches in ASCII text, as a set: the word runs of 4+ characters, and the digit runs of shorter
    ones (a 4+ run is matched whole from its start; a shorter run only by \\d+). Splitting is ~1.5x the regex's
    speed, and short words are dropped once each, not once an occurrence."""
    words = set(plain.translate(_NON_WORD_A).split())
    short = [w for w in words if len(w) < 4]
    words.difference_update(short)
    for word in short:
        if not word.isalpha():
            words.update(_DIGITS_A.findall(word))
    return words


def shingles(text: str) -> list[str]:
    """The copy-detection shingle set: content words (4+ letters) and numbers, case-folded.

    Translation drift changes word order, function words and most word n-grams (5-gram Jaccard of the seeds is
    0.15), so single content words, names and numbers carry the signal (their Jaccard on the seeds: 0.65).
    Unspaced scripts (Chinese, Japanese, Thai, ...) are cut into character bigrams.
    """
    folded = text.casefold()
    plain = ascii_words(folded)
    if plain is not None:
        return list(content_words_ascii(plain))
    if _UNSPACED.search(folded):
        return list(set(tokens(folded)))
    return list(set(_CONTENT.findall(folded)))


def names(text: str) -> set[str]:
    """Capitalised word runs (people, places, organisations) and numbers, case-folded: evidence across languages.

    A capitalised word that the text also uses in lower case ("After", "But") is a sentence start, not a name.
    """
    plain = text.isascii()  # not ascii_words(): a name may hold a curly apostrophe (O’Brien)
    return names_by(text, *((_WORD_A, _NAME_A, _NUMBER_A) if plain else (_WORD, _NAME, _NUMBER)))


def names_by(text: str, word: re.Pattern[str], name: re.Pattern[str], number: re.Pattern[str]) -> set[str]:
    """names() with the given word, name and number patterns (the ASCII fast ones or the Unicode definition)."""
    lower = set(word.findall(text))
    found: set[str] = set()
    for match in name.finditer(text):
        words = match.group(0).split()
        while words and words[0].lower() in lower:
            words.pop(0)
        if words and len(" ".join(words)) > 2:
            found.add(normalise(" ".join(words)))
    found.update(m.group(0).replace(",", "") for m in number.finditer(text) if len(m.group(0)) > 1)
    return found


def lead(article: Article, max_chars: int = 200) -> str:
    """Title and the first sentence of the body, the part a report of the same event shares (embedding cost grows
    with length, so it is capped)."""
    body = article.text.strip()
    parts = [article.title.strip()] if article.title else []
    if body:
        first = ""
        for sentence in _SENTENCE_END.split(body[: max_chars * 2]):
            if not sentence:
                continue
            first = f"{first} {sentence}" if first else sentence
            if len(first) >= LEAD_SENTENCE:
                break
        parts.append(first)
    return ". ".join(parts)[:max_chars]


def sentences(text: str, count: int = 6, max_chars: int = 240) -> tuple[str, ...]:
    """The first count sentences of a text (each cut at max_chars), the units a translation keeps in order."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE_END.split(paragraph.strip()):
            if len(sentence) >= 12:
                out.append(sentence[:max_chars])
                if len(out) == count:
                    return tuple(out)
    return tuple(out)


def title_words(title: str | None) -> frozenset[str]:
    """A title's words of three or more characters, case-folded (unspaced scripts as character bigrams)."""
    return (
        frozenset(w for w in tokens(title) if len(w) >= 3 or (len(w) == 2 and _UNSPACED.search(w)))
        if title
        else frozenset()
    )


def term_counts(words: list[str]) -> Terms:
    """Bag of hashed terms of a token list: sorted term buckets (crc32, stable across processes) and their counts."""
    counted = Counter(words)
    buckets = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in counted), dtype=np.int64, count=len(counted)
    ) & (TERM_BUCKETS - 1)
    terms, where = np.unique(buckets, return_inverse=True)
    counts = np.bincount(where, weights=np.fromiter(counted.values(), dtype=np.float64, count=len(counted)))
    return terms, counts.astype(np.float64)
