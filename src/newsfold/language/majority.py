"""A story's language from its members': the one most of them are in, as highlights and their translation use it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsfold.model import Article


def main_language(articles: Sequence[Article]) -> str | None:
    """The language most of the story's articles are in (the first article's on a tie)."""
    return most_common_language([a.language for a in articles])


def most_common_language(languages: Sequence[str | None]) -> str | None:
    """The most frequent of the languages given in rank order (the first one's on a tie); None when none is known."""
    counts = Counter(language for language in languages if language)
    if not counts:
        return None
    top = max(counts.values())
    return next(language for language in languages if language and counts[language] == top)


def highlights_language(members: Sequence[tuple[str | None, str]], max_articles: int = 12) -> str | None:
    """The language a story's highlights were chosen in, from its (language, kind) members in rank order."""
    body = [language for language, kind in members if kind != "other"][:max_articles]
    return most_common_language(body)
