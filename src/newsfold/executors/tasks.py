"""The work an executor distributes: read, extract and identify the language of a block of inputs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from newsfold.engine import IngestReport, extract_all
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureLog, FurnitureMemory
from newsfold.fold.features.embed import make_embedder
from newsfold.fold.features.prepared import COLUMNS as PREPARED_COLUMNS
from newsfold.fold.features.prepared import columns as prepared_columns
from newsfold.fold.features.prepared import prepare
from newsfold.ingest.files import iter_inputs
from newsfold.model import Article
from newsfold.reading import default_steps
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


class ExtractTask:
    """Extract and identify languages for a block of inputs: the same steps `newsfold ingest` runs."""

    def __init__(self, max_bytes: int) -> None:
        """Create the task's own steps (models load once per worker, not per input)."""
        self.max_bytes = max_bytes
        self.steps = default_steps()
        self.log = FurnitureLog()
        self.extractor = Extractor(self.log)

    def rows(self, items: Iterable[InputItem]) -> Iterator[dict[str, Any]]:
        """A row per document found, and a row per input that was skipped, with the reason; each row carries the
        furniture record of its input up to it (the input's last row: the rest)."""
        for item in items:
            self.extractor.use_memory(FurnitureMemory.from_seed(item.seed) if item.seed else self.log)
            self.log.take()
            last: dict[str, Any] | None = None
            for row in self._item_rows(item):
                if last is not None:
                    yield last
                row["furniture"] = None if item.seed else self.log.take()
                last = row
            if last is not None:
                if not item.seed:
                    last["furniture"] = _joined(last["furniture"], self.log.take())
                yield last

    def _item_rows(self, item: InputItem) -> Iterator[dict[str, Any]]:
        """The rows of one input, without furniture records."""
        report = IngestReport()
        inputs = iter_inputs([item.location], max_bytes=self.max_bytes)
        for article in extract_all(inputs, report, self.extractor, self.steps):
            yield kept_row(item.order, article)
        for failure in report.failures:
            yield skipped_row(item.order, failure.location, failure.reason)

    def __call__(self, batch: dict[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Ray Data's batch interface: columns in, columns out."""
        seeds = batch.get("seed")
        items = [
            InputItem(int(o), str(loc), str(seeds[i]) if seeds is not None and seeds[i] else None)
            for i, (o, loc) in enumerate(zip(batch["order"], batch["location"], strict=True))
        ]
        return columnar(self.rows(items))


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
    """Compute folding's per-article inputs (features, band keys, lead vectors) for chunks of kept rows.

    Each chunk is one fold batch, in fold order, so leads are embedded in the same groups the folder would use.
    """

    def __init__(self, embedder: str, now: str) -> None:
        """Make the embedder once per worker; now (ISO time) is the batch's clock for implausible dates."""
        self.embedder = make_embedder(embedder)
        self.now = datetime.fromisoformat(now)

    def rows(self, chunks: Iterable[tuple[int, str]]) -> dict[str, list[Any]]:
        """Prepared columns (with the chunk number) for (chunk, JSON list of kept rows) pairs."""
        out: dict[str, list[Any]] = {"chunk": [], **{column: [] for column in PREPARED_COLUMNS}}
        for chunk, payload in chunks:
            articles = [article_from_batch_row(row) for row in json.loads(payload)]
            block = prepared_columns(prepare(articles, self.embedder, self.now))
            out["chunk"] += [chunk] * len(articles)
            for column in PREPARED_COLUMNS:
                out[column] += block[column]
        return out

    def __call__(self, batch: dict[str, Sequence[Any]]) -> dict[str, list[Any]]:
        """Ray Data's batch interface: columns in, columns out."""
        return self.rows((int(c), str(p)) for c, p in zip(batch["chunk"], batch["payload"], strict=True))
