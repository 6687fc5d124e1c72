"""A batch fold's corpus: the prepared documents in fold order, written once to an Arrow IPC file that workers
memory-map and read features from (a record batch per block of documents: a row is read without decoding its
block; Parquet row groups cost ~80 ms a read at 100k documents), and the compact arrays the driver keeps.

The driver keeps what linking and placement index by document number (ids, groups, times, band keys, int8 lead
vectors, the exact-text match, batch numbers) and the article columns stories are computed from; the features
verification reads (shingles, terms, names, leads) stay in the file, so the driver's memory does not hold them.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from newsfold.errors import NewsfoldError
from newsfold.fold.features import lsh
from newsfold.fold.features.features import Features, key_slots
from newsfold.fold.features.prepared import FEATURE_COLUMNS, features_from_row
from newsfold.fold.features.text import NAME_KEYS
from newsfold.fold.link.index import hash_key, quantise

log = logging.getLogger(__name__)

BLOCK = 512  # documents a record batch of the corpus file, and a neighbour / verification task


@dataclass(slots=True)
class Corpus:
    """Every document of a batch fold in fold order: what the driver keeps; the features are in the file."""

    path: Path
    ids: list[str]
    groups: list[str]
    keys: NDArray[np.uint64]
    vectors: NDArray[np.int8]
    times: NDArray[np.float64]
    exact: NDArray[np.int64]  # the first earlier document with the same text in the group, or -1
    batches: NDArray[np.int64]  # the fold batch (prepare chunk) of each document
    meta: pa.Table  # article columns, one row a document
    slots: NDArray[np.uint64] | None = None  # each document's name keys (features.key_slots)

    @property
    def size(self) -> int:
        """How many documents."""
        return len(self.ids)


class _Builder:
    """Accumulates the driver's arrays while the corpus file is written (one pass over the prepared rows)."""

    def __init__(self, path: Path, dim: int) -> None:
        """Open the file; nothing kept yet."""
        self.path, self.dim = path, dim
        self.ids: list[str] = []
        self.groups: list[str] = []
        self.keys: list[NDArray[np.uint64]] = []
        self.vectors: list[NDArray[np.int8]] = []
        self.times: list[NDArray[np.float64]] = []
        self.batches: list[NDArray[np.int64]] = []
        self.slots: list[NDArray[np.uint64]] = []
        self.exact: list[int] = []
        self.first: dict[int, int] = {}
        self.seen: set[str] = set()
        self.kept: list[bool] = []
        self.pending: list[pa.Table] = []
        self.pending_rows = 0
        self.writer: pa.ipc.RecordBatchFileWriter | None = None

    def add(self, batch: pa.RecordBatch) -> None:
        """Take a batch of prepared rows (fold order): the first row of each article id is a document."""
        ids = batch.column("article_id").to_pylist()
        mask = []
        for article_id in ids:
            new = article_id not in self.seen
            self.seen.add(article_id)
            mask.append(new)
        self.kept += mask
        table = pa.Table.from_batches([batch]).filter(pa.array(mask, type=pa.bool_()))
        if table.num_rows == 0:
            return
        self._arrays(table)
        self.pending.append(table.select(list(FEATURE_COLUMNS)))
        self.pending_rows += table.num_rows
        while self.pending_rows >= BLOCK:
            self._flush(BLOCK)

    def _arrays(self, table: pa.Table) -> None:
        """The compact per-document arrays of new documents."""
        start = len(self.ids)
        ids, groups = table.column("article_id").to_pylist(), table.column("group").to_pylist()
        self.ids += ids
        self.groups += groups
        self.times.append(table.column("at").to_numpy(zero_copy_only=False).astype(np.float64))
        self.batches.append(table.column("chunk").to_numpy(zero_copy_only=False).astype(np.int64))
        keys = pc.list_flatten(table.column("keys")).to_numpy(zero_copy_only=False).astype(np.uint64)
        self.keys.append(keys.reshape(table.num_rows, lsh.BANDS))
        vectors = np.zeros((table.num_rows, self.dim), dtype=np.int8)
        lengths = pc.list_value_length(table.column("vector")).to_numpy(zero_copy_only=False)
        full = np.flatnonzero(lengths == self.dim)
        if len(full):
            flat = pc.list_flatten(table.column("vector").take(pa.array(full))).to_numpy(zero_copy_only=False)
            vectors[full] = quantise(flat.astype(np.float32).reshape(len(full), self.dim))
        self.vectors.append(vectors)
        names = table.column("name_keys").to_pylist() if "name_keys" in table.column_names else []
        self.slots.append(key_slots([n or () for n in names] or [()] * table.num_rows))
        for row, (group, text_hash) in enumerate(zip(groups, table.column("text_hash").to_pylist(), strict=True)):
            if not text_hash:
                self.exact.append(-1)
                continue
            found = self.first.setdefault(hash_key(group, text_hash), start + row)
            self.exact.append(found if found < start + row else -1)

    def _flush(self, rows: int) -> None:
        """Write the first rows pending as one record batch."""
        table = pa.concat_tables(self.pending)
        if self.writer is None:
            self.writer = pa.ipc.new_file(str(self.path), table.schema)
        for batch in table.slice(0, rows).combine_chunks().to_batches():
            self.writer.write_batch(batch)
        rest = table.slice(rows)
        self.pending, self.pending_rows = ([rest] if rest.num_rows else []), rest.num_rows

    def finish(self, meta: pa.Table) -> Corpus:
        """Write the last block; the corpus with meta (one row per prepared row) reduced to the documents."""
        if self.pending_rows:
            self._flush(self.pending_rows)
        if self.writer is None:
            self.writer = pa.ipc.new_file(str(self.path), pa.schema([(c, pa.string()) for c in FEATURE_COLUMNS]))
        self.writer.close()
        if meta.num_rows != len(self.kept):
            raise NewsfoldError(f"batch fold: {meta.num_rows} extracted rows but {len(self.kept)} prepared ones")
        meta = meta.filter(pa.array(self.kept, type=pa.bool_()))
        if meta.column("id").to_pylist() != self.ids:
            raise NewsfoldError("batch fold: the extracted and prepared rows are not in the same order")
        n = len(self.ids)
        return Corpus(
            self.path,
            self.ids,
            self.groups,
            np.concatenate(self.keys) if self.keys else np.zeros((0, lsh.BANDS), np.uint64),
            np.concatenate(self.vectors) if self.vectors else np.zeros((0, self.dim), np.int8),
            np.concatenate(self.times) if self.times else np.zeros(0, np.float64),
            np.asarray(self.exact, dtype=np.int64).reshape(n),
            np.concatenate(self.batches) if self.batches else np.zeros(0, np.int64),
            meta,
            np.concatenate(self.slots) if self.slots else np.zeros((0, NAME_KEYS), np.uint64),
        )


def build_corpus(prepared: Iterable[pa.RecordBatch], meta: pa.Table, path: Path, dim: int) -> Corpus:
    """Write the corpus file from prepared rows in fold order (the first row of an article id is its document) and
    return what the driver keeps; meta holds the same rows' article columns, in the same order."""
    builder = _Builder(path, dim)
    for batch in prepared:
        builder.add(batch)
    corpus = builder.finish(meta)
    log.info("batch fold corpus: %d documents in %s", corpus.size, path)
    return corpus


def prepared_in_order(folder: Path) -> Iterator[pa.RecordBatch]:
    """The prepare stage's rows in chunk order, streamed: each part file holds whole chunks in order (the local
    executor writes one file; Ray a file per block of consecutive chunks); otherwise the whole table is sorted."""
    files = sorted(folder.glob("*.parquet"))
    spans: list[tuple[int, int, Path]] = []
    for file in files:
        chunks = pq.read_table(file, columns=["chunk"]).column("chunk").to_numpy(zero_copy_only=False)
        if len(chunks) == 0:
            continue
        if np.any(np.diff(chunks) < 0):
            spans = []
            break
        spans.append((int(chunks[0]), int(chunks[-1]), file))
    spans.sort(key=lambda s: (s[0], s[1]))
    if spans and all(a[1] < b[0] for a, b in itertools.pairwise(spans)):
        for _, _, file in spans:
            yield from pq.ParquetFile(file).iter_batches(batch_size=BLOCK)
        return
    if any(pq.ParquetFile(f).metadata.num_rows for f in files):
        log.info("prepared parts overlap: sorting the whole table")
        yield from pq.read_table(folder).sort_by("chunk").to_batches(max_chunksize=BLOCK)


def read_features(path: str | Path, docs: Sequence[int] | NDArray[np.int64]) -> dict[int, Features]:
    """The features of some documents, read from the memory-mapped corpus file (only the rows asked for)."""
    wanted = np.unique(np.asarray(docs, dtype=np.int64))
    out: dict[int, Features] = {}
    if len(wanted) == 0:
        return out
    with pa.memory_map(str(path)) as source:
        reader = pa.ipc.open_file(source)
        # wanted is sorted, so each block's rows are one slice of it (a mask per block made a task's time grow with
        # its rows times the blocks its candidates touch)
        cuts = np.flatnonzero(np.diff(wanted // BLOCK)) + 1
        for own in np.split(wanted, cuts):
            block = int(own[0]) // BLOCK
            rows = reader.get_batch(block).take(pa.array(own - block * BLOCK)).to_pylist()
            out.update(zip(own.tolist(), map(features_from_row, rows), strict=True))
    return out


def read_column(path: str | Path, column: str) -> pa.ChunkedArray:
    """One column of the corpus file, every document in order."""
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all().column(column)
