"""Fetch passes over the due sources: collect in worker threads, ingest and record health in the caller's."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

from newsfold.errors import InputError
from newsfold.ingest import registry, takedowns
from newsfold.ingest.collect import Collected, Collector
from newsfold.model import Article, RawInput, SourceRef
from newsfold.pipeline import StoryHook
from newsfold.steps import Pipeline, default_pipeline
from newsfold.store import sources as sources_db
from newsfold.store.base import Backend
from newsfold.store.sources import Source

log = logging.getLogger(__name__)


class Ingested(Protocol):
    """What storing one source's pages did (engine.IngestReport)."""

    @property
    def new(self) -> int:
        """Documents stored for the first time."""
        ...

    @property
    def unchanged(self) -> int:
        """Documents already stored as they are."""
        ...

    @property
    def failures(self) -> list[InputError]:
        """Inputs that could not be read."""
        ...


class Ingest(Protocol):
    """The ingest flow the poller stores each source's pages with (engine.ingest, given by the command line)."""

    def __call__(
        self,
        db: Backend,
        inputs: Iterable[RawInput | InputError],
        pipeline: Pipeline | None = ...,
        *,
        batch_size: int = ...,
        extract_workers: int | None = ...,
    ) -> Ingested:
        """Run the pipeline over inputs, one transaction per batch."""
        ...


@dataclass(slots=True)
class SourceResult:
    """What one pass did for one source: responses fetched, articles new, items unchanged, failures."""

    source: Source
    fetched: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None
    failures: list[InputError] = field(default_factory=list)
    first_failure: bool = False

    @property
    def ok(self) -> bool:
        """Whether the source itself could be read."""
        return self.error is None


def _unnamed(article: Article) -> bool:
    """Whether an article's source has no real name (none, or only its URL's host, as extractors fall back to)."""
    name = (article.source.name or "").strip().lower()
    if not name:
        return True
    try:
        parts = urlsplit(article.source.url or article.canonical_url or article.origin.location)
        hosts = {parts.netloc.lower(), (parts.hostname or "").lower()}
    except ValueError:
        return False
    return name in hosts or name in {h.removeprefix("www.") for h in hosts}


class SourceDefaults:
    """A step that gives articles from a registered source its name and language where the page told neither."""

    name = "source-defaults"

    def __init__(self) -> None:
        """No source yet; the poller sets one before ingesting each source's pages."""
        self.source: Source | None = None

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Fill in the current source's name and language."""
        for article in articles:
            source = self.source
            if source is not None:
                if _unnamed(article):
                    article.source = SourceRef(name=source.name, url=article.source.url)
                if not article.language and source.language:
                    article.language = source.language
            yield article


class SourcePoller:
    """Runs fetch passes for one database: the fetching happens in threads, the writing in the calling thread."""

    def __init__(  # noqa: PLR0913  the poller's keyword-only settings
        self,
        db: Backend,
        collector: Collector,
        *,
        ingest: Ingest,
        workers: int = 4,
        batch_size: int = 64,
        pipeline: Pipeline | None = None,
    ) -> None:
        """Poll sources of db with collector, storing pages with ingest through the pipeline (made once, so models
        load once; None: the default one, without story hooks), its document steps followed by the current
        source's defaults."""
        self.db = db
        self.ingest = ingest
        self.collector = collector
        self.workers = max(1, workers)
        self.batch_size = batch_size
        self.defaults = SourceDefaults()
        self.pipeline = (pipeline or default_pipeline()).with_documents(self.defaults)

    @property
    def story_hooks(self) -> tuple[StoryHook, ...]:
        """The pipeline's story hooks."""
        return self.pipeline.hooks

    @property
    def stop(self) -> threading.Event:
        """The event that stops fetching (shared with the fetcher)."""
        return self.collector.fetcher.stop

    def wanted(self, urls: Sequence[str]) -> list[str]:
        """URLs not fetched before and not taken down (read in the worker's own connection)."""
        with self.db.read() as conn:
            return [u for u in sources_db.unseen_urls(conn, urls) if not takedowns.url_blocked(conn, u)]

    def due(self, now: datetime | None = None) -> list[Source]:
        """The sources due now."""
        with self.db.read() as conn:
            return sources_db.due_sources(conn, now, self.collector.fetcher.policy_stamp)

    def run_pass(
        self, sources: Sequence[Source] | None = None, on_result: Callable[[SourceResult], None] | None = None
    ) -> list[SourceResult]:
        """Fetch each source (the due ones by default) once; ingest what is new; record each source's health."""
        todo = list(self.due() if sources is None else sources)
        results: list[SourceResult] = []
        if not todo:
            return results
        with ThreadPoolExecutor(max_workers=min(self.workers, len(todo)), thread_name_prefix="fetch") as pool:
            futures: list[Future[Collected]] = [
                pool.submit(self.collector.collect, source, self.wanted) for source in todo
            ]
            try:
                for future in as_completed(futures):
                    result = self._store(future.result())
                    results.append(result)
                    if on_result:
                        on_result(result)
            finally:
                if self.stop.is_set():
                    for pending in futures:
                        pending.cancel()
        return results

    def _store(self, collected: Collected) -> SourceResult:
        """Ingest one source's pages (all that were fetched, even when stopping) and record its health."""
        source = collected.source
        result = SourceResult(
            source=source,
            fetched=collected.fetched,
            unchanged=collected.unchanged,
            failures=list(collected.failures),
        )
        self.defaults.source = source
        if collected.inputs:
            report = self.ingest(
                self.db,
                collected.inputs,
                self.pipeline,
                batch_size=self.batch_size,
                extract_workers=0,  # in this process: the source defaults step follows the poller's current source
            )
            result.new = report.new
            result.unchanged += report.unchanged
            result.failures.extend(report.failures)
        collected.inputs.clear()
        result.failed = len(result.failures)
        with self.db.write() as conn:
            sources_db.mark_seen(conn, source.id, collected.input_urls)
            sources_db.mark_seen(conn, source.id, collected.done_urls, status="failed")
            if collected.error is not None and self.stop.is_set():
                result.error = collected.error  # interrupted by shutdown: not the source's fault
            elif collected.error is not None:
                result.error = collected.error
                result.failed += 1
                result.first_failure = source.failures == 0
                registry.record_failure(conn, source, collected.error, policy=collected.policy)
            else:
                registry.record_success(
                    conn,
                    source,
                    etag=collected.etag,
                    last_modified=collected.last_modified,
                    new_items=result.new,
                )
        return result

    def seconds_to_next(self, limit: float) -> float:
        """Seconds until the next source is due, at most limit."""
        with self.db.read() as conn:
            when = sources_db.next_due(conn)
        if when is None:
            return limit
        return max(0.0, min(limit, (when - datetime.now(UTC)).total_seconds()))

    def loop(self, on_result: Callable[[SourceResult], None] | None = None, idle: float = 30.0) -> None:
        """Fetch due sources until stopped, sleeping until the next one is due (at most idle seconds)."""
        while not self.stop.is_set():
            self.run_pass(on_result=on_result)
            self.stop.wait(max(0.2, self.seconds_to_next(idle)))
