"""Related stories ("You may like"): other stories whose titles share the story title's rarest words, as cards."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from newsfold.model import Story
from newsfold.store import listings as listings_db
from newsfold.store import pages as pages_db
from newsfold.store.base import Connection
from newsfold.store.term_counts import TermCounts
from newsfold.web.queries import story_summaries
from newsfold.web.translated import Shown

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


def related(conn: Connection, story: Story, counts: TermCounts, limit: int = 5) -> list[Shown]:
    """Other stories whose articles' titles share the story title's rarest words ("You may like")."""
    return related_summaries(conn, related_ids(conn, story, counts, limit))


def related_ids(conn: Connection, story: Story, counts: TermCounts, limit: int = 5) -> list[str]:
    """The ids of the related stories, best first (the full-text search behind "You may like")."""
    terms = related_terms(story.title, counts)
    if not terms:
        return []
    return listings_db.related_story_ids(conn, terms, story.id, limit)


def related_summaries(conn: Connection, chosen: Sequence[str]) -> list[Shown]:
    """The live news stories among these (press releases are never suggested), in this order, as the contract shows."""
    if not chosen:
        return []
    return story_summaries(conn, listings_db.live_news_stories(conn, chosen))


def related_cards(
    conn: Connection, story: Story, stored: pages_db.StoredPage | None, counts: TermCounts
) -> list[Shown]:
    """The related stories' cards: stored ones while current, else summaries of the stored ids, else searched now."""
    if stored is None:
        return related(conn, story, counts)
    if stored.related_cards is not None:
        return stored.related_cards
    return related_summaries(conn, stored.related)
