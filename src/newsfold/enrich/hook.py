"""The enrich stage's story hook: recompute and store the enrichment of stories an ingest batch changed."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from newsfold.config import Config
from newsfold.enrich.ahead import RecognizeAhead
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.highlights import HighlightSelector
from newsfold.enrich.memo import Found
from newsfold.enrich.recognize import RuleRecognizer
from newsfold.enrich.story import StoryEnricher, make_recognizer
from newsfold.model import Article
from newsfold.store import articles as articles_db
from newsfold.store import enrichment as enrichment_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend

log = logging.getLogger(__name__)


class EnrichHook:
    """Called with the ids of changed stories after each ingest batch; owns its enricher (no global state)."""

    stage = "enrich"

    def __init__(self, enricher: StoryEnricher | None = None) -> None:
        """Use enricher, or the model-free default."""
        self.enricher = enricher or StoryEnricher()
        self._countries: Gazetteer | None = None  # CLDR's places, built once: each batch learns the store on a copy

    def gazetteer(self, db: Backend) -> Gazetteer:
        """A gazetteer of CLDR's places and what the store knows now (Gazetteer.default() and learn())."""
        self._countries = self._countries or Gazetteer.default()
        gazetteer = self._countries.copy()
        with db.read() as conn:
            gazetteer.learn(conn)
        return gazetteer

    @classmethod
    def from_config(cls, config: Config | None) -> EnrichHook:
        """The hook the settings ask for (recogniser, number of highlights)."""
        if config is None:
            return cls()
        recognizer = make_recognizer(str(config["enrich.recognizer"]), str(config["enrich.spacy_model"]))
        count = max(3, int(config["enrich.highlights"]))
        return cls(StoryEnricher(recognizer=recognizer, highlights=HighlightSelector(count=count)))

    def work_ahead(self, db: Backend) -> RecognizeAhead | None:
        """What the extraction worker can do ahead for this hook: recognise each document with a copy of the rule
        recogniser and a gazetteer as the store's is now (None with another recogniser: it stays here)."""
        recognizer = self.enricher.recognizer
        if not isinstance(recognizer, RuleRecognizer):
            return None
        return RecognizeAhead(recognizer, self.gazetteer(db), self.enricher.timeline)

    def take_ahead(self, found: Sequence[Found]) -> None:
        """Keep what the worker found (used where it still holds: enrich.memo)."""
        self.enricher.memo.keep(found)

    def __call__(self, db: Backend, changed: set[str]) -> None:
        """Enrich every changed story once (read together, saved in one write); clear stories that were merged away
        or emptied."""
        if not changed:
            return
        gazetteer = self.gazetteer(db)
        found: list[tuple[str, list[str], list[Article]]] = []
        with db.read() as conn:
            for story_id in sorted(changed):
                story = stories_db.story_if_live(conn, story_id)
                ids = [m.article_id for m in story.members] if story else []
                found.append((story_id, ids, articles_db.get_articles(conn, ids) if story else []))
        results = [
            (story_id, ids, self.enricher.enrich(articles, gazetteer) if ids else None)
            for story_id, ids, articles in found
        ]
        with db.write() as conn:
            for story_id, ids, result in results:
                if result is None:
                    enrichment_db.clear_story_enrichment(conn, story_id)
                    continue
                enrichment_db.save_story_enrichment(conn, story_id, ids, result)
                log.debug("enriched %s: %d entities, %d events", story_id, len(result.entities), len(result.timeline))
