"""Recognising an ingest's articles in its extraction worker, ahead of the enrichment of their stories.

Recognition (names, dated events) is the largest part of enriching a story and depends only on the article, the
recogniser's calendar words and the gazetteer's answers; the writer's enricher keeps what the worker found in its
memo (enrich.memo) and uses it only where all of that still holds there (else it recognises the article itself), so
the results are those of recognising every article in the writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.memo import ArticleMemo, Found
from newsfold.enrich.recognize import RuleRecognizer
from newsfold.enrich.timeline import TimelineExtractor
from newsfold.model import Article


@dataclass(slots=True)
class RecognizeAhead:
    """Run in the extraction worker on each chunk's documents: their mentions and events, for the writer's memo."""

    recognizer: RuleRecognizer
    gazetteer: Gazetteer
    timeline: TimelineExtractor
    memo: ArticleMemo = field(default_factory=lambda: ArticleMemo(max_articles=1))

    def __call__(self, articles: Sequence[Article]) -> list[Found]:
        """What recognition and dating find in the articles enrichment reads (not those of kind other); the
        gazetteer learns each article's dateline, outlet and authors first, as the store's would."""
        found: list[Found] = []
        for article in articles:
            self.gazetteer.learn_article(article)
        for article in articles:
            if article.kind == "other":
                continue
            self.gazetteer.add_language(article.language)
            self.memo.mentions(self.recognizer, article, self.gazetteer)
            self.memo.events(self.timeline, article)
            found.extend(self.memo.take([article.id]))
        return found
