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
from newsfold.store.base import Backend, Connection
from newsfold.store.enrichment import add_enrichment
from newsfold.web.page_value import page_html, twin_href
from newsfold.web.reader import ORIGINAL
from newsfold.web.site import HTML_TYPE, JSON_TYPE, Body, Site, make_templates
from newsfold.web.story import parts
from newsfold.web.story.related import related_summaries
from newsfold.web.story.view import StoryPage, story_document, story_page

log = logging.getLogger(__name__)


def story_reader(site: Site, story_id: str, target: str | None) -> dict[str, Any]:
    """The header's language form of a story page asked without parameters (what a stored page shows)."""
    return {"current": target or ORIGINAL, "languages": site.offered_languages, "next": f"/stories/{story_id}"}


def story_html(site: Site, page: StoryPage, reader: dict[str, Any]) -> Body:
    """The story page's HTML from its value (in the reader's language already), with this language form."""
    return page_html(site, page, reader, twin_href(f"/stories/{page.story['id']}"))


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
    computed = parts.compute(conn, story, members, site.terms)
    # the cards as stored (JSON), and a copy of them for this page (the reader-language pass adds to it)
    cards = json.dumps(related_summaries(conn, computed.related), ensure_ascii=False)
    stamp = pages_db.page_stamp(conn, story.id, computed.related, site.render_context) or ""
    computed = pages_db.StoredPage(
        computed.comparisons, computed.related, json.loads(cards), pages_db.related_stamp(conn, computed.related)
    )
    document = site.json(story_document(story, members)).content
    found = parts.comparisons_from(computed.comparisons, members) or []
    target = site.default_language
    page = story_page(story, members, json.loads(cards), found).in_language(conn, site.translator, target)
    body = story_html(site, page, story_reader(site, story.id, target))
    return computed, pages_db.Rendered(target, body.content, document, stamp)


class StoryPagesHook:
    """Story hook: rebuild and store the pages of the stories an ingest batch changed."""

    stage = "pages"

    def __init__(self, config: Config | None = None) -> None:
        """Render with config (else the settings from the usual places, read on first use)."""
        self._config = config
        self._templates: Environment | None = None  # compiled once, for every batch this hook renders

    def __call__(self, db: Backend, changed: set[str]) -> None:
        """Build each changed story's page on a read connection, then store them in one write."""
        if not changed:
            return
        self._config = self._config or load_config()
        self._templates = self._templates or make_templates()
        refresh(db, sorted(changed), config=self._config, templates=self._templates)


def refresh(
    db: Backend,
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
