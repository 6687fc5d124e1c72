"""The store's document frequencies (a whole table plus later batches' changes) reload to the folder's own."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.fold.link import index as fold_index
from newsfold.fold.link.index import FoldIndex, load_new
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store.db import Database
from tests.fold.conftest import fold_all


def _articles(count: int) -> list[Article]:
    """Articles of random words from a small vocabulary (shared terms), a minute apart."""
    rng = random.Random(11)
    vocab = ["".join(rng.choice("abcdefghij") for _ in range(rng.randint(4, 8))) for _ in range(400)]
    base = datetime(2024, 1, 1, tzinfo=UTC)
    return [
        Article(
            origin=Origin(f"test:{i}"),
            title=" ".join(rng.choices(vocab, k=6)),
            paragraphs=[Paragraph(" ".join(rng.choices(vocab, k=80)))],
            language="en",
            published=base + timedelta(minutes=i),
            source=SourceRef(url=f"https://example.org/{i}"),
        )
        for i in range(count)
    ]


def _state_keys(db: Database) -> list[str]:
    """The keys of the store's fold_state rows."""
    with db.read() as conn:
        return sorted(row[0] for row in conn.execute("SELECT key FROM fold_state"))


def test_frequencies_reload_exactly_across_changes_and_rewrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches store only their changes until DF_DELTAS of them are kept, then the whole table again; a new index
    loaded from the store has the folder's frequencies and document count at every point."""
    monkeypatch.setattr(fold_index, "DF_DELTAS", 3)
    db = Database(tmp_path / "state.db")
    folder = Folder(FoldSettings(), embedder=HashingEmbedder())
    articles = _articles(160)
    seen_changes = []
    for start in range(0, len(articles), 32):
        fold_all(db, folder, articles[start : start + 32], batch=16)
        keys = _state_keys(db)
        changes = [k for k in keys if k.startswith("df+")]
        seen_changes.append(len(changes))
        assert "df" in keys and len(changes) <= 3
        fresh = FoldIndex(dim=folder.index.dim)
        with db.read() as conn:
            load_new(conn, fresh)
        assert fresh.ndocs == folder.index.ndocs == start + 32
        assert np.array_equal(fresh.df, folder.index.df)
    assert max(seen_changes) == 3 and min(seen_changes) < 3  # changes were kept, then folded into the table
    db.close()
