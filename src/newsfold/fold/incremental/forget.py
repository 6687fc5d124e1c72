"""Folding's document frequencies without removed articles: a takedown takes its articles' terms out of them, and
`repair` counts them again from the stored articles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np

from newsfold.fold.features.features import features
from newsfold.fold.link.index import DF_BUCKETS, FoldIndex, save_df, stored_df
from newsfold.fold.link.link import count_terms
from newsfold.store import articles as articles_db
from newsfold.store import integrity as integrity_db
from newsfold.store.base import Connection

CHUNK = 500  # articles read at a time when counting


def uncount(conn: Connection, article_ids: Sequence[str]) -> int:
    """Take the terms of the folded ones among these stored articles out of the stored document frequencies (and
    them out of the document count), before they are deleted; return how many were taken out."""
    state = integrity_db.fold_state(conn)
    df = stored_df(state)
    if df is None:
        return 0
    folded = integrity_db.folded_among(conn, article_ids)
    change = _term_counts(conn, folded)
    ndocs = int(state.get("ndocs", b"0").decode())
    _write(conn, np.maximum(df - change, 0).astype(np.int32), max(0, ndocs - len(folded)), df)
    return len(folded)


def recount(conn: Connection) -> int:
    """Count the document frequencies again from every folded stored article (what `repair` rebuilds); return the
    number of documents counted."""
    folded = integrity_db.folded_articles(conn)
    _write(conn, _term_counts(conn, folded), len(folded), None)
    return len(folded)


def _term_counts(conn: Connection, article_ids: Sequence[str]) -> np.ndarray:
    """The document frequencies of these stored articles alone (folding's terms, each bucket once an article)."""
    df = np.zeros(DF_BUCKETS, dtype=np.int32)
    now = datetime.now(UTC)
    for start in range(0, len(article_ids), CHUNK):
        for article in articles_db.get_articles(conn, list(article_ids[start : start + CHUNK])):
            count_terms(df, features(article, now))
    return df


def _write(conn: Connection, df: np.ndarray, ndocs: int, stored: np.ndarray | None) -> None:
    """Store frequencies and a document count (as a change from stored, or whole when stored is None)."""
    index = FoldIndex(dim=0, df=df, ndocs=ndocs, df_stored=stored)
    save_df(conn, index)
