"""`newsfold batch`'s fold result and exports as Parquet, and a store loaded from them in bulk.

folded/ (the fold stage's output, renamed into place when complete):
- members.parquet: each document in fold order: id, story_id, relation, copy_of, score, ingested;
- stories.parquet: every story the fold created, merged ones included (the stories table's columns);
- edges.parquet: the verified edges (a, b, relation, score), as fold_edges holds them;
- docs.parquet and df.npy (the distributed fold): each document's fold features as fold_docs holds them, and the
  corpus's document frequencies, so a loaded store goes on folding incrementally where the batch stopped;
- corpus.arrow (the distributed fold): the prepared features in fold order that its workers read.
The export stage joins members with the extracted rows into articles.parquet (the articles table's columns) and
writes the live stories into stories.parquet.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsfold.errors import NewsfoldError
from newsfold.executors.tasks import ARTICLE_COLUMNS, INT_COLUMNS
from newsfold.fold.batch.corpus import Corpus, read_column
from newsfold.fold.batch.distributed import FoldResult
from newsfold.fold.batch.outcome import STORY_COLUMNS
from newsfold.store import bulk as bulk_db
from newsfold.store.base import Backend, Connection
from newsfold.store.bulk import BulkTable
from newsfold.store.db import Database

log = logging.getLogger(__name__)

FOLDED = "folded"
ROWS = 5000  # rows a write or a store transaction
MEMBERS_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("story_id", pa.string()),
        ("relation", pa.string()),
        ("copy_of", pa.string()),
        ("score", pa.float64()),
        ("ingested", pa.string()),
    ]
)
STORIES_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("languages", pa.string()),
        ("first_published", pa.string()),
        ("last_updated", pa.string()),
        ("original_name", pa.string()),
        ("original_url", pa.string()),
        ("highlights", pa.string()),
        ("size", pa.int64()),
        ("sources", pa.int64()),
        ("created", pa.string()),
        ("merged_into", pa.string()),
    ]
)
EDGES_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string()), ("relation", pa.string()), ("score", pa.float64())])
ARTICLES_SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        *[(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in ARTICLE_COLUMNS],
        ("ingested", pa.string()),
        ("story_id", pa.string()),
        ("relation", pa.string()),
        ("copy_of", pa.string()),
        ("score", pa.float64()),
    ]
)


def first_rows(ids: Sequence[str]) -> list[bool]:
    """For each row, whether it is the first with its id (the store keeps the first of articles with one id)."""
    seen: set[str] = set()
    out = []
    for article_id in ids:
        out.append(article_id not in seen)
        seen.add(article_id)
    return out


def _write(path: Path, table: pa.Table) -> None:
    """A Parquet file written beside its place, then renamed into it."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def write_fold_result(folder: Path, corpus: Corpus, result: FoldResult, stamp: str) -> None:
    """The distributed fold's result as folded/'s files (stamp: the ingested and created time)."""
    n = corpus.size
    ids = pa.array(corpus.ids, type=pa.string())
    _write(
        folder / "members.parquet",
        pa.table(
            [
                ids,
                pa.array(result.stories, type=pa.string()),
                pa.array(result.relations, type=pa.string()),
                pa.array(result.copies, type=pa.string()),
                pa.nulls(n, type=pa.float64()),
                pa.array([stamp] * n, type=pa.string()),
            ],
            schema=MEMBERS_SCHEMA,
        ),
    )
    rows = sorted(result.story_rows)
    columns = {name: [row[i] for row in rows] for i, name in enumerate(STORY_COLUMNS)}
    columns["highlights"] = ["[]"] * len(rows)
    columns["created"] = [stamp] * len(rows)
    _write(folder / "stories.parquet", pa.table(columns, schema=STORIES_SCHEMA))
    a, b, copy, score = result.edges
    _write(
        folder / "edges.parquet",
        pa.table(
            [
                ids.take(pa.array(a)),
                ids.take(pa.array(b)),
                pa.array(np.where(copy, "copy", "report").tolist(), type=pa.string()),
                pa.array(score, type=pa.float64()),
            ],
            schema=EDGES_SCHEMA,
        ),
    )
    hashes = read_column(corpus.path, "text_hash")
    # a document's band keys then its name-key slots, as the incremental folder stores them (index.save_docs)
    stored = corpus.keys if corpus.slots is None else np.hstack([corpus.keys, corpus.slots])
    bands, dim = stored.shape[1] * 8, corpus.vectors.shape[1]
    docs = pa.table(
        {
            "article_id": ids,
            "grp": pa.array(corpus.groups, type=pa.string()),
            "at": pa.array(corpus.times, type=pa.float64(), mask=np.isnan(corpus.times)),
            "text_hash": hashes,
            "bands": pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(bands), n, [None, pa.py_buffer(np.ascontiguousarray(stored).tobytes())]
            ),
            "embedding": pa.FixedSizeBinaryArray.from_buffers(
                pa.binary(dim), n, [None, pa.py_buffer(np.ascontiguousarray(corpus.vectors).tobytes())]
            ),
        }
    )
    _write(folder / "docs.parquet", docs)
    np.save(folder / "df.npy", result.df)


def dump_fold_result(conn: Connection, folder: Path) -> None:
    """folded/'s members, stories and edges read from a store the incremental folder wrote."""
    reads: tuple[tuple[str, pa.Schema, Callable[[], list[tuple[Any, ...]]]], ...] = (
        ("members", MEMBERS_SCHEMA, lambda: bulk_db.fold_members(conn)),
        ("stories", STORIES_SCHEMA, lambda: bulk_db.story_table(conn, STORIES_SCHEMA.names)),
        ("edges", EDGES_SCHEMA, lambda: bulk_db.fold_edges(conn)),
    )
    for name, schema, read in reads:
        rows = read()
        columns = {column: [row[i] for row in rows] for i, column in enumerate(schema.names)}
        _write(folder / f"{name}.parquet", pa.table(columns, schema=schema))


def write_export(out: Path, kept: pa.Table, members: pa.Table, stories: pa.Table) -> None:
    """articles.parquet from the kept extracted rows (one per document, fold order) and the fold's members, and
    stories.parquet of the live stories (by id), each written beside its place and renamed into it."""
    if kept.column("id").to_pylist() != members.column("id").to_pylist():
        raise NewsfoldError("batch export: the fold's members are not the extracted documents (run the fold again)")
    n = kept.num_rows
    table = pa.table(
        [
            pa.array(np.arange(1, n + 1, dtype=np.int64)),
            *[kept.column(c).cast(ARTICLES_SCHEMA.field(c).type) for c in ARTICLE_COLUMNS],
            *[members.column(c) for c in ("ingested", "story_id", "relation", "copy_of", "score")],
        ],
        schema=ARTICLES_SCHEMA,
    )
    tmp = out / "articles.parquet.tmp"
    with pq.ParquetWriter(tmp, ARTICLES_SCHEMA) as writer:
        for start in range(0, n, ROWS):
            writer.write_table(table.slice(start, ROWS))
    os.replace(tmp, out / "articles.parquet")
    live = stories.filter(pc.and_(pc.is_null(stories.column("merged_into")), pc.greater(stories.column("size"), 0)))
    _write(out / "stories.parquet", live.sort_by("id"))


def _insert(db: Backend, table: BulkTable, file: Path, columns: Sequence[str]) -> int:
    """Rows of a Parquet file into a store table, a transaction per ROWS rows; how many."""
    count = 0
    for batch in pq.ParquetFile(file).iter_batches(batch_size=ROWS, columns=list(columns)):
        values = [batch.column(c).to_pylist() for c in columns]
        with db.write() as conn:
            bulk_db.insert_rows(conn, table, columns, zip(*values, strict=True))
        count += batch.num_rows
    return count


def load_store(out: Path, path: Path) -> None:
    """A new store at path from a distributed batch's output, in bulk: articles (with their stories and
    relations), stories, fold edges, fold documents and frequencies, as the incremental folder leaves them."""
    folded = out / FOLDED
    if not (folded / "docs.parquet").exists():
        raise NewsfoldError(f"{out}: no distributed fold result to load (run the batch first)")
    db = Database(path)
    try:
        articles = _insert(db, "articles", out / "articles.parquet", ARTICLES_SCHEMA.names)
        _insert(db, "stories", folded / "stories.parquet", STORIES_SCHEMA.names)
        _insert(db, "fold_edges", folded / "edges.parquet", EDGES_SCHEMA.names)
        docs = _insert(
            db, "fold_docs", folded / "docs.parquet", ("article_id", "grp", "at", "text_hash", "bands", "embedding")
        )
        df = np.load(folded / "df.npy")
        with db.write() as conn:
            bulk_db.set_fold_frequencies(conn, df.astype(np.int32).tobytes(), docs)
        log.info("store %s loaded: %d articles, %d fold documents", path, articles, docs)
    finally:
        db.close()
