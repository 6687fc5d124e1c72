"""`newsfold batch`: the pipeline's per-document steps (read, document steps, prepare) on an executor, the fold (on
the executor, or the writer's incremental folder), then Parquet out; resumable stage by stage."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsfold.batch_output import (
    FOLDED,
    dump_fold_result,
    first_rows,
    load_store,
    write_export,
    write_fold_result,
)
from newsfold.engine import IngestReport, store_articles
from newsfold.executors.base import Executor
from newsfold.executors.tasks import (
    ROW_COLUMNS,
    ROW_SCHEMA,
    DocumentsTask,
    InputItem,
    PrepareTask,
    article_from_batch_row,
    input_rows,
)
from newsfold.extract.furniture import FurnitureMemory
from newsfold.fold.batch.corpus import build_corpus, prepared_in_order
from newsfold.fold.batch.distributed import fold_corpus
from newsfold.fold.batch.outcome import META_COLUMNS
from newsfold.fold.features.prepared import Prepared, from_row
from newsfold.fold.incremental.folder import Folder
from newsfold.ingest.files import expand_paths
from newsfold.model import Article
from newsfold.steps import Pipeline, default_pipeline
from newsfold.store.db import Database
from newsfold.text.dates import now_iso

log = logging.getLogger(__name__)

STAGES = ("extract", "prepare", "fold", "export")
FOLD_BATCH = 64  # articles per fold transaction: the same batches `newsfold ingest` folds
MANIFEST = "manifest.json"
FURNITURE_SCHEMA = pa.schema([("digest", pa.string()), ("source", pa.string()), ("keys", pa.list_(pa.string()))])


@dataclass(slots=True)
class BatchReport:
    """What a batch did: inputs read, documents kept, inputs skipped (with reasons), stages run (with their wall
    seconds) or resumed."""

    read: int = 0
    documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    stories: int = 0
    ran: list[str] = field(default_factory=list)
    resumed: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _fingerprint(items: Sequence[InputItem]) -> str:
    """A hash of the input list, so a resumed batch is the same batch."""
    digest = hashlib.sha256()
    for item in items:
        digest.update(f"{item.order}\0{item.location}\n".encode())
    return digest.hexdigest()[:16]


class BatchJob:
    """One batch over a fixed list of inputs into an output folder, stage by stage."""

    def __init__(  # noqa: PLR0913  inputs, output folder and executor, then keyword-only settings
        self,
        paths: Sequence[str],
        out: Path,
        executor: Executor,
        *,
        max_bytes: int,
        pipeline: Pipeline | None = None,
        distributed: bool = True,
    ) -> None:
        """Expand the inputs (directories recursively) and prepare the output folder; run the pipeline's steps (None:
        the default pipeline) and fold distributed (linking and placement on the executor, with the pipeline's fold
        settings) or with the incremental folder on the driver."""
        self.out = out
        self.distributed = distributed
        self.fold_seconds = 0.0
        self.fold_phases: dict[str, float] = {}
        self.executor = executor
        self.max_bytes = max_bytes
        self.pipeline = pipeline or default_pipeline()
        self.settings = self.pipeline.fold.settings
        self.items: list[InputItem] = []
        self.early_skips: list[tuple[str, str]] = []
        for order, found in enumerate(expand_paths(paths)):
            if isinstance(found, tuple):
                self.early_skips.append(found)
            else:
                self.items.append(InputItem(order, str(found)))
        self.fingerprint = _fingerprint(self.items)

    def _manifest(self) -> dict[str, Any]:
        """The completed stages recorded for this output folder (empty for another input list)."""
        path = self.out / MANIFEST
        if not path.exists():
            return {"fingerprint": self.fingerprint, "completed": []}
        data: dict[str, Any] = json.loads(path.read_text())
        if data.get("fingerprint") != self.fingerprint:
            return {"fingerprint": self.fingerprint, "completed": []}
        return data

    def _complete(self, manifest: dict[str, Any], stage: str) -> None:
        """Record a stage as done, atomically."""
        manifest["completed"].append(stage)
        tmp = self.out / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(manifest))
        os.replace(tmp, self.out / MANIFEST)

    def run(self, until: str = STAGES[-1]) -> BatchReport:
        """Run every stage not yet completed (up to and including until); each stage's output appears atomically
        when it is done."""
        self.out.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest()
        report = BatchReport(read=len(self.items) + len(self.early_skips))
        for stage in STAGES[: STAGES.index(until) + 1]:
            if stage in manifest["completed"]:
                report.resumed.append(stage)
                continue
            started = time.perf_counter()
            getattr(self, f"_stage_{stage}")()
            report.seconds[stage] = time.perf_counter() - started
            self._complete(manifest, stage)
            report.ran.append(stage)
        if until != STAGES[-1]:
            return report
        self._fill_report(report)
        return report

    def _stage_extract(self) -> None:
        """Read every input and run the document steps on the executor, into extracted/."""
        tmp, final = self.out / "extracted.tmp", self.out / "extracted"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        self.executor.run(self._documents(), input_rows(self.items), tmp)
        self._learn_furniture(tmp)
        os.replace(tmp, final)

    def _learn_furniture(self, extracted: Path) -> None:
        """Replay the inputs' furniture records in input order (what `newsfold ingest` learns as it reads them),
        extract again the inputs whose furniture what was learned before them changes, and keep what was learned
        (furniture.parquet) for the store."""
        table = pq.read_table(extracted, columns=["order", "furniture"])
        records: dict[int, list[str]] = {}
        for order, record in zip(table["order"].to_pylist(), table["furniture"].to_pylist(), strict=True):
            if record:
                records.setdefault(order, []).append(record)
        memory = FurnitureMemory()
        again: list[InputItem] = []
        for item in self.items:
            events = [event for record in records.get(item.order, []) for event in json.loads(record)]
            seed = memory.replay(json.dumps(events) if events else None)
            if seed is not None:
                again.append(InputItem(item.order, item.location, seed))
        pages = memory.pending()
        learned = pa.table(
            {
                "digest": [digest for digest, _, _ in pages],
                "source": [source for _, source, _ in pages],
                "keys": [sorted(keys) for _, _, keys in pages],
            },
            schema=FURNITURE_SCHEMA,
        )
        pq.write_table(learned, self.out / "furniture.parquet.tmp")
        os.replace(self.out / "furniture.parquet.tmp", self.out / "furniture.parquet")
        if not again:
            return
        log.info("furniture learned from earlier inputs changes %d inputs: extracting them again", len(again))
        redo = self.out / "extracted.redo"
        shutil.rmtree(redo, ignore_errors=True)
        self.executor.run(self._documents(), input_rows(again), redo)
        orders = pa.array([item.order for item in again], pa.int64())
        rows = pq.read_table(extracted)
        rows = rows.filter(pc.invert(pc.is_in(rows.column("order"), value_set=orders)))
        rows = pa.concat_tables([rows.cast(ROW_SCHEMA), pq.read_table(redo).cast(ROW_SCHEMA)])
        shutil.rmtree(extracted)
        extracted.mkdir()
        pq.write_table(rows, extracted / "part-00000.parquet")
        shutil.rmtree(redo)

    def _documents(self) -> DocumentsTask:
        """The pipeline's read and document steps as the executor's task."""
        return DocumentsTask(self.pipeline.documents, self.max_bytes)

    def furniture(self) -> FurnitureMemory:
        """What extraction learned about the sources' recurring lines, ready to be saved into a store (nothing when
        the extract stage wrote none: rows extracted by another program)."""
        memory = FurnitureMemory()
        path = self.out / "furniture.parquet"
        if not path.exists():
            return memory
        table = pq.read_table(path)
        memory.add_pending(
            zip(table["digest"].to_pylist(), table["source"].to_pylist(), table["keys"].to_pylist(), strict=True)
        )
        return memory

    def _chunks(self) -> Iterator[list[dict[str, Any]]]:
        """Kept rows in fold order, in the batches folding will store them in (rows made a batch at a time)."""
        table = self._kept_table()
        for start in range(0, table.num_rows, FOLD_BATCH):
            yield table.slice(start, FOLD_BATCH).to_pylist()

    def _stage_prepare(self) -> None:
        """Run the pipeline's prepare step (features, band keys, lead vectors) on the executor, into prepared/."""
        tmp, final = self.out / "prepared.tmp", self.out / "prepared"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        chunks = ({"chunk": number, "payload": json.dumps(rows)} for number, rows in enumerate(self._chunks()))
        now = datetime.now(UTC).isoformat()
        self.executor.run(PrepareTask(self.pipeline.prepare, now), chunks, tmp)
        os.replace(tmp, final)

    def _prepared(self) -> Iterator[dict[str, Prepared]]:
        """The prepared inputs of each chunk, in chunk order (by article id; an empty batch has no chunk)."""
        table = pq.read_table(self.out / "prepared")
        table = table.sort_by("chunk")
        numbers = table.column("chunk").to_numpy()
        chunk = 0
        while True:
            start, end = (int(x) for x in numbers.searchsorted([chunk, chunk + 1]))
            if start == len(numbers):
                return
            yield {p.features.article_id: p for p in map(from_row, table.slice(start, end - start).to_pylist())}
            chunk += 1

    def _stage_fold(self) -> None:
        """Fold the kept documents into folded/: members, stories (merged ones included) and edges as Parquet; the
        same stories as `newsfold ingest` of the same inputs. Distributed, no store is written; the incremental
        folder (not distributed) folds into store.db, and folded/ is read from it."""
        tmp, final = self.out / "folded.tmp", self.out / FOLDED
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.distributed:
            (self.out / "store.db").unlink(missing_ok=True)  # a sequential fold's, from an earlier run
            self._fold_distributed(tmp)
        else:
            self._fold_sequential(tmp)
        os.replace(tmp, final)

    def _fold_distributed(self, folder: Path) -> None:
        """Link and place every document on the executor; write what the store would hold."""
        dim = self.pipeline.fold.embedder.dim
        meta = self._kept_table(list(META_COLUMNS))
        corpus = build_corpus(prepared_in_order(self.out / "prepared"), meta, folder / "corpus.arrow", dim)
        started = time.perf_counter()
        result = fold_corpus(corpus, self.settings, self.executor)
        self.fold_seconds = time.perf_counter() - started
        self.fold_phases = result.seconds
        log.info("distributed fold: %d documents, %d components", corpus.size, result.components)
        write_fold_result(folder, corpus, result, now_iso())

    def _fold_sequential(self, folder: Path) -> None:
        """The incremental folder on the driver, into a new store.db (the fold `newsfold ingest` runs); folded/ is
        read from it."""
        tmp, final = self.out / "store.db.tmp", self.out / "store.db"
        for path in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), final):
            path.unlink(missing_ok=True)
        db = Database(tmp)
        report = IngestReport()
        try:
            # the writer part with a fresh folder and no story hooks (they run once the store is loaded)
            writer = replace(self.pipeline, fold=Folder(self.settings, embedder=self.pipeline.prepare.embedder))
            writer = writer.with_hooks(())
            started = time.perf_counter()
            for articles, ready in self.fold_batches():
                store_articles(db, articles, report, writer, batch_size=FOLD_BATCH, prepared=ready)
            self.fold_seconds = time.perf_counter() - started
            with db.read() as conn:
                dump_fold_result(conn, folder)
        finally:
            db.close()  # the last connection closing checkpoints the WAL into the file and removes it
        os.replace(tmp, final)

    def fold_batches(self) -> list[tuple[list[Article], dict[str, Prepared]]]:
        """The kept articles in the batches `newsfold ingest` would fold, each with its prepared inputs."""
        return [
            ([article_from_batch_row(r) for r in rows], ready)
            for rows, ready in zip(self._chunks(), self._prepared(), strict=True)
        ]

    def _kept_table(self, columns: list[str] | None = None) -> pa.Table:
        """The kept extracted rows in fold order (input order, then document index within the input; an article
        id's later rows included), with the given columns (None: the row columns)."""
        read = None if columns is None else list(dict.fromkeys([*columns, "order", "status", "origin_index"]))
        table = pq.read_table(self.out / "extracted", columns=read)
        table = table.filter(pc.equal(table.column("status"), "kept"))
        position = pc.fill_null(table.column("origin_index"), 0)
        table = table.append_column("_position", position)
        table = table.take(pc.sort_indices(table, [("order", "ascending"), ("_position", "ascending")]))
        return table.select(columns if columns is not None else list(ROW_COLUMNS))

    def _stage_export(self) -> None:
        """Write articles.parquet (the store's article columns) and stories.parquet (live stories) from the
        extracted rows and the fold's result, atomically."""
        kept = self._kept_table()
        kept = kept.filter(pa.array(first_rows(kept.column("id").to_pylist()), type=pa.bool_()))
        members = pq.read_table(self.out / FOLDED / "members.parquet")
        write_export(self.out, kept, members, pq.read_table(self.out / FOLDED / "stories.parquet"))

    def load_store(self, db_path: Path) -> None:
        """Load a new store from the completed batch (atomically: written beside it, then renamed): the
        incremental folder's store.db as it is, or a bulk load of the distributed fold's result."""
        tmp = Path(f"{db_path}.tmp")
        for path in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            path.unlink(missing_ok=True)
        if (self.out / "store.db").exists() and not (self.out / FOLDED / "docs.parquet").exists():
            shutil.copyfile(self.out / "store.db", tmp)
        else:
            load_store(self.out, tmp)
        db = Database(tmp)
        try:
            with db.write() as conn:
                self.furniture().save(conn)  # a page already counted is skipped
        finally:
            db.close()
        os.replace(tmp, db_path)

    def _fill_report(self, report: BatchReport) -> None:
        """Count kept documents, skipped inputs and stories from the outputs."""
        report.skipped = list(self.early_skips)
        for row in pq.read_table(self.out / "extracted", columns=["status", "reason", "location"]).to_pylist():
            if row["status"] == "kept":
                report.documents += 1
            else:
                report.skipped.append((row["location"], row["reason"]))
        report.stories = pq.ParquetFile(self.out / "stories.parquet").metadata.num_rows
