"""Text features for folding: translation-robust shingles, names, numbers, lead, sentences and term vectors (words
are text.words.folded_words, sentences text.sentences.stop_sentences)."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np
import regex
from anyascii import anyascii
from numpy.typing import NDArray

from newsfold.model import Article
from newsfold.text.names import name_key
from newsfold.text.sentences import stop_sentences
from newsfold.text.words import PLAIN, PLAIN_ASCII, UNSPACED, ascii_words, folded_words, normalise

# a term vector: sorted hashed term ids and their counts (term_counts)
Terms = tuple[NDArray[np.int64], NDArray[np.float64]]

_NAME = re.compile(r"(?<![\w.])(?:[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω][\w'’-]+)(?:\s+[A-ZÀ-ÖØ-ÞĀ-ſА-ЯΑ-Ω][\w'’-]+)*")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LEAD_SENTENCE = 40  # characters: a shorter first sentence ("Gov.", "41% of Pa.") takes the next one into the lead
TERM_BUCKETS = 1 << 20
# ASCII twins of the patterns: on ASCII text they match exactly what the Unicode ones match, about twice as fast
_NAME_A = re.compile(_NAME.pattern, re.ASCII)
_NUMBER_A = re.compile(_NUMBER.pattern, re.ASCII)
# re's \w with combining marks: re alone split a Tamil, Sinhala or Devanagari word at each vowel sign, so such
# texts had no content words (too little text for any pair decision)
CONTENT_WORD = r"[\p{L}\p{N}\p{M}_]{4,}|\d+"
_CONTENT = regex.compile(CONTENT_WORD)
_DIGITS_A = re.compile(r"\d+", re.ASCII)
# every ASCII character that is not a word character, to a space: split() then yields the \w+ runs
_NON_WORD_A = str.maketrans({chr(c): " " for c in range(128) if not PLAIN_ASCII.match(chr(c))})


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
    if UNSPACED.search(folded):
        return list(set(folded_words(folded)))
    return list(set(_CONTENT.findall(folded)))


def names(text: str) -> set[str]:
    """Capitalised word runs (people, places, organisations) and numbers, case-folded: evidence across languages.

    A capitalised word that the text also uses in lower case ("After", "But") is a sentence start, not a name.
    """
    plain = text.isascii()  # not ascii_words(): a name may hold a curly apostrophe (O’Brien)
    return names_by(text, *((PLAIN_ASCII, _NAME_A, _NUMBER_A) if plain else (PLAIN, _NAME, _NUMBER)))


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


_WORD_OR_NUMBER = regex.compile(r"\p{L}[\p{L}\p{M}'’]*|\p{Nd}+")
# its ASCII twin: on ASCII text it finds exactly the same words (ASCII holds no marks and no ’), in re's faster engine
_WORD_OR_NUMBER_A = re.compile(r"[A-Za-z][A-Za-z']*|[0-9]+")
_VOWELS = str.maketrans("", "", "aeiouy")
_SOUNDS = str.maketrans("pdgvhz", "btkfks")  # voiced and voiceless consonants, letters that romanise one sound
NAME_KEYS = 16  # a text's first this many distinct keys are kept (the fold index holds them as 16 slots)


def skeleton(key: str) -> str:
    """A name key's consonants, voiced and voiceless ones merged, repeats dropped: romanisations of one name from
    different scripts meet here (Zelensky and Зеленский both slnsk; Biden and பைடன் both btn)."""
    consonants = key[0] + key[1:].translate(_VOWELS) if key else ""
    merged = consonants.translate(_SOUNDS)
    return "".join(c for i, c in enumerate(merged) if i == 0 or c != merged[i - 1])


def name_keys(text: str, limit: int = NAME_KEYS) -> tuple[str, ...]:
    """Names and numbers of a text in any script as ASCII keys, in order of first appearance: a capitalised word
    that the text does not also write in lower case, or any word of a script without capitals (Georgian, Tamil,
    Devanagari, Arabic), romanised (anyascii) and keyed (text.names.name_key, 4+ letters) with its skeleton
    ("~" + skeleton, 3+ letters); numbers of 2+ digits in ASCII digits ("#2024"). A Greek or Georgian report naming
    Ζελένσκι or ზელენსკი shares keys with an English one naming Zelensky."""
    ascii_text = text.isascii()
    words: list[str] = (_WORD_OR_NUMBER_A if ascii_text else _WORD_OR_NUMBER).findall(text)
    lower = {w for w in words if w.islower()}
    out: dict[str, None] = {}
    # in ASCII a word starting in lower case is never a key (the test below skips it): leave those out at once
    for word in [w for w in words if not w[0].islower()] if ascii_text else words:
        if len(out) >= limit:
            break
        if word[0].isdecimal():
            if len(word) >= 2:
                out.setdefault(f"#{int(word)}", None)
            continue
        first = word[0]
        caseless = first.title() == first == first.lower()  # a script without capitals (Mkhedruli titles as itself)
        if not caseless and (not first.isupper() or word.lower() in lower):
            continue
        for key in word_keys(word):
            out.setdefault(key, None)
    return tuple(out)[:limit]


@lru_cache(maxsize=1 << 16)
def word_keys(word: str) -> tuple[str, ...]:
    """One name's keys: its romanised name key (4+ letters) and its skeleton (3+), or none (a pure function of the
    word: the answers for the last 65,536 words are remembered)."""
    key = name_key(anyascii(word))
    if len(key) < 4 or not key.isalpha() or not key.isascii():
        return ()
    bones = skeleton(key)
    return (key, f"~{bones}") if len(bones) >= 3 else (key,)


def lead(article: Article, max_chars: int = 200) -> str:
    """Title and the first sentence of the body, the part a report of the same event shares (embedding cost grows
    with length, so it is capped)."""
    body = article.text.strip()
    parts = [article.title.strip()] if article.title else []
    if body:
        first = ""
        for sentence in stop_sentences(body[: max_chars * 2]):
            first = f"{first} {sentence}" if first else sentence
            if len(first) >= LEAD_SENTENCE:
                break
        parts.append(first)
    return ". ".join(parts)[:max_chars]


def sentences(text: str, count: int = 6, max_chars: int = 240) -> tuple[str, ...]:
    """The first count sentences of a text (each cut at max_chars), the units a translation keeps in order."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        for sentence in stop_sentences(paragraph.strip()):
            if len(sentence) >= 12:
                out.append(sentence[:max_chars])
                if len(out) == count:
                    return tuple(out)
    return tuple(out)


def title_words(title: str | None) -> frozenset[str]:
    """A title's words of three or more characters, case-folded (unspaced scripts as character bigrams)."""
    return (
        frozenset(w for w in folded_words(title) if len(w) >= 3 or (len(w) == 2 and UNSPACED.search(w)))
        if title
        else frozenset()
    )


def term_counts(words: list[str]) -> Terms:
    """Bag of hashed terms of a token list: sorted term buckets (crc32, stable across processes) and their counts."""
    counted = Counter(words)
    # str.encode is UTF-8 by default; map over builtins spares a generator frame a word
    buckets = np.fromiter(map(zlib.crc32, map(str.encode, counted)), dtype=np.int64, count=len(counted)) & (
        TERM_BUCKETS - 1
    )
    terms, where = np.unique(buckets, return_inverse=True)
    counts = np.bincount(where, weights=np.fromiter(counted.values(), dtype=np.float64, count=len(counted)))
    return terms, counts.astype(np.float64)
