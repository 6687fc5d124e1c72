"""The Store protocol: what the pipeline, CLI and web need from any backend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from newsfold.model import Article, Story
from newsfold.store.search import SearchHit


class Store(Protocol):
    """Persistent articles and stories; SQLite by default, room for PostgreSQL."""

    def article(self, article_id: str) -> Article | None:
        """One article by id."""
        ...

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order given."""
        ...

    def story(self, story_id: str) -> Story | None:
        """One story by id (old ids of merged stories lead to the live one)."""
        ...

    def latest(self, limit: int = 50, before: tuple[str, str] | None = None) -> list[Story]:
        """Stories by last update, newest first."""
        ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching a query, best first."""
        ...

    def counts(self) -> dict[str, int]:
        """How many articles and stories are stored."""
        ...

    def close(self) -> None:
        """Release the backend's resources."""
        ...
