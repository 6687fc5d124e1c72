"""What enrichment finds in one article, kept between the stories and batches it is enriched in.

An article's mentions depend on its text and language, on the recogniser's answers to the calendar words it asked
about and on the gazetteer's answers to the names it looked up; its dated events on its text, language and
publication date. The memo keeps both per article and hands them out again while all of that still holds (the
calendar words and the lookups asked again now), so a story that grows by one article recognises one article, and
the results are those of recognising them all. What a worker's memo found can be kept by another (take, keep).
"""

from __future__ import annotations

import hashlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import TypeVar

from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import Mention, Recognizer, RuleRecognizer
from newsfold.enrich.timeline import TimelineExtractor
from newsfold.model import Article, EntityKind, Event

MAX_ARTICLES = 10_000
V = TypeVar("V")


@dataclass(slots=True, frozen=True)
class _Part:
    """The mentions found in one sentence (the rule recogniser) or a whole article (another), with what recognising
    it read: calendar words (None: a recogniser without them) and the gazetteer's answers."""

    calendar: tuple[tuple[str, bool], ...] | None
    lookups: tuple[tuple[str, EntityKind | None], ...]
    mentions: tuple[Mention, ...]


@dataclass(slots=True, frozen=True)
class _Mentions:
    """An article's mentions, part by part (per sentence for the rule recogniser), with the article's fingerprint."""

    fingerprint: bytes
    per_sentence: bool
    parts: tuple[_Part, ...]


@dataclass(slots=True, frozen=True)
class _Events:
    """An article's dated events with what they were found from."""

    fingerprint: bytes
    events: tuple[Event, ...]


@dataclass(slots=True, frozen=True)
class Found:
    """What the memo keeps of one article (its mentions and events, each with what it was found under), to be
    handed from one memo to another (from the extraction worker's to the writer's)."""

    article_id: str
    mentions: _Mentions | None
    events: _Events | None


def fingerprint(article: Article, article_id: str) -> bytes:
    """A digest of what recognition and dating read of an article: id, language, date and body paragraphs (the
    same in every process, unlike hash(): a worker's findings are checked by the writer with it)."""
    published = article.published.isoformat() if article.published else None
    read = (article_id, article.language, published, tuple((p.role, p.text) for p in article.paragraphs))
    return hashlib.blake2b(repr(read).encode("utf-8"), digest_size=16).digest()


def _copy(m: Mention) -> Mention:
    """A mention with a tally of its own (the kept one stays as found); built field by field, as replace() would
    (which looks the dataclass's fields up on every call: a fifth of handing out kept mentions)."""
    return Mention(m.name, m.article_id, m.sentence, Counter(m.votes), m.acronym, m.expansion, m.initial)


class ArticleMemo:
    """Mentions and events per article (the last max_articles articles), handed out while they still hold."""

    def __init__(self, max_articles: int = MAX_ARTICLES) -> None:
        """An empty memo of at most max_articles articles."""
        self.max_articles = max_articles
        self._mentions: OrderedDict[str, _Mentions] = OrderedDict()
        self._events: OrderedDict[str, _Events] = OrderedDict()
        self.hits = 0  # articles whose kept mentions all held
        self.partial = 0  # articles of which some sentences were read again
        self.misses = 0  # articles read anew

    def mentions(self, recognizer: Recognizer, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """The article's mentions: kept ones where the calendar and the gazetteer's answers hold, else found now
        (with the rule recogniser, only the sentences whose answers changed are read again)."""
        rules = recognizer if isinstance(recognizer, RuleRecognizer) else None
        if rules is not None:
            rules.add_language(article.language)  # what its mentions() does first
        article_id = article.id  # a hash of the text, computed on every read
        stamp = fingerprint(article, article_id)
        kept = self._mentions.get(article_id)
        if kept is not None and (kept.fingerprint != stamp or kept.per_sentence != (rules is not None)):
            kept = None
        stale = [k for k, part in enumerate(kept.parts) if not _holds(part, rules, gazetteer)] if kept else []
        if kept is not None and not stale:
            self._mentions.move_to_end(article_id)
            self.hits += 1
            return [_copy(m) for part in kept.parts for m in part.mentions]
        if rules is None:
            self.misses += 1
            parts = [_recorded(None, gazetteer, lambda: recognizer.mentions(article, gazetteer))]
        else:
            sentences, lowercase = rules.reading(article)
            if kept is not None and len(kept.parts) == len(sentences):
                self.partial += 1
                parts = list(kept.parts)
            else:
                self.misses += 1
                stale, parts = list(range(len(sentences))), [_Part(None, (), ())] * len(sentences)
            for k in stale:
                read_again = partial(rules.sentence_mentions, sentences[k], lowercase, gazetteer)
                parts[k] = _recorded(rules, gazetteer, read_again)
        _keep(self._mentions, article_id, _Mentions(stamp, rules is not None, tuple(parts)), self.max_articles)
        return [_copy(m) for part in parts for m in part.mentions]

    def take(self, article_ids: Iterable[str]) -> list[Found]:
        """What it keeps of these articles (those it holds anything of), for another memo to keep."""
        out = []
        for article_id in article_ids:
            mentions, events = self._mentions.get(article_id), self._events.get(article_id)
            if mentions is not None or events is not None:
                out.append(Found(article_id, mentions, events))
        return out

    def keep(self, found: Iterable[Found]) -> None:
        """Keep what another memo found: handed out under the same checks as its own (fingerprint, calendar,
        the gazetteer's answers now), so the results are those of recognising the articles here."""
        for item in found:
            if item.mentions is not None:
                _keep(self._mentions, item.article_id, item.mentions, self.max_articles)
            if item.events is not None:
                _keep(self._events, item.article_id, item.events, self.max_articles)

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


def _holds(part: _Part, rules: RuleRecognizer | None, gazetteer: Gazetteer) -> bool:
    """Whether what recognising a part read has the same answers now (calendar words and gazetteer lookups)."""
    calendar_holds = part.calendar is None if rules is None else rules.calendar_answers(part.calendar or ())
    return calendar_holds and gazetteer.answers(part.lookups)


def _recorded(rules: RuleRecognizer | None, gazetteer: Gazetteer, recognise: Callable[[], list[Mention]]) -> _Part:
    """What recognise() finds, with the calendar words (rules given) and gazetteer lookups it read meanwhile."""
    outer, gazetteer.lookups = gazetteer.lookups, []
    reads: list[tuple[str, bool]] = []
    if rules is not None:
        rules.calendar_reads = reads
    try:
        found = recognise()
        lookups = tuple(gazetteer.lookups)
    finally:
        if outer is not None:
            outer.extend(gazetteer.lookups)
        gazetteer.lookups = outer
        if rules is not None:
            rules.calendar_reads = None
    return _Part(tuple(reads) if rules is not None else None, lookups, tuple(map(_copy, found)))


def _keep(items: OrderedDict[str, V], key: str, value: V, limit: int) -> None:
    """Remember value under key, forgetting the least recently used beyond limit."""
    items[key] = value
    items.move_to_end(key)
    while len(items) > limit:
        items.popitem(last=False)
