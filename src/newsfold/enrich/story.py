"""Enriching one story: highlights, entities (per story and per article) and the merged timeline."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.highlights import Highlights, HighlightSelector
from newsfold.enrich.memo import ArticleMemo
from newsfold.enrich.recognize import Mention, Recognizer, RuleRecognizer, load_spacy
from newsfold.enrich.timeline import TimelineExtractor, merge_timeline
from newsfold.model import Article, Entity, Event


@dataclass(slots=True)
class ArticleEntity:
    """An entity as one article names it: how often, with which names, in which sentences."""

    entity: Entity
    article_id: str
    names: list[str]
    mentions: int
    sentences: list[str]


@dataclass(slots=True)
class StoryEnrichment:
    """What the enrich stage derives for a story."""

    highlights: Highlights
    entities: list[Entity] = field(default_factory=list)
    by_article: list[ArticleEntity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)


def make_recognizer(choice: str = "auto", spacy_model: str = "") -> Recognizer:
    """The recogniser a setting asks for: 'rules', 'spacy' (with spacy_model) or 'auto' (spaCy when installed)."""
    if choice in ("auto", "spacy") and spacy_model:
        loaded = load_spacy(spacy_model)
        if loaded is not None:
            return loaded
    return RuleRecognizer()


class StoryEnricher:
    """Computes a story's enrichment from its articles (best-ranked first); holds its parts, no global state, and
    a memo of what each article yielded (recognised once, not again for every story or batch it is enriched in)."""

    def __init__(
        self,
        recognizer: Recognizer | None = None,
        highlights: HighlightSelector | None = None,
        timeline: TimelineExtractor | None = None,
        memo: ArticleMemo | None = None,
    ) -> None:
        """Use the given parts, or the model-free defaults."""
        self.recognizer = recognizer or RuleRecognizer()
        self.highlights = highlights or HighlightSelector()
        self.timeline = timeline or TimelineExtractor()
        self.memo = memo or ArticleMemo()

    def enrich(self, articles: Sequence[Article], gazetteer: Gazetteer | None = None) -> StoryEnrichment:
        """Highlights, entities and timeline of the story made of these articles."""
        body = [a for a in articles if a.kind != "other"]
        languages = tuple(sorted({a.language for a in body if a.language}))
        gazetteer = gazetteer or Gazetteer.default()
        for language in languages:
            gazetteer.add_language(language)
        result = StoryEnrichment(highlights=self.highlights.select(body))
        mentions = [m for a in body for m in self.memo.mentions(self.recognizer, a, gazetteer)]
        for entity, group in EntityResolver(gazetteer).resolve_groups(mentions):
            result.entities.append(entity)
            per_article: dict[str, list[Mention]] = defaultdict(list)
            for mention in group:
                per_article[mention.article_id].append(mention)
            for article_id, own in per_article.items():
                result.by_article.append(
                    ArticleEntity(
                        entity=entity,
                        article_id=article_id,
                        names=sorted({m.name for m in own}),
                        mentions=len(own),
                        sentences=list(dict.fromkeys(m.sentence for m in own))[:5],
                    )
                )
        for article in body:
            article.events = self.memo.events(self.timeline, article)
            result.events.extend(article.events)
        ids = [a.id for a in articles]
        rank = {article_id: n for n, article_id in enumerate(ids)}
        spoken = {article_id: a.language for article_id, a in zip(ids, articles, strict=True)}
        result.timeline = merge_timeline(result.events, rank, spoken)
        naming: dict[str, list[Entity]] = defaultdict(list)
        for item in result.by_article:
            naming[item.article_id].append(item.entity)
        for article in body:
            article.entities = naming.get(article.id, [])
        return result
