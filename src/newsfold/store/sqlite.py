"""The SQLite Store: reads through per-thread connections, writes through Database.write()."""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.model import Article, Story
from newsfold.store import articles as articles_db
from newsfold.store import search as search_db
from newsfold.store import stories as stories_db
from newsfold.store.base import SearchHit
from newsfold.store.db import Database


class SqliteStore:
    """The default store, over one SQLite database."""

    def __init__(self, db: Database) -> None:
        """Serve reads and writes from db."""
        self.db = db

    def article(self, article_id: str) -> Article | None:
        """One article by id."""
        with self.db.read() as conn:
            return articles_db.get_article(conn, article_id)

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order given."""
        with self.db.read() as conn:
            return articles_db.get_articles(conn, ids)

    def story(self, story_id: str) -> Story | None:
        """One story by id (old ids of merged stories lead to the live one)."""
        with self.db.read() as conn:
            return stories_db.get_story(conn, story_id)

    def latest(self, limit: int = 50, before: tuple[str, str] | None = None) -> list[Story]:
        """Stories by last update, newest first."""
        with self.db.read() as conn:
            return stories_db.latest_stories(conn, limit, before)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching a query, best first."""
        with self.db.read() as conn:
            return search_db.search(conn, query, limit=limit)

    def counts(self) -> dict[str, int]:
        """How many articles and stories are stored."""
        with self.db.read() as conn:
            return {"articles": articles_db.count_articles(conn), "stories": stories_db.count_stories(conn)}

    def close(self) -> None:
        """Close the database."""
        self.db.close()
