"""The ingest flow: the pipeline's steps (newsfold.steps) over a stream of inputs, a transaction per batch.

The per-document steps run in the extraction worker ahead of this process (or here), prepare in a pool ahead of the
writer (or here); this process, the writer, stores and folds each batch and runs the story hooks over what changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from newsfold.errors import InputError, StoreError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureMemory
from newsfold.extract_ahead import ExtractAhead, worker_count
from newsfold.fold.features.prepared import Prepared
from newsfold.fold.incremental.ahead import PrepareAhead
from newsfold.fold.incremental.folder import Folder
from newsfold.ingest.takedowns import drop_blocked
from newsfold.model import Article, RawInput
from newsfold.pipeline import Chain, RunReport, Step, StoryHook, batched, describe, failed_input
from newsfold.reading import read_input
from newsfold.steps import Pipeline, default_pipeline
from newsfold.store import articles as articles_db
from newsfold.store import integrity as integrity_db
from newsfold.store.base import Backend, Connection

log = logging.getLogger(__name__)


@runtime_checkable
class AheadHook(Protocol):
    """A story hook with work to do on each document in the extraction worker, ahead of its stories' turn."""

    def work_ahead(self, db: Backend) -> Callable[[list[Article]], object] | None:
        """The work (picklable, run in the worker on each chunk's documents), or None for none."""
        ...

    def take_ahead(self, found: Any) -> None:
        """Receive what the work made of one chunk (in this process, before its documents are stored)."""
        ...


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


def extract_all(
    inputs: Iterable[RawInput | InputError],
    report: IngestReport,
    extractor: Extractor | None = None,
    steps: Sequence[Step] = (),
) -> Iterator[Article]:
    """Extract every input with one extractor and run the steps over its documents, recording an input that fails
    (whatever it raises) as that input's failure instead of stopping; each document carries its input's key."""
    extractor = extractor or Extractor()
    chain = Chain(steps, report.run)
    for item in inputs:
        if isinstance(item, InputError):
            report.failures.append(item)
            continue
        report.inputs += 1
        start = time.perf_counter()
        outcome = read_input(extractor, chain, item)
        report.spent("extract", time.perf_counter() - start)
        if isinstance(outcome, InputError):
            report.failures.append(outcome)
            continue
        report.documents += len(outcome)
        yield from outcome


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
        report.spent("ahead", ahead.work_seconds)  # the story hooks' work done in the worker
        report.spent("wait", ahead.waited)  # this process idle, waiting for the worker
        report.run.steps.extend(ahead.steps.values())


def ingest(  # noqa: PLR0913  the inputs and their pipeline, then the run's keyword-only sizes and worker counts
    db: Backend,
    inputs: Iterable[RawInput | InputError],
    pipeline: Pipeline | None = None,
    *,
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
    prepare_workers: int | None = None,
    extract_workers: int | None = None,
) -> IngestReport:
    """Ingest inputs into db through the pipeline's steps (None: the default pipeline, without story hooks); every
    batch is one transaction, so a killed run loses nothing written.

    The per-document steps run in a worker process (extract_workers: None, one where two cores or more are free;
    0, in this process: steps that must see this process's state, like the poller's source defaults), with the same
    results; so does the work ahead of story hooks that have some (AheadHook: the enricher's recognition).
    """
    pipeline = pipeline or default_pipeline()
    report = IngestReport()
    resume_hooks(db, pipeline.hooks, report)
    memory = FurnitureMemory()
    with db.read() as conn:
        memory.load(conn)
    workers = worker_count(extract_workers)
    works: list[tuple[Callable[[list[Article]], object], Callable[[Any], None]]] = []
    for hook in pipeline.hooks if workers else ():
        candidate: object = hook
        if isinstance(candidate, AheadHook) and (work := candidate.work_ahead(db)) is not None:
            works.append((work, candidate.take_ahead))
    with ExtractAhead(memory, pipeline.documents, works) as ahead:
        if workers:
            stream = extract_ahead(ahead, inputs, report)
        else:
            stream = extract_all(inputs, report, Extractor(memory), pipeline.documents)
        store_articles(
            db,
            stream,
            report,
            pipeline,
            batch_size=batch_size,
            on_progress=on_progress,
            furniture=memory,
            prepare_workers=prepare_workers,
        )
    return report


def store_articles(  # noqa: PLR0913  the writer's part: the stream, where it goes, then keyword-only options
    db: Backend,
    articles: Iterable[Article],
    report: IngestReport,
    pipeline: Pipeline,
    *,
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
    furniture: FurnitureMemory | None = None,
    prepared: Mapping[str, Prepared] | None = None,
    prepare_workers: int | None = None,
) -> None:
    """The pipeline's writer part over extracted articles: prepare (ahead), store and fold them, one transaction
    per batch, then its story hooks over the stories each batch changed; counting into report (and saving the
    furniture lines extraction learned, when given; folding uses the prepared inputs given by article id).

    Without given prepared inputs, the next batches are prepared in prepare_workers worker processes (None: one
    less than the cores; 0: none) while the current one is stored and folded.
    """
    folder, story_hooks = pipeline.fold, pipeline.hooks
    workers = 0 if prepared is not None else prepare_workers
    with PrepareAhead(pipeline.prepare, workers) as ahead:
        for batch, ready in ahead.batches(batched(articles, batch_size)):
            given = prepared if prepared is not None else ready
            try:
                changed = _store_batch(db, batch, report, folder, furniture, given, bool(story_hooks))
            except StoreError:
                raise
            except Exception as exc:  # one document broke the batch: store the others one by one, fail that one
                log.info(
                    "a batch of %d failed to fold (%s); storing its documents one by one", len(batch), describe(exc)
                )
                log.debug("the batch's failure", exc_info=exc)
                changed = set()
                for article in batch:
                    try:
                        changed |= _store_batch(db, [article], report, folder, furniture, given, bool(story_hooks))
                    except StoreError:
                        raise
                    except Exception as one:  # the per-document boundary of storing and folding
                        log.debug("%s: unexpected failure while folding it", article.origin.location, exc_info=True)
                        report.failures.append(failed_input(article.origin.location, one))
            report.stories_changed += len(changed)
            run_hooks(db, story_hooks, changed, report)
            if on_progress:
                on_progress(len(batch))


def _store_batch(  # noqa: PLR0913  one batch's transaction: what it stores, folds and counts into
    db: Backend,
    batch: Sequence[Article],
    report: IngestReport,
    folder: Folder,
    furniture: FurnitureMemory | None,
    prepared: Mapping[str, Prepared],
    pending: bool,
) -> set[str]:
    """Store and fold one batch in one transaction (the stories it changed marked pending when hooks follow);
    return the ids of the stories it changed."""
    start = time.perf_counter()
    with db.write() as conn:
        if furniture is not None:
            furniture.save(conn)
        allowed = drop_blocked(conn, batch)  # taken-down URLs and sources never come back
        fresh = _not_read_before(conn, allowed)
        new = articles_db.insert_articles(conn, fresh)
        integrity_db.record_inputs(conn, {a.input_key: a.id for a in allowed if a.input_key})
        fold_start = time.perf_counter()
        changed = folder.fold(conn, new, prepared) if new else set()
        folding = time.perf_counter() - fold_start
        if pending and changed:
            integrity_db.mark_pending(conn, changed)
    report.spent("fold", folding)
    report.spent("store", time.perf_counter() - start - folding)  # the commit included
    report.blocked += len(batch) - len(allowed)
    report.new += len(new)
    report.unchanged += len(allowed) - len(new)
    return changed


def _not_read_before(conn: Connection, articles: Sequence[Article]) -> list[Article]:
    """The articles whose input was not stored before (the same input read again is the same article, even when
    what extraction learned since changes its text, hence its content id)."""
    keys = [a.input_key for a in articles if a.input_key]
    known = integrity_db.known_inputs(conn, keys) if keys else {}
    return [a for a in articles if not a.input_key or a.input_key not in known]


def _hook_name(hook: StoryHook) -> str:
    """A story hook's name for reports."""
    return getattr(hook, "__name__", None) or type(hook).__name__


def run_hooks(db: Backend, hooks: Sequence[StoryHook], changed: set[str], report: IngestReport) -> None:
    """Run every story hook over the changed stories; a hook that fails is retried story by story, and a story
    whose hook still fails is reported and stays pending (rerun on the next start); the rest are done."""
    if not hooks or not changed:
        return
    failed: set[str] = set()
    for hook in hooks:
        start = time.perf_counter()
        try:
            hook(db, set(changed))
        except StoreError:
            raise
        except Exception as exc:  # the per-batch boundary of a hook: retried story by story below
            log.info(
                "story hook %s failed on %d stories (%s); retrying one by one",
                _hook_name(hook),
                len(changed),
                describe(exc),
            )
            log.debug("the hook's failure", exc_info=exc)
            for story_id in sorted(changed):
                try:
                    hook(db, {story_id})
                except StoreError:
                    raise
                except Exception as one:  # the per-story boundary: the story stays pending
                    log.debug("story %s: hook %s failed", story_id, _hook_name(hook), exc_info=one)
                    failed.add(story_id)
                    report.failures.append(
                        InputError(f"story {story_id}", f"{_hook_name(hook)} failed ({describe(one)})")
                    )
        finally:
            report.spent(hook_stage(hook), time.perf_counter() - start)
    with db.write() as conn:
        integrity_db.clear_pending(conn, changed - failed)


def resume_hooks(db: Backend, hooks: Sequence[StoryHook], report: IngestReport | None = None) -> int:
    """Rerun the story hooks of stories whose hooks did not finish last time (a kill between a batch's commit and
    its hooks); return how many stories that was."""
    if not hooks:
        return 0
    with db.read() as conn:
        pending = integrity_db.pending_stories(conn)
    if pending:
        log.info("rerunning the story hooks of %d stories a previous run left unfinished", len(pending))
        run_hooks(db, hooks, pending, report if report is not None else IngestReport())
    return len(pending)
