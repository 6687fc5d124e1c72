"""Author names: people, not "Staff", "Hours ago" or an outlet; bylines split into names."""

from __future__ import annotations

import re

_SPLIT = re.compile(r"\s*(?:,|;|\||/|\band\b|\bund\b|\bet\b|\by\b|\be\b|&)\s*", re.IGNORECASE)
_BY = re.compile(r"^(?:by|von|par|por|di|door|av|af|autor(?:in)?|author)[:\s]+", re.IGNORECASE)
_NOT_PERSON = re.compile(
    r"staff|redaktion|newsroom|editor|desk|team|agenc|reuters|\bap\b|\bafp\b|\bdpa\b|\bepa\b|press|news|online|"
    r"\bago\b|\bhours?\b|\bminutes?\b|updated|published|\bvon\b$|http|www\.|\.com|@|\d",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[^\W\d_][\w'’.-]*$")


def looks_like_person(name: str) -> bool:
    """True when a string reads as a person's name: 2 to 5 words, no digits, no outlet or time words."""
    words = name.split()
    if not 2 <= len(words) <= 5 or len(name) > 60:
        return False
    if _NOT_PERSON.search(name):
        return False
    if not all(_NAME_WORD.match(w) for w in words):
        return False
    lowers = [w for w in words if w[0].islower()]
    # particles (van, de, al-, bin) may be lower case; most words must be capitalised
    return len(lowers) <= len(words) // 2 and words[0][0].isupper() and words[-1][0].isupper()


def clean_authors(raw: list[str]) -> list[str]:
    """People's names from bylines and metadata values, split, de-duplicated, in order."""
    out: list[str] = []
    for value in raw:
        byline = _BY.sub("", " ".join(value.split()))
        for part in _SPLIT.split(byline):
            name = part.strip(" .:-–—")
            if looks_like_person(name) and name not in out:
                out.append(name)
    return out
