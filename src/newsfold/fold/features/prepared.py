"""What folding computes per article before placing it (features, LSH band keys, lead vector), as one unit.

The folder computes it for each batch it folds; a batch job may compute it ahead on its executor's workers (the
same function) and hand it to the folder, which then skips the work. Rows convert to and from plain columns so
prepared articles travel as Parquet.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from newsfold.fold.features.embed import Embedder
from newsfold.fold.features.features import Features, band_matrix, features
from newsfold.fold.features.pivoted import compared
from newsfold.language.pivot import PivotComparer
from newsfold.model import Article

COLUMNS = (
    "article_id",
    "group",
    "at",
    "text_hash",
    "shingles",
    "term_ids",
    "term_counts",
    "names",
    "lead",
    "language",
    "title_words",
    "sentences",
    "name_keys",
    "keys",
    "vector",
)
FEATURE_COLUMNS = COLUMNS[:-2]  # what verification reads (no band keys, no lead vector)


@dataclass(slots=True)
class Prepared:
    """One article's folding inputs: its features, its LSH band keys and its lead embedding."""

    features: Features
    keys: NDArray[np.uint64]
    vector: NDArray[np.float32]


def prepare(
    articles: Sequence[Article], embedder: Embedder, now: datetime, pivot: PivotComparer | None = None
) -> list[Prepared]:
    """Features, band keys and lead vectors of a batch of articles (leads embedded in one call, in order); with
    pivot, the texts of languages the encoder does not cover are compared through their translation."""
    items = compared([features(a, now) for a in articles], pivot)
    keys = band_matrix(items)
    vectors = embedder.encode([f.lead for f in items])
    return [Prepared(item, keys[row], vectors[row]) for row, item in enumerate(items)]


class PrepareStep:
    """The pipeline's prepare step: folding's inputs for one fold batch of documents, pure (no store), so it runs in
    a worker (ahead of ingest's writer, in a batch's process pool or on Ray) as well as in the writer."""

    name = "prepare"

    def __init__(self, embedder: Embedder, pivot: PivotComparer | None = None) -> None:
        """Embed leads with embedder (its model loads on first use, in whichever process runs the step), texts the
        encoder does not cover through pivot's translations (None: as they are)."""
        self.embedder = embedder
        self.pivot = pivot

    def __call__(self, articles: Sequence[Article], now: datetime) -> list[Prepared]:
        """The batch's prepared inputs, in order; now is the clock that dates found implausible are judged by."""
        return prepare(articles, self.embedder, now, self.pivot)


def to_row(item: Prepared) -> dict[str, Any]:
    """A prepared article as a row of plain values (lists, strings, numbers)."""
    f = item.features
    return {
        "article_id": f.article_id,
        "group": f.group,
        "at": f.at,
        "text_hash": f.text_hash,
        "shingles": sorted(f.shingles),
        "term_ids": f.terms[0].tolist(),
        "term_counts": f.terms[1].tolist(),
        "names": sorted(f.names),
        "lead": f.lead,
        "language": f.language,
        "title_words": sorted(f.title_words),
        "sentences": list(f.sentences),
        "name_keys": list(f.name_keys),
        "keys": item.keys.tolist(),
        "vector": item.vector.tolist(),
    }


def features_from_row(row: dict[str, Any]) -> Features:
    """The features of a row of to_row (FEATURE_COLUMNS are enough)."""
    at = row["at"]
    return Features(
        article_id=row["article_id"],
        group=row["group"],
        at=math.nan if at is None else float(at),
        text_hash=row["text_hash"],
        shingles=frozenset(row["shingles"]),
        terms=(np.asarray(row["term_ids"], dtype=np.int64), np.asarray(row["term_counts"], dtype=np.float64)),
        names=frozenset(row["names"]),
        lead=row["lead"],
        language=row["language"],
        title_words=frozenset(row["title_words"]),
        sentences=tuple(row["sentences"]),
        name_keys=tuple(row.get("name_keys") or ()),
    )


def from_row(row: dict[str, Any]) -> Prepared:
    """The inverse of to_row (exact: float32 vectors and uint64 keys round-trip bit for bit)."""
    return Prepared(
        features_from_row(row),
        np.asarray(row["keys"], dtype=np.uint64),
        np.asarray(row["vector"], dtype=np.float32),
    )


def columns(items: Iterable[Prepared]) -> dict[str, list[Any]]:
    """Prepared articles as columns (every column present, even when there are none)."""
    out: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    for item in items:
        for column, value in to_row(item).items():
            out[column].append(value)
    return out
