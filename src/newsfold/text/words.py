"""Word tokens, the same everywhere: plain words, and words as written with their hyphens and apostrophes."""

from __future__ import annotations

import re

_PLAIN = re.compile(r"\w+")
_WRITTEN = re.compile(r"\w+(?:[-'’]\w+)*")


def plain_words(text: str) -> list[str]:
    """The runs of word characters of a text ("state-run" is two words, "don't" two)."""
    return _PLAIN.findall(text)


def written_words(text: str) -> list[str]:
    """The words of a text as written, hyphenated and apostrophe compounds kept whole ("state-run", "don't")."""
    return _WRITTEN.findall(text)
