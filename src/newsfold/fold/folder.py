"""The folder: places each new article in a story, inside the ingest's write transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from newsfold.model import Article
from newsfold.store import stories as stories_db


class Folder:
    """First version: every article starts a story of its own (deepened by the folding issue)."""

    name = "fold"

    def fold(self, conn: sqlite3.Connection, articles: Sequence[Article]) -> set[str]:
        """Assign each (already stored) new article to a story; return the ids of stories that changed."""
        changed: set[str] = set()
        for article in articles:
            story_id = article.id
            stories_db.create_story(conn, story_id, article.title or "(untitled)")
            stories_db.set_member(conn, article.id, story_id, "original")
            article.story_id, article.relation = story_id, "original"
            changed.add(story_id)
        for story_id in changed:
            stories_db.refresh_story(conn, story_id)
        return changed
