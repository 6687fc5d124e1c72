"""The work an executor distributes: the pipeline's per-document steps on one chunk of rows, columns in and out.

An executor knows no phase of a batch job: it runs a ChunkTask over rows, wherever it likes, and writes the rows the
task makes as Parquet. DocumentsTask runs the read step and the document steps on a chunk of inputs; PrepareTask
runs the prepare step on a chunk of fold batches. Both are made on the driver from the pipeline (newsfold.steps).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import pyarrow as pa

from newsfold.engine import IngestReport, extract_all
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureLog, FurnitureMemory
from newsfold.fold.features.prepared import COLUMNS as PREPARED_COLUMNS
from newsfold.fold.features.prepared import PrepareStep
from newsfold.fold.features.prepared import columns as prepared_columns
from newsfold.ingest.files import iter_inputs
from newsfold.model import Article
from newsfold.pipeline import Step
from newsfold.store.articles import article_from_row, article_row

# Columns of an extracted-document row: the store's article columns plus where it came from and its fate.
ARTICLE_COLUMNS = (
    "id",
    "kind",
    "title",
    "text",
    "paragraphs",
    "language",
    "published",
    "updated",
    "authors",
    "contributors",
    "dateline",
    "section",
    "source_name",
    "source_url",
    "canonical_url",
    "original",
    "machine_translated",
    "highlights",
    "origin_location",
    "origin_index",
    "fetched",
)
# furniture: the FurnitureLog record of what extracting the input asked and observed up to this row (JSON)
ROW_COLUMNS = ("order", "status", "reason", "location", *ARTICLE_COLUMNS, "furniture")
INT_COLUMNS = frozenset({"order", "origin_index", "machine_translated"})


@dataclass(slots=True, frozen=True)
class InputItem:
    """One input file of a batch, with its position in the command line's order."""

    order: int
    location: str
    # extract again with this furniture memory (FurnitureMemory.replay's seed), recording nothing
    seed: str | None = None


ROW_SCHEMA = pa.schema([(column, pa.int64() if column in INT_COLUMNS else pa.string()) for column in ROW_COLUMNS])
PREPARED_SCHEMA = pa.schema(
    [
        ("chunk", pa.int64()),
        ("article_id", pa.string()),
        ("group", pa.string()),
        ("at", pa.float64()),
        ("text_hash", pa.string()),
        ("shingles", pa.list_(pa.string())),
        ("term_ids", pa.list_(pa.int64())),
        ("term_counts", pa.list_(pa.float64())),
        ("names", pa.list_(pa.string())),
        ("lead", pa.string()),
        ("language", pa.string()),
        ("title_words", pa.list_(pa.string())),
        ("sentences", pa.list_(pa.string())),
        ("name_keys", pa.list_(pa.string())),
        ("keys", pa.list_(pa.uint64())),
        ("vector", pa.list_(pa.float32())),
    ]
)


class ChunkTask(Protocol):
    """Steps run on one chunk of rows: columns in, columns out (an executor's one unit of work); picklable, made
    once on the driver, its models loaded on first use in whichever process runs it."""

    block: int  # rows a chunk holds
    schema: pa.Schema  # of the rows it makes
    gpu: bool  # whether it is worth a GPU where the cluster has one

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """The rows made of one chunk's rows, as columns."""
        ...


class DocumentsTask:
    """The read step and the pipeline's document steps on a chunk of inputs (rows: order, location, seed): the
    same steps `newsfold ingest` runs, a row per document found and per input skipped."""

    block = 16
    schema = ROW_SCHEMA
    gpu = False

    def __init__(self, documents: Sequence[Step], max_bytes: int) -> None:
        """Run documents after reading each input (of at most max_bytes); the extractor is made on first use."""
        self.documents = tuple(documents)
        self.max_bytes = max_bytes
        self._log: FurnitureLog | None = None
        self._extractor: Extractor | None = None

    def _reader(self) -> tuple[Extractor, FurnitureLog]:
        """This process's extractor and the furniture log it records into (made once)."""
        if self._extractor is None or self._log is None:
            self._log = FurnitureLog()
            self._extractor = Extractor(self._log)
        return self._extractor, self._log

    def rows(self, items: Iterable[InputItem]) -> Iterator[dict[str, Any]]:
        """A row per document found, and a row per input that was skipped, with the reason; each row carries the
        furniture record of its input up to it (the input's last row: the rest)."""
        extractor, log = self._reader()
        for item in items:
            extractor.use_memory(FurnitureMemory.from_seed(item.seed) if item.seed else log)
            log.take()
            last: dict[str, Any] | None = None
            for row in self._item_rows(extractor, item):
                if last is not None:
                    yield last
                row["furniture"] = None if item.seed else log.take()
                last = row
            if last is not None:
                if not item.seed:
                    last["furniture"] = _joined(last["furniture"], log.take())
                yield last

    def _item_rows(self, extractor: Extractor, item: InputItem) -> Iterator[dict[str, Any]]:
        """The rows of one input, without furniture records."""
        report = IngestReport()
        inputs = iter_inputs([item.location], max_bytes=self.max_bytes)
        for article in extract_all(inputs, report, extractor, self.documents):
            yield kept_row(item.order, article)
        for failure in report.failures:
            yield skipped_row(item.order, failure.location, failure.reason)

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Input rows (order, location, seed) in, document rows out, as columns."""
        seeds = batch.get("seed")
        items = [
            InputItem(int(o), str(loc), str(seeds[i]) if seeds is not None and seeds[i] else None)
            for i, (o, loc) in enumerate(zip(batch["order"], batch["location"], strict=True))
        ]
        return columnar(self.rows(items))


def input_rows(items: Iterable[InputItem]) -> Iterator[dict[str, Any]]:
    """The rows DocumentsTask reads: an input's order, location and furniture seed ("" for none)."""
    for item in items:
        yield {"order": item.order, "location": item.location, "seed": item.seed or ""}


def _joined(first: str | None, second: str | None) -> str | None:
    """Two furniture records (JSON lists of events) as one."""
    if not first or not second:
        return first or second
    return json.dumps(json.loads(first) + json.loads(second), ensure_ascii=False)


def kept_row(order: int, article: Article) -> dict[str, Any]:
    """The row of an extracted document."""
    row = {key: value for key, value in article_row(article).items() if key in ARTICLE_COLUMNS}
    return {"order": order, "status": "kept", "reason": None, "location": article.origin.location, **row}


def skipped_row(order: int, location: str, reason: str) -> dict[str, Any]:
    """The row of an input that could not be read, with the reason."""
    row: dict[str, Any] = dict.fromkeys(ROW_COLUMNS)
    row.update(order=order, status="skipped", reason=reason, location=location, paragraphs="[]")
    return row


def columnar(rows: Iterable[dict[str, Any]]) -> dict[str, list[Any]]:
    """Rows to columns (every column present, even for an empty block)."""
    out: dict[str, list[Any]] = {column: [] for column in ROW_COLUMNS}
    for row in rows:
        for column in ROW_COLUMNS:
            out[column].append(row.get(column))
    return out


def article_from_batch_row(row: dict[str, Any]) -> Article:
    """Rebuild the Article of a kept row (the inverse of kept_row)."""
    data = dict(row)
    for key in ("authors", "contributors", "highlights"):
        data[key] = data.get(key) or "[]"
    data["story_id"] = data["relation"] = data["copy_of"] = None
    return article_from_row(data)  # type: ignore[arg-type]


class PrepareTask:
    """The pipeline's prepare step (features, band keys, lead vectors) on chunks of kept rows (rows: chunk, payload,
    the JSON list of one fold batch's kept rows).

    Each chunk is one fold batch, in fold order, so leads are embedded in the same groups the folder would use.
    """

    block = 1
    schema = PREPARED_SCHEMA
    gpu = True

    def __init__(self, step: PrepareStep, now: str) -> None:
        """Run step (its embedder's model loads on first use); now (ISO time) is the batch's clock for implausible
        dates."""
        self.step = step
        self.now = datetime.fromisoformat(now)

    def rows(self, chunks: Iterable[tuple[int, str]]) -> dict[str, list[Any]]:
        """Prepared columns (with the chunk number) for (chunk, JSON list of kept rows) pairs."""
        out: dict[str, list[Any]] = {"chunk": [], **{column: [] for column in PREPARED_COLUMNS}}
        for chunk, payload in chunks:
            articles = [article_from_batch_row(row) for row in json.loads(payload)]
            block = prepared_columns(self.step(articles, self.now))
            out["chunk"] += [chunk] * len(articles)
            for column in PREPARED_COLUMNS:
                out[column] += block[column]
        return out

    def __call__(self, batch: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Chunk rows (chunk, payload) in, prepared rows out, as columns."""
        return self.rows((int(c), str(p)) for c, p in zip(batch["chunk"], batch["payload"], strict=True))
