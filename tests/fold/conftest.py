"""Fixtures for folding tests: one shared embedder (its model loads once) and a fold helper."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from newsfold.fold.features.embed import UseEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.model import Article
from newsfold.store import articles as articles_db
from newsfold.store.db import Database


@pytest.fixture(scope="session")
def embedder() -> UseEmbedder:
    """The default USE embedder, shared by every test of the session."""
    return UseEmbedder()


def fold_all(db: Database, folder: Folder, articles: Sequence[Article], batch: int = 64) -> set[str]:
    """Store and fold articles as ingest does (a transaction per batch); return the stories changed."""
    changed: set[str] = set()
    for start in range(0, len(articles), batch):
        with db.write() as conn:
            new = articles_db.insert_articles(conn, articles[start : start + batch])
            changed |= folder.fold(conn, new)
    return changed


@pytest.fixture
def folder(embedder: UseEmbedder) -> Folder:
    """A folder with default settings and the shared embedder."""
    return Folder(FoldSettings(), embedder=embedder)
