"""The composition root of the pipeline: its story hooks (what runs when stories change), chosen here once for every
command, and the pipeline they complete.

It sits above every stage and the site (it names the site's stored pages), and below only the command line; the
engine, the scheduler and the site receive the hooks it makes and import nothing of it.
"""

from __future__ import annotations

from newsfold.config import Config
from newsfold.engine import IngestReport, resume_hooks
from newsfold.enrich.hook import EnrichHook
from newsfold.language.eager import EagerTranslation
from newsfold.model import Story
from newsfold.pipeline import StoryHook
from newsfold.steps import Pipeline, default_pipeline
from newsfold.store.base import Backend, Connection
from newsfold.store.enrichment import add_enrichment
from newsfold.web.story.stored import StoryPagesHook


def story_hooks(config: Config | None = None) -> list[StoryHook]:
    """Functions run after each ingest batch with the ids of the stories it changed (with no config given, each
    reads the settings from the usual places on first use)."""
    # enrichment first: eager translation then covers the highlights it has just chosen
    return [EnrichHook.from_config(config), EagerTranslation(config), StoryPagesHook(config)]


def pipeline(config: Config | None = None) -> Pipeline:
    """The pipeline `ingest`, `run` and `batch` run: the default steps with config's settings and the story hooks."""
    return default_pipeline(config, hooks=story_hooks(config))


def finish_pending(db: Backend, config: Config | None = None, report: IngestReport | None = None) -> int:
    """Run the story hooks of every story left pending (after a takedown, or by a run that was killed); how many."""
    return resume_hooks(db, story_hooks(config), report)


def decorate_story(conn: Connection, story: Story) -> Story:
    """Fill a story's derived parts (highlights, entities, timeline) from the store."""
    return add_enrichment(conn, story)
