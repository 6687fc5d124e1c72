"""Linking depends on the fold order only: the same candidates and edges however documents are cut into batches."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsfold.executors.local import LocalExecutor
from newsfold.fold import lsh
from newsfold.fold.embed import HashingEmbedder
from newsfold.fold.folder import Folder, FoldSettings
from newsfold.store.db import Database
from tests.executors.corpus import mixed_articles
from tests.fold.conftest import fold_all


def brute_force(keys: np.ndarray, cap: int, limit: int) -> list[list[tuple[int, int]]]:
    """The definition, document by document: earlier documents sharing a key, a key giving its newest cap."""
    out = []
    for d in range(keys.shape[0]):
        shared: dict[int, int] = {}
        for key in {int(k) for k in keys[d] if k}:
            earlier = [e for e in range(d) if key in {int(k) for k in keys[e]}]
            for e in earlier[-cap:]:
                shared[e] = shared.get(e, 0) + 1
        out.append(sorted(shared.items(), key=lambda p: (-p[1], -p[0]))[:limit])
    return out


def random_keys(n: int, rng: random.Random) -> np.ndarray:
    """Band keys drawn from a small alphabet (floods and partial overlaps), some documents without keys."""
    keys = np.array([[rng.randint(1, 6) * 100 + band for band in range(lsh.BANDS)] for _ in range(n)], np.uint64)
    keys[rng.sample(range(n), n // 10)] = 0
    for row in range(n):
        keys[row, rng.sample(range(lsh.BANDS), 20)] = rng.randint(1000, 1000 + n)
    return keys


@pytest.mark.parametrize("batch", [1, 7, 64])
def test_lsh_candidates_follow_the_definition_for_any_batch_size(batch: int) -> None:
    rng = random.Random(batch)
    keys = random_keys(150, rng)
    expected = brute_force(keys, cap=5, limit=4)
    index = lsh.LshIndex(bucket_cap=5)
    got: list[list[tuple[int, int]]] = []
    for start in range(0, len(keys), batch):
        docs = list(range(start, min(start + batch, len(keys))))
        got += index.query_earlier(keys[docs[0] : docs[-1] + 1], docs, 4)
        index.add_many(docs, keys[docs[0] : docs[-1] + 1])
    assert got == expected
    assert sum(len(hits) for hits in got) > 300, "the keys make many candidates"


def test_band_shuffle_equals_the_index() -> None:
    rng = random.Random(3)
    keys = random_keys(300, rng)
    index = lsh.LshIndex(bucket_cap=6)
    expected = {(d, c) for d, hits in enumerate(index.query_earlier(keys, range(300), 5)) for c, _ in hits}
    firsts, seconds = LocalExecutor(1).band_candidates(keys, 6, 5)
    assert set(zip(firsts.tolist(), seconds.tolist(), strict=True)) == expected
    firsts, seconds = LocalExecutor(2).band_candidates(keys, 6, 5)
    assert set(zip(firsts.tolist(), seconds.tolist(), strict=True)) == expected


def folded(conn: sqlite3.Connection) -> tuple[set[tuple[str, str, str, float]], set[tuple[str, str, str, str]]]:
    """The store's edges and every article's (id, story, relation, copy_of)."""
    edges = {tuple(r) for r in conn.execute("SELECT a, b, relation, score FROM fold_edges")}
    members = {tuple(r) for r in conn.execute("SELECT id, story_id, relation, coalesce(copy_of, '') FROM articles")}
    return edges, members  # type: ignore[return-value]


def test_edges_and_stories_do_not_depend_on_batch_size(tmp_path: Path) -> None:
    articles = mixed_articles(90, 210)
    results = []
    for batch in (1, 7, 64):
        db = Database(tmp_path / f"b{batch}.db")
        folder = Folder(FoldSettings(embedder="hashing"), embedder=HashingEmbedder())
        fold_all(db, folder, articles, batch=batch)
        with db.read() as conn:
            results.append(folded(conn))
        db.close()
    edges, members = results[0]
    assert len(edges) > 150 and {e[2] for e in edges} == {"copy", "report"}
    assert len({m[1] for m in members}) < len(members) * 0.7, "many articles share stories"
    assert results[1] == results[0]
    assert results[2] == results[0]
