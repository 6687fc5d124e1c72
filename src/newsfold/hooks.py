"""Extension points between folding and the later stages: what runs when stories change."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from newsfold.config import Config
from newsfold.engine import IngestReport, StoryHook, resume_hooks
from newsfold.enrich.hook import EnrichHook
from newsfold.enrich.store import decorate, decorate_many
from newsfold.model import Story
from newsfold.store.db import Database


def story_hooks(config: Config | None = None) -> list[StoryHook]:
    """Functions run after each ingest batch with the ids of the stories it changed."""
    from newsfold.language.eager import EagerTranslation
    from newsfold.web.story_page import StoryPagesHook

    # enrichment first: eager translation then covers the highlights it has just chosen
    return [EnrichHook.from_config(config), EagerTranslation(), StoryPagesHook(config)]


def finish_pending(db: Database, config: Config | None = None, report: IngestReport | None = None) -> int:
    """Run the story hooks of every story left pending (after a takedown, or by a run that was killed); how many."""
    return resume_hooks(db, story_hooks(config), report)


def decorate_story(conn: sqlite3.Connection, story: Story) -> Story:
    """Fill a story's derived parts (highlights, entities, timeline) from the store."""
    return decorate(conn, story)


def decorate_stories(conn: sqlite3.Connection, stories: Sequence[Story]) -> None:
    """Fill many stories' derived parts as decorate_story does, in a few batched queries."""
    decorate_many(conn, stories)
