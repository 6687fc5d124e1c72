"""Related stories ("You may like"): other stories whose titles share the story title's rarest words."""

from __future__ import annotations

import re
import unicodedata

from newsfold.store.term_counts import TermCounts

_WORD = re.compile(r"\w{3,}", re.UNICODE)
MAX_TERMS = 3
# a word in more than this share of all documents says nothing about what a story is about
MAX_SHARE = 0.05
# below this many documents every shared word counts
MIN_CEILING = 50


def fts_terms(title: str) -> list[str]:
    """A title's words as the full-text index stores them (lower case, diacritics removed), longest first."""
    folded = unicodedata.normalize("NFKD", title.lower())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return sorted(set(_WORD.findall(plain)), key=len, reverse=True)


def related_terms(title: str, counts: TermCounts) -> list[str]:
    """This title's rarest words (that some other article holds): titles sharing any of them are related."""
    terms = fts_terms(title)
    most = max(MIN_CEILING, int(counts.total() * MAX_SHARE))
    documents = counts.documents(terms)
    if documents:
        usable = [t for t in terms if 2 <= documents.get(t, 0) <= most]
        terms = sorted(usable, key=lambda t: (documents[t], -len(t), t))
    return terms[:MAX_TERMS]
