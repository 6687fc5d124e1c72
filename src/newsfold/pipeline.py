"""The Step and StoryHook protocols and the in-process runner that batches, counts, times and captures errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from newsfold.errors import InputError
from newsfold.model import Article

if TYPE_CHECKING:
    from newsfold.store.base import Backend

log = logging.getLogger(__name__)

T = TypeVar("T")


@runtime_checkable
class Step(Protocol):
    """A unit of the pipeline: articles in, articles out; holds no module-global state."""

    name: str

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Process a stream of articles."""
        ...


class StoryHook(Protocol):
    """What runs after a batch is stored, with the ids of the stories it changed (enrichment, eager translation,
    stored pages); the hooks are chosen in one place, the command line's composition root (newsfold.hooks)."""

    def __call__(self, db: Backend, story_ids: set[str], /) -> None:
        """Bring the derived parts of these stories up to date."""
        ...


@dataclass(slots=True)
class StepStats:
    """What one step did in a run."""

    name: str
    seen: int = 0
    emitted: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class RunReport:
    """Counts, timings and the inputs that failed, with their reasons."""

    steps: list[StepStats] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether any input failed."""
        return bool(self.failures)


class MapStep:
    """A step made from a function of one article (returning it changed, or None to drop it)."""

    def __init__(self, name: str, fn: Callable[[Article], Article | None]) -> None:
        """Wrap fn as a named step."""
        self.name = name
        self.fn = fn

    def __call__(self, articles: Iterable[Article]) -> Iterator[Article]:
        """Apply fn to each article."""
        for article in articles:
            out = self.fn(article)
            if out is not None:
                yield out


def _timed(step: Step, stats: StepStats, articles: Iterable[Article]) -> Iterator[Article]:
    """Run a step, counting what goes in and out and the time spent inside it."""

    def counted() -> Iterator[Article]:
        for article in articles:
            stats.seen += 1
            yield article

    inner = step(counted())
    while True:
        start = time.perf_counter()
        try:
            article = next(inner)
        except StopIteration:
            stats.seconds += time.perf_counter() - start
            return
        stats.seconds += time.perf_counter() - start
        stats.emitted += 1
        yield article


def describe(exc: BaseException) -> str:
    """An exception in a few words on one line: its type and the start of its message."""
    detail = " ".join(str(exc).split())
    if len(detail) > 200:
        detail = detail[:200] + "..."
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def failed_input(location: str, exc: Exception) -> InputError:
    """An unexpected exception from reading one input, as that input's one-line failure (the caller logs its trace
    at debug level: the user sees the one line)."""
    return InputError(location, f"unreadable ({describe(exc)})")


def contained(location: str, items: Iterable[T]) -> Iterator[T | InputError]:
    """The items one input's reader yields; whatever it raises ends that input only, yielded as its failure."""
    try:
        yield from items
    except InputError as exc:
        yield exc
    except Exception as exc:  # the per-input boundary: an input's failure never ends the run
        log.debug("%s: unexpected failure while reading it", location, exc_info=True)
        yield failed_input(location, exc)


class Chain:
    """Steps applied to one input's documents at a time (so a failure stays with its input), counted across calls."""

    def __init__(self, steps: Iterable[Step], report: RunReport | None = None) -> None:
        """Chain steps, adding their counts and times to report."""
        self.steps = list(steps)
        self.stats = [StepStats(step.name) for step in self.steps]
        if report is not None:
            report.steps.extend(self.stats)

    def __call__(self, articles: Iterable[Article]) -> list[Article]:
        """Run every step over these articles, to the end."""
        stream: Iterable[Article] = articles
        for step, stats in zip(self.steps, self.stats, strict=True):
            stream = _timed(step, stats, stream)
        return list(stream)


def run(steps: Iterable[Step], articles: Iterable[Article], report: RunReport | None = None) -> Iterator[Article]:
    """Chain steps lazily over articles; fill report with per-step counts and times."""
    report = report if report is not None else RunReport()
    stream: Iterable[Article] = articles
    for step in steps:
        stats = StepStats(step.name)
        report.steps.append(stats)
        stream = _timed(step, stats, stream)
    yield from stream


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Group items into lists of at most size."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
