"""A paragraph classifier of the jusText kind: length and stopword density in the document's own language,
then context (short blocks take the class of their neighbours)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import justext

from newsfold.extract.lines import SENTENCE_TERMINAL
from newsfold.text.words import plain_words, text_weight

Klass = Literal["good", "bad", "short", "neargood"]

# ISO 639-1 codes to jusText's stoplist names
_STOPLISTS = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "hy": "Armenian", "az": "Azerbaijani", "eu": "Basque",
    "be": "Belarusian", "bn": "Bengali", "bs": "Bosnian", "br": "Breton", "bg": "Bulgarian", "ca": "Catalan",
    "hr": "Croatian", "cs": "Czech", "da": "Danish", "nl": "Dutch", "en": "English", "eo": "Esperanto",
    "et": "Estonian", "fi": "Finnish", "fr": "French", "gl": "Galician", "ka": "Georgian", "de": "German",
    "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "is": "Icelandic", "id": "Indonesian", "ga": "Irish", "it": "Italian", "jv": "Javanese", "kn": "Kannada",
    "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin", "lv": "Latvian",
    "lt": "Lithuanian", "lb": "Luxembourgish", "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam",
    "mt": "Maltese", "mr": "Marathi", "ne": "Nepali", "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal",
    "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish",
    "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "ta": "Tamil", "te": "Telugu", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "cy": "Welsh", "fy": "West_Frisian",
    "yo": "Yoruba",
}  # fmt: skip
# languages written without spaces: length counts in characters, stopwords cannot be counted by words
_NO_SPACES = frozenset({"zh", "ja", "th", "km", "lo", "my"})
_PUNCTUATION = re.compile(r"[,.;:!?、。，．！？；：]")
# prose has a punctuation mark at least every this many characters
PUNCTUATION_SPAN = 80
_FULL_STOP = re.compile(r"[。．！？]")
# Khmer and Myanmar end sentences with their own marks; Thai and Lao prose has none (spaces part its sentences)
_SCRIPT_FULL_STOP = {"km": re.compile("[\u17d4\u17d5]"), "my": re.compile("[\u104a\u104b]")}
_NO_MARKS = frozenset({"th", "lo"})

# furniture verdict of lines that carried metadata: neither good nor bad for their neighbours
NEUTRAL = "metadata"
LENGTH_LOW = 70
MIN_RUN = 3
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32


@dataclass(slots=True)
class Block:
    """One block of text with its furniture verdict and class."""

    text: str
    furniture: str | None = None
    klass: Klass = "bad"


class Classifier:
    """Classifies blocks; holds the stoplists it has loaded (one classifier per extractor)."""

    def __init__(self) -> None:
        """Start with no stoplists loaded."""
        self._stoplists: dict[str, frozenset[str]] = {}

    def stopwords(self, language: str | None) -> frozenset[str]:
        """The stopwords of a language (empty when jusText has none for it)."""
        if not language or language not in _STOPLISTS:
            return frozenset()
        if language not in self._stoplists:
            self._stoplists[language] = frozenset(justext.get_stoplist(_STOPLISTS[language]))
        return self._stoplists[language]

    def stopword_density(self, text: str, language: str | None) -> float:
        """Share of words that are stopwords of the language (1.0 where no stoplist applies)."""
        stopwords = self.stopwords(language)
        if not stopwords:
            return _punctuation_density(text, language)
        words = plain_words(text.lower())
        if not words:
            return 0.0
        return sum(1 for w in words if w in stopwords) / len(words)

    def initial(self, block: Block, language: str | None) -> Klass:
        """Context-free class from length and stopword density (furniture is always bad)."""
        if block.furniture:
            return "bad"
        # a hangul, kana or hanzi character carries about a word (text_weight), whatever the language said
        length = len(block.text) * 2 if language in _NO_SPACES else text_weight(block.text)
        if length < LENGTH_LOW:
            return "short"
        density = self.stopword_density(block.text, language)
        if density >= STOPWORDS_HIGH:
            return "good" if length > LENGTH_HIGH else "neargood"
        if density >= STOPWORDS_LOW:
            return "neargood"
        return "bad"

    def classify(self, blocks: Sequence[Block], language: str | None) -> list[Klass]:
        """Set every block's class: context-free first, then short and near-good blocks by their neighbours;
        returns the context-free classes."""
        for block in blocks:
            block.klass = self.initial(block, language)
        initial = [block.klass for block in blocks]
        _promote_runs(blocks)
        first = [("edge" if b.furniture == NEUTRAL else b.klass) for b in blocks]
        before, after = _neighbours(first, -1, True), _neighbours(first, 1, True)
        before_any, after_any = _neighbours(first, -1, False), _neighbours(first, 1, False)
        for i, block in enumerate(blocks):
            if first[i] != "short" or block.furniture:
                continue
            prev, nxt = before[i], after[i]
            if {prev, nxt} <= {"good", "edge"} and "good" in (prev, nxt):
                block.klass = "good"
            elif prev == nxt == "bad":
                block.klass = "bad"
            elif (prev == "bad" and before_any[i] == "neargood") or (nxt == "bad" and after_any[i] == "neargood"):
                block.klass = "good"
            else:
                block.klass = "bad" if "bad" in (prev, nxt) else "good"
        second = [("edge" if b.furniture == NEUTRAL else b.klass) for b in blocks]
        before, after = _neighbours(second, -1, True), _neighbours(second, 1, True)
        for i, block in enumerate(blocks):
            if second[i] != "neargood":
                continue
            prev, nxt = before[i], after[i]
            block.klass = "bad" if {prev, nxt} <= {"bad", "edge"} else "good"
        if not any(b.klass == "good" for b in blocks):
            _take_short_story(blocks, second, initial)
        return initial


def _take_short_story(blocks: Sequence[Block], second: Sequence[str], initial: Sequence[str]) -> None:
    """A short story has no long paragraph to anchor it: its near-good blocks are good, and the short ones between
    two of them."""
    for block, klass in zip(blocks, second, strict=True):
        if klass == "neargood":
            block.klass = "good"
    taken = [("edge" if b.furniture == NEUTRAL else b.klass) for b in blocks]
    before, after = _neighbours(taken, -1, True), _neighbours(taken, 1, True)
    for i, block in enumerate(blocks):
        if initial[i] == "short" and not block.furniture and before[i] == after[i] == "good":
            block.klass = "good"


def _punctuation_density(text: str, language: str | None) -> float:
    """A stand-in for stopword density where no stoplist applies (Chinese, Japanese, Thai, ...): prose has commas
    and full stops every few dozen characters, menus and link lists have none."""
    if language in _NO_MARKS:
        # no stopword list and no sentence mark to count: length alone decides (jusText's language-free mode)
        return STOPWORDS_HIGH
    if language in _NO_SPACES:
        # headlines and menus there have commas but hardly ever a full stop
        return STOPWORDS_HIGH if _SCRIPT_FULL_STOP.get(language, _FULL_STOP).search(text) else 0.0
    marks = len(_PUNCTUATION.findall(text))
    if SENTENCE_TERMINAL.match(text.rstrip()[-1:]):
        marks += 1  # a sentence ended by its full stop alone runs up to two spans
    return STOPWORDS_HIGH if marks >= len(text) / PUNCTUATION_SPAN else 0.0


def _promote_runs(blocks: Sequence[Block]) -> None:
    """Near-good blocks in a run of at least MIN_RUN (short ones between them ignored) are good: a story told
    in short paragraphs has no long one to anchor it."""
    run: list[Block] = []
    for block in [*blocks, Block("", "end")]:
        if block.klass == "short" and not block.furniture:
            continue
        if block.klass == "neargood":
            run.append(block)
            continue
        if len(run) >= MIN_RUN:
            for member in run:
                member.klass = "good"
        run = []


def _neighbours(classes: Sequence[str], step: int, skip_neargood: bool) -> list[str]:
    """For every block, the class of its nearest neighbour in direction step that is not short (nor near-good when
    asked); 'bad' at the ends, 'edge' at a metadata line (which sides with the other neighbour). One linear pass
    (a search per block took time with the square of the run of short blocks)."""
    out = ["bad"] * len(classes)
    indices = range(len(classes)) if step > 0 else range(len(classes) - 1, -1, -1)
    seen = "bad"
    for i in reversed(indices):
        out[i] = seen
        klass = classes[i]
        if not (klass == "short" or (skip_neargood and klass == "neargood")):
            seen = klass
    return out
