"""Quality floors, pinned from benchmarks/fold.py on subsets of the development data (quick enough for CI)."""

from __future__ import annotations

import pytest

from newsfold.fold.embed import UseEmbedder
from tests.conftest import data_dir

bench = pytest.importorskip("benchmarks.fold")


@pytest.fixture(scope="module")
def itn(embedder: UseEmbedder) -> tuple[object, ...]:
    """Pairwise F1 of newsfold and both baselines on every 6th itn-dev topic."""
    data_dir("itn-dev")
    labelled = bench.itn_set(every=6)
    return _f1s(labelled, embedder)


def _f1s(labelled: object, embedder: UseEmbedder) -> tuple[float, float, float]:
    """Pairwise F1 of newsfold, MinHash 5-gram and tf-idf single-link on a labelled set."""
    articles, labels = labelled.articles, labelled.labels  # type: ignore[attr-defined]
    ours = bench.newsfold_clusters(articles, embedder)
    minhash = bench.minhash_clusters(articles)
    tfidf = bench.tfidf_clusters(articles)
    return tuple(bench.pairwise(labels, found)[2] for found in (ours, minhash, tfidf))  # type: ignore[return-value]


def test_itn_floor_and_baselines(itn: tuple[float, float, float]) -> None:
    """Cross-language reports: newsfold holds its floor and beats both baselines."""
    ours, minhash, tfidf = itn
    assert ours >= 0.80
    assert ours > max(minhash, tfidf)


def test_wikinews_copies_floor_and_baselines(embedder: UseEmbedder) -> None:
    """Transformed copies: newsfold holds its floor and beats both baselines."""
    data_dir("wikinews-en")
    ours, minhash, tfidf = _f1s(bench.wikinews_copies_set(limit=200), embedder)
    assert ours >= 0.94
    assert ours > max(minhash, tfidf)


def test_seeds_f1_is_perfect(embedder: UseEmbedder) -> None:
    """The seeds: one story of two copies, the press release apart; MinHash at 0.8 misses the pair."""
    labelled = bench.seeds_set()
    found = bench.newsfold_clusters(labelled.articles, embedder)
    assert bench.pairwise(labelled.labels, found)[2] == 1.0
    assert bench.pairwise(labelled.labels, bench.minhash_clusters(labelled.articles))[1] == 0.0
