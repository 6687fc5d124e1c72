"""The ingest flow: inputs -> extract -> steps -> store + fold, a transaction per batch."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureMemory
from newsfold.extract_ahead import ExtractAhead, worker_count
from newsfold.fold import Folder
from newsfold.fold.ahead import PrepareAhead
from newsfold.fold.prepared import Prepared
from newsfold.ingest.takedowns import drop_blocked
from newsfold.language import LanguageStep
from newsfold.model import Article, RawInput
from newsfold.pipeline import RunReport, Step, batched, run
from newsfold.store import articles as articles_db
from newsfold.store.db import Database

log = logging.getLogger(__name__)

StoryHook = Callable[[Database, set[str]], None]


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: inputs read, documents found, new ones stored, and what failed."""

    inputs: int = 0
    documents: int = 0
    new: int = 0
    unchanged: int = 0
    blocked: int = 0
    stories_changed: int = 0
    failures: list[InputError] = field(default_factory=list)
    run: RunReport = field(default_factory=RunReport)
    seconds: dict[str, float] = field(default_factory=dict)

    def spent(self, stage: str, seconds: float) -> None:
        """Add seconds spent in one stage (extract, store, fold, or a story hook's stage) to its total."""
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def hook_stage(hook: StoryHook) -> str:
    """The stage name a story hook's time is counted under (its `stage` attribute, else its type's name)."""
    return str(getattr(hook, "stage", type(hook).__name__))


def default_steps() -> list[Step]:
    """The steps between extraction and folding, each a fresh instance."""
    return [LanguageStep()]


def extract_all(
    inputs: Iterable[RawInput | InputError], report: IngestReport, extractor: Extractor | None = None
) -> Iterable[Article]:
    """Extract every input with one extractor, recording unreadable ones instead of stopping."""
    extractor = extractor or Extractor()
    for item in inputs:
        if isinstance(item, InputError):
            report.failures.append(item)
            continue
        report.inputs += 1
        start = time.perf_counter()
        try:
            documents = extractor(item)
        except InputError as exc:
            report.failures.append(exc)
            continue
        finally:
            report.spent("extract", time.perf_counter() - start)
        report.documents += len(documents)
        yield from documents


def extract_ahead(
    ahead: ExtractAhead, inputs: Iterable[RawInput | InputError], report: IngestReport
) -> Iterator[Article]:
    """What extract_all and the default steps make of inputs, made in ahead's worker; counted into report."""
    try:
        for read, outcome in ahead.outcomes(inputs):
            report.inputs += int(read)
            if isinstance(outcome, InputError):
                report.failures.append(outcome)
                continue
            report.documents += len(outcome)
            yield from outcome
    finally:
        report.spent("extract", ahead.extract_seconds)
        report.run.steps.extend(ahead.steps.values())


def ingest(
    db: Database,
    inputs: Iterable[RawInput | InputError],
    *,
    steps: Sequence[Step] | None = None,
    folder: Folder | None = None,
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
    story_hooks: Sequence[StoryHook] = (),
    prepare_workers: int | None = None,
    extract_workers: int | None = None,
) -> IngestReport:
    """Ingest inputs into db; every batch is one transaction, so a killed run loses nothing written.

    With the default steps, extraction and language identification run in a worker process (extract_workers:
    None, one where two cores or more are free; 0, in this process), with the same results.
    """
    report = IngestReport()
    memory = FurnitureMemory()
    with db.read() as conn:
        memory.load(conn)
    workers = worker_count(extract_workers) if steps is None else 0
    with ExtractAhead(memory) as ahead:
        if workers:
            stream = extract_ahead(ahead, inputs, report)
        else:
            extracted = extract_all(inputs, report, Extractor(memory))
            stream = run(steps if steps is not None else default_steps(), extracted, report.run)
        store_articles(
            db,
            stream,
            report,
            folder=folder,
            batch_size=batch_size,
            on_progress=on_progress,
            story_hooks=story_hooks,
            furniture=memory,
            prepare_workers=prepare_workers,
        )
    return report


def store_articles(
    db: Database,
    articles: Iterable[Article],
    report: IngestReport,
    *,
    folder: Folder | None = None,
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
    story_hooks: Sequence[StoryHook] = (),
    furniture: FurnitureMemory | None = None,
    prepared: Mapping[str, Prepared] | None = None,
    prepare_workers: int | None = None,
) -> None:
    """Store extracted articles and fold them, one transaction per batch, counting into report (and saving the
    furniture lines extraction learned, when given; folding uses the prepared inputs given by article id).

    Without given prepared inputs, the next batches are prepared in prepare_workers worker processes (None: one
    less than the cores; 0: none) while the current one is stored and folded.
    """
    folder = folder or Folder()
    workers = 0 if prepared is not None else prepare_workers
    with PrepareAhead(folder.embedder, workers) as ahead:
        for batch, ready in ahead.batches(batched(articles, batch_size)):
            start = time.perf_counter()
            with db.write() as conn:
                if furniture is not None:
                    furniture.save(conn)
                allowed = drop_blocked(conn, batch)  # taken-down URLs and sources never come back
                report.blocked += len(batch) - len(allowed)
                new = articles_db.insert_articles(conn, allowed)
                fold_start = time.perf_counter()
                changed = folder.fold(conn, new, prepared if prepared is not None else ready) if new else set()
                folding = time.perf_counter() - fold_start
            report.spent("fold", folding)
            report.spent("store", time.perf_counter() - start - folding)  # the commit included
            report.new += len(new)
            report.unchanged += len(allowed) - len(new)
            report.stories_changed += len(changed)
            for hook in story_hooks:
                start = time.perf_counter()
                hook(db, changed)
                report.spent(hook_stage(hook), time.perf_counter() - start)
            if on_progress:
                on_progress(len(batch))
