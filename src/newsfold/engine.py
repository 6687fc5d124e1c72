"""The ingest flow: inputs -> extract -> steps -> store + fold, a transaction per batch."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.furniture import FurnitureMemory
from newsfold.fold import Folder
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
    stories_changed: set[str] = field(default_factory=set)
    failures: list[InputError] = field(default_factory=list)
    run: RunReport = field(default_factory=RunReport)


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
        try:
            documents = extractor(item)
        except InputError as exc:
            report.failures.append(exc)
            continue
        report.documents += len(documents)
        yield from documents


def ingest(
    db: Database,
    inputs: Iterable[RawInput | InputError],
    *,
    steps: Sequence[Step] | None = None,
    folder: Folder | None = None,
    batch_size: int = 64,
    on_progress: Callable[[int], None] | None = None,
    story_hooks: Sequence[StoryHook] = (),
) -> IngestReport:
    """Ingest inputs into db; every batch is one transaction, so a killed run loses nothing written."""
    report = IngestReport()
    folder = folder or Folder()
    memory = FurnitureMemory()
    with db.read() as conn:
        memory.load(conn)
    stream = run(
        steps if steps is not None else default_steps(), extract_all(inputs, report, Extractor(memory)), report.run
    )
    for batch in batched(stream, batch_size):
        with db.write() as conn:
            memory.save(conn)
            new = articles_db.insert_articles(conn, batch)
            changed = folder.fold(conn, new) if new else set()
        report.new += len(new)
        report.unchanged += len(batch) - len(new)
        report.stories_changed |= changed
        for hook in story_hooks:
            hook(db, changed)
        if on_progress:
            on_progress(len(batch))
    return report
