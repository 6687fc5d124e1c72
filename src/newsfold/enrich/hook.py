"""The enrich stage's story hook: recompute and store the enrichment of stories an ingest batch changed."""

from __future__ import annotations

import logging

from newsfold.config import Config
from newsfold.enrich import store as enrich_db
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.highlights import HighlightSelector
from newsfold.enrich.story import StoryEnricher, make_recognizer
from newsfold.model import Article
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database

log = logging.getLogger(__name__)


class EnrichHook:
    """Called with the ids of changed stories after each ingest batch; owns its enricher (no global state)."""

    stage = "enrich"

    def __init__(self, enricher: StoryEnricher | None = None) -> None:
        """Use enricher, or the model-free default."""
        self.enricher = enricher or StoryEnricher()

    @classmethod
    def from_config(cls, config: Config | None) -> EnrichHook:
        """The hook the settings ask for (recogniser, number of highlights)."""
        if config is None:
            return cls()
        recognizer = make_recognizer(str(config["enrich.recognizer"]), str(config["enrich.spacy_model"]))
        count = max(3, int(config["enrich.highlights"]))
        return cls(StoryEnricher(recognizer=recognizer, highlights=HighlightSelector(count=count)))

    def __call__(self, db: Database, changed: set[str]) -> None:
        """Enrich every changed story once (read together, saved in one write); clear stories that were merged away
        or emptied."""
        if not changed:
            return
        gazetteer = Gazetteer.default()
        found: list[tuple[str, list[str], list[Article]]] = []
        with db.read() as conn:
            gazetteer.learn(conn)
            for story_id in sorted(changed):
                row = conn.execute("SELECT merged_into, size FROM stories WHERE id = ?", (story_id,)).fetchone()
                story = stories_db.get_story(conn, story_id) if row and row[0] is None and row[1] else None
                ids = [m.article_id for m in story.members] if story else []
                found.append((story_id, ids, articles_db.get_articles(conn, ids) if story else []))
        results = [
            (story_id, ids, self.enricher.enrich(articles, gazetteer) if ids else None)
            for story_id, ids, articles in found
        ]
        with db.write() as conn:
            for story_id, ids, result in results:
                if result is None:
                    enrich_db.clear_story(conn, story_id)
                    continue
                enrich_db.save_story(conn, story_id, ids, result)
                log.debug("enriched %s: %d entities, %d events", story_id, len(result.entities), len(result.timeline))
