"""The story page, built the same way live (on a request) and ahead (by the story hook, stored in story_pages).

A story's page is rendered when its story changes, for the site's default reader language, with its JSON twin;
a request for it is answered from the stored page while its stamp holds (store.pages.rendered_page), and built live
otherwise (another language, a stale or absent row).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from jinja2 import Environment

from newsfold.config import Config, load_config
from newsfold.language.reader import reader_translator
from newsfold.model import Article, Story
from newsfold.store import articles as articles_db
from newsfold.store import pages as pages_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.store.db import Database
from newsfold.store.enrichment import add_enrichment
from newsfold.web import precomputed, queries, views
from newsfold.web.differences import Comparison, comparison_json
from newsfold.web.reader import ORIGINAL
from newsfold.web.site import HTML_TYPE, JSON_TYPE, Body, Site, make_templates

log = logging.getLogger(__name__)


def story_reader(site: Site, story_id: str, target: str | None) -> dict[str, Any]:
    """The header's language form of a story page asked without parameters (what a stored page shows)."""
    return {"current": target or ORIGINAL, "languages": site.offered_languages, "next": f"/stories/{story_id}"}


def render_story(  # noqa: PLR0913  the story page's parts, computed once by the caller
    site: Site,
    conn: Connection,
    data: dict[str, Any],
    members: list[Article],
    found: list[Comparison],
    target: str | None,
    reader: dict[str, Any],
) -> Body:
    """The story page's HTML from its value (translated into target here)."""
    if target is not None and any(c.a.language != target or c.b.language != target for c in found):
        data["differences"] = [comparison_json(c) for c in found]  # their differing rows shown translated too
    data = views.in_language(conn, "story", data, site.translator, target)
    return site.render("story.html", reader=reader, page="story", data=data, members=members, comparisons=found)


def live_story_page(site: Site, conn: Connection, story_id: str, target: str | None, reader: dict[str, Any]) -> Body:
    """The story page built now from the store (stored parts used where current)."""
    data, members, found = views.story_view(conn, story_id, site.terms)
    return render_story(site, conn, data, members, found, target, reader)


def story_document(site: Site, conn: Connection, story_id: str) -> Body:
    """The story's JSON twin without translations (`newsfold story ID --json`), built now."""
    story, members = queries.story_detail(conn, story_id)
    return site.json(queries.story_document(story, members))


def stored_page(site: Site, conn: Connection, story_id: str, html: bool) -> Body | None:
    """The story page (html) or its JSON twin rendered ahead for the default reader language, if still current."""
    rendered = pages_db.rendered_page(conn, story_id, site.default_language, site.render_context)
    if rendered is None:
        return None
    return Body(rendered.html, HTML_TYPE) if html else Body(rendered.document, JSON_TYPE)


def build_ahead(
    site: Site, conn: Connection, story: Story, members: list[Article]
) -> tuple[pages_db.StoredPage, pages_db.Rendered]:
    """A story's parts, related cards and rendered page (default reader language) and JSON twin, built now."""
    parts = precomputed.compute(conn, story, members, site.terms)
    # the cards as stored (JSON), and a copy of them for this page (the reader-language pass adds to it)
    cards = json.dumps(queries.related_summaries(conn, parts.related), ensure_ascii=False)
    stamp = pages_db.page_stamp(conn, story.id, parts.related, site.render_context) or ""
    parts = pages_db.StoredPage(
        parts.comparisons, parts.related, json.loads(cards), pages_db.related_stamp(conn, parts.related)
    )
    document = site.json(queries.story_document(story, members)).content
    found = precomputed.comparisons_from(parts.comparisons, members) or []
    data = views.story_page_view(story, members, json.loads(cards))
    target = site.default_language
    body = render_story(site, conn, data, members, found, target, story_reader(site, story.id, target))
    return parts, pages_db.Rendered(target, body.content, document, stamp)


class StoryPagesHook:
    """Story hook: rebuild and store the pages of the stories an ingest batch changed."""

    stage = "pages"

    def __init__(self, config: Config | None = None) -> None:
        """Render with config (else the settings from the usual places, read on first use)."""
        self._config = config
        self._templates: Environment | None = None  # compiled once, for every batch this hook renders

    def __call__(self, db: Database, changed: set[str]) -> None:
        """Build each changed story's page on a read connection, then store them in one write."""
        if not changed:
            return
        self._config = self._config or load_config()
        self._templates = self._templates or make_templates()
        refresh(db, sorted(changed), config=self._config, templates=self._templates)


def refresh(
    db: Database,
    story_ids: Sequence[str],
    batch: int = 200,
    config: Config | None = None,
    templates: Environment | None = None,
) -> int:
    """Build and store the pages of these stories (clearing dead ones), with templates when given (else compiled
    anew); how many were stored."""
    config = config or load_config()
    site = Site(db, config, reader_translator(db, config), templates)
    stored = 0
    try:
        for start in range(0, len(story_ids), batch):
            built: list[tuple[str, list[Article], tuple[pages_db.StoredPage, pages_db.Rendered] | None]] = []
            with db.read() as conn:
                for story_id in story_ids[start : start + batch]:
                    story = stories_db.get_story(conn, story_id)
                    if story is None or story.id != story_id or not story.members:
                        built.append((story_id, [], None))
                        continue
                    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
                    add_enrichment(conn, story)
                    built.append((story_id, members, build_ahead(site, conn, story, members)))
            with db.write() as conn:
                for story_id, members, page in built:
                    if page is None:
                        pages_db.clear_story_page(conn, story_id)
                    else:
                        pages_db.save_story_page(conn, story_id, members, page[0], page[1])
                        stored += 1
            log.debug("story pages: %d of %d stored", stored, len(story_ids))
    finally:
        site.close()
    return stored
