"""What enrichment finds in one article, kept between the stories and batches it is enriched in.

An article's mentions depend on its text and language, on the recogniser's calendar words and on the gazetteer's
answers to the names it looked up; its dated events on its text, language and publication date. The memo keeps both
per article and hands them out again while all of that still holds (the lookups asked again of the gazetteer now),
so a story that grows by one article recognises one article, and the results are those of recognising them all.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import Mention, RuleRecognizer
from newsfold.enrich.timeline import TimelineExtractor
from newsfold.model import Article, EntityKind, Event

if TYPE_CHECKING:
    from newsfold.enrich.story import Recognizer

MAX_ARTICLES = 10_000
V = TypeVar("V")


@dataclass(slots=True, frozen=True)
class _Mentions:
    """An article's mentions with what they were found under."""

    fingerprint: int
    calendar: Hashable
    lookups: tuple[tuple[str, EntityKind | None], ...]
    mentions: tuple[Mention, ...]


@dataclass(slots=True, frozen=True)
class _Events:
    """An article's dated events with what they were found from."""

    fingerprint: int
    events: tuple[Event, ...]


def fingerprint(article: Article, article_id: str) -> int:
    """A hash of what recognition and dating read of an article: id, language, date and body paragraphs."""
    published = article.published.isoformat() if article.published else None
    return hash((article_id, article.language, published, tuple((p.role, p.text) for p in article.paragraphs)))


def _copy(mention: Mention) -> Mention:
    """A mention with a tally of its own (the kept one stays as found)."""
    return replace(mention, votes=Counter(mention.votes))


class ArticleMemo:
    """Mentions and events per article (the last max_articles articles), handed out while they still hold."""

    def __init__(self, max_articles: int = MAX_ARTICLES) -> None:
        """An empty memo of at most max_articles articles."""
        self.max_articles = max_articles
        self._mentions: OrderedDict[str, _Mentions] = OrderedDict()
        self._events: OrderedDict[str, _Events] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def mentions(self, recognizer: Recognizer, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """The article's mentions: kept ones while the calendar and the gazetteer's answers hold, else found now."""
        calendar: Hashable = None
        if isinstance(recognizer, RuleRecognizer):
            recognizer.add_language(article.language)  # what its mentions() does first
            calendar = recognizer.calendar_languages()
        article_id = article.id  # a hash of the text, computed on every read
        stamp = fingerprint(article, article_id)
        kept = self._mentions.get(article_id)
        if kept and kept.fingerprint == stamp and kept.calendar == calendar and gazetteer.answers(kept.lookups):
            self._mentions.move_to_end(article_id)
            self.hits += 1
            return [_copy(m) for m in kept.mentions]
        self.misses += 1
        outer, gazetteer.lookups = gazetteer.lookups, []
        try:
            found = recognizer.mentions(article, gazetteer)
            lookups = tuple(gazetteer.lookups)
        finally:
            if outer is not None:
                outer.extend(gazetteer.lookups)
            gazetteer.lookups = outer
        kept = _Mentions(stamp, calendar, lookups, tuple(map(_copy, found)))
        _keep(self._mentions, article_id, kept, self.max_articles)
        return found

    def events(self, timeline: TimelineExtractor, article: Article) -> list[Event]:
        """The article's dated events: kept ones while its text and date are the same, else found now."""
        article_id = article.id
        stamp = fingerprint(article, article_id)
        kept = self._events.get(article_id)
        if kept and kept.fingerprint == stamp:
            self._events.move_to_end(article_id)
            return [replace(e) for e in kept.events]
        found = timeline.events(article)
        _keep(self._events, article_id, _Events(stamp, tuple(replace(e) for e in found)), self.max_articles)
        return found


def _keep(items: OrderedDict[str, V], key: str, value: V, limit: int) -> None:
    """Remember value under key, forgetting the least recently used beyond limit."""
    items[key] = value
    items.move_to_end(key)
    while len(items) > limit:
        items.popitem(last=False)
