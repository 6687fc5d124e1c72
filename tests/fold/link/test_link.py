"""Linking depends on the fold order only: the same candidates and edges however documents are cut into batches."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from newsfold.executors import local as local_executor
from newsfold.executors.local import LocalExecutor
from newsfold.fold.features import lsh
from newsfold.fold.features.embed import HashingEmbedder
from newsfold.fold.incremental.folder import Folder, FoldSettings
from newsfold.fold.link.link import RECENT, Leads, LinkSettings, block_lead_cosines, lead_dots, neighbours
from newsfold.fold.link.pairs import load_pair_model
from newsfold.fold.link.verify import DAY
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


def test_band_shuffle_spilled_in_many_partitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Partitions sized by rows (as at 1M documents, here ~100 of them): the same candidates."""
    rng = random.Random(4)
    keys = random_keys(300, rng)
    index = lsh.LshIndex(bucket_cap=6)
    expected = {(d, c) for d, hits in enumerate(index.query_earlier(keys, range(300), 5)) for c, _ in hits}
    monkeypatch.setattr(local_executor, "ROWS_PER_PART", 97)
    firsts, seconds = LocalExecutor(1).band_candidates(keys, 6, 5)
    assert set(zip(firsts.tolist(), seconds.tolist(), strict=True)) == expected
    assert len(firsts) == len(expected)


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


def neighbours_by_definition(
    docs: list[int], vectors: np.ndarray, times: np.ndarray, groups: list[str], settings: LinkSettings
) -> list[list[int]]:
    """The lead-neighbour definition, pair by pair: earlier documents of the document's group, lead cosine over
    the floor, within the window (when either is undated: over the undated floor, among the RECENT previous); when
    more than `candidates`, the best cosines, newest first among ties, in that order."""
    out = []
    for doc in docs:
        found = []
        for other in range(doc):
            cosine = float(lead_dots(vectors[doc][None, :], vectors[other][None, :])[0, 0])
            if groups[other] != groups[doc]:
                continue
            if np.isnan(times[doc]) or np.isnan(times[other]):
                if doc - other > RECENT or cosine < settings.undated_floor:
                    continue
            elif cosine < settings.neighbour_floor or abs(times[doc] - times[other]) > settings.window_days * DAY:
                continue
            found.append((-cosine, -other))
        if len(found) > settings.candidates:
            out.append([-other for _, other in sorted(found)[: settings.candidates]])
        else:  # all of them, oldest first
            out.append(sorted(-other for _, other in found))
    return out


@pytest.mark.parametrize("floor", [0.05, 0.3])
def test_lead_neighbours_follow_the_definition(floor: float) -> None:
    """neighbours() (pairs over the floor first, a partition for the best) equals the definition, with many tied
    cosines (few distinct vector values), undated documents and two groups."""
    rng = np.random.default_rng(int(floor * 100))
    n, first = 400, 330
    vectors = (rng.integers(-2, 3, size=(n, 6)) * 40).astype(np.int8)
    times = np.where(rng.random(n) < 0.15, np.nan, np.sort(rng.random(n)) * 20 * DAY)
    groups = ["press_release" if g else "article" for g in rng.random(n) < 0.2]
    settings = LinkSettings(7.0, 0.7, 0.8, 1.0, 0.7, floor, 5, load_pair_model(), floor * 2)
    docs = list(range(first, n))
    pool = np.arange(n, dtype=np.int64)
    block = Leads(np.asarray(docs, dtype=np.int64), vectors[first:], times[first:], groups[first:])
    found = neighbours(block, Leads(pool, vectors, times, groups), settings)
    expected = neighbours_by_definition(docs, vectors, times, groups, settings)
    assert found == expected
    assert sum(len(f) == settings.candidates for f in found) > len(docs) // 2  # the partition path ran


@pytest.mark.parametrize("dim", [16, 1100])  # 1100: wide enough that float32 sums could round (float64 path)
def test_block_lead_cosines_equal_lead_dots(dim: int) -> None:
    """The block's pairwise lead cosines are exactly what lead_dots gives one document at a time."""
    rng = np.random.default_rng(dim)
    vectors = rng.integers(-127, 128, size=(40, dim)).astype(np.int8)
    pool = rng.integers(-127, 128, size=(60, dim)).astype(np.int8)
    chosen = [sorted(rng.choice(60, size=int(rng.integers(0, 9)), replace=False).tolist()) for _ in range(40)]
    known = {c: (None, pool[c]) for c in range(60)}
    found = block_lead_cosines(vectors, chosen, known)  # type: ignore[arg-type]
    for row, cands in enumerate(chosen):
        expected = lead_dots(vectors[row][None, :], pool[cands])[0].tolist() if cands else []
        assert found[row] == expected
