"""Word tokens, the same everywhere: plain words, words as written, and folded words for comparing texts.

Three tokenisers side by side, because their users need different words: plain_words (runs of word characters:
extraction's and the kind model's counts) and written_words (hyphenated and apostrophe compounds whole: highlights,
entities, timelines) keep the text as written; folded_words (folding's terms, shingles and hashing embedder) folds
case and compatibility forms and cuts unspaced scripts into character bigrams, so that copies differing only in
typography or written without spaces share their words. Folding's pair model (newsfold/data/pair_model.json) was
trained on folded words, so it keeps them.
"""

from __future__ import annotations

import re
import unicodedata

import regex

# re's word runs (marks split a word): folding's folded words and names, which its pair model was trained on
PLAIN = re.compile(r"\w+")
# a word with its combining marks: re's \w leaves marks out (they are not alphanumeric), so it cut every Tamil,
# Devanagari, Sinhala or Bengali word at each vowel sign (திறக்கப்பட்டது as 8 "words"), and scraped text in those
# scripts read as fragments and was dropped whole; the regex module's \w holds marks and joiners (ZWNJ), as
# Unicode's definition of a word character does
_MARKED_WORD = regex.compile(r"[\w\p{M}]+")
_WRITTEN = re.compile(r"\w+(?:[-'’]\w+)*")
# scripts written without spaces between words: a run of them is cut into character bigrams
UNSPACED = re.compile(r"[\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# the ASCII twin of PLAIN: on ASCII text it matches exactly what the Unicode one matches, about twice as fast
PLAIN_ASCII = re.compile(r"\w+", re.ASCII)
# spaces, quotes, dashes and other punctuation that English text carries (none is a word character: a test checks
# it): a space in their place changes no word run, and the text can then take the ASCII fast path
_PUNCT = "\u00a0\u00ab\u00ad\u00bb\u2000-\u206f"
PUNCT_RUN = re.compile(f"[{_PUNCT}]+")
_OTHER_NON_ASCII = re.compile(f"[^\\x00-\\x7f{_PUNCT}]")
# kana, CJK ideographs and hangul: a character of these carries about as much as a word of a spaced script
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def plain_words(text: str) -> list[str]:
    """The runs of word characters of a text, each with its combining marks ("state-run" is two words, "don't" two,
    "திறக்கப்பட்டது" one); ASCII text by the faster ASCII pattern, which finds the same runs there."""
    words: list[str] = PLAIN_ASCII.findall(text) if text.isascii() else _MARKED_WORD.findall(text)
    return words


def text_weight(text: str) -> int:
    """A text's length, doubled where it opens in CJK script (a character there carries about a word)."""
    return len(text) * (2 if _CJK.search(text[:40]) else 1)


def written_words(text: str) -> list[str]:
    """The words of a text as written, hyphenated and apostrophe compounds kept whole ("state-run", "don't")."""
    return _WRITTEN.findall(text)


def normalise(text: str) -> str:
    """Fold case and compatibility forms so copies that differ only in typography compare equal."""
    return unicodedata.normalize("NFKC", text).casefold()


def ascii_words(folded: str) -> str | None:
    """folded with common punctuation spaced out, when that leaves it ASCII (its word runs unchanged); else None."""
    if folded.isascii():
        return folded
    if _OTHER_NON_ASCII.search(folded):
        return None
    return PUNCT_RUN.sub(" ", folded)


def folded_words(text: str) -> list[str]:
    """The plain words of a text after normalise(); runs of unspaced scripts become character bigrams."""
    folded = normalise(text)
    plain = ascii_words(folded)
    if plain is not None:
        fast: list[str] = PLAIN_ASCII.findall(plain)
        return fast
    words: list[str] = PLAIN.findall(folded)  # re's runs, marks splitting words: what the pair model was trained on
    if not UNSPACED.search(folded):  # the common case: no word needs cutting (one scan, not one per word)
        return words
    out: list[str] = []
    for word in words:
        if len(word) > 2 and UNSPACED.search(word):
            out.extend(word[i : i + 2] for i in range(len(word) - 1))
        else:
            out.append(word)
    return out
