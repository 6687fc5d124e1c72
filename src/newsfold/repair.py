"""`newsfold repair`: rebuild every derived part of a store from its articles (orphaned rows removed, unfolded
articles folded, story metadata and provenance recomputed, every story hook rerun)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsfold.engine import IngestReport, run_hooks
from newsfold.errors import InputError
from newsfold.fold.incremental.folder import Folder
from newsfold.fold.incremental.forget import recount
from newsfold.fold.link import provenance
from newsfold.pipeline import StoryHook
from newsfold.store import articles as articles_db
from newsfold.store import integrity as integrity_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database

log = logging.getLogger(__name__)

CHUNK = 200  # stories per round of hooks (and articles per fold transaction)


@dataclass(slots=True)
class RepairReport:
    """What a repair did."""

    orphans: int = 0
    folded: int = 0
    stories: int = 0
    failures: list[InputError] = field(default_factory=list)


def repair(
    db: Database,
    hooks: Sequence[StoryHook],
    folder: Folder | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RepairReport:
    """Rebuild the derived parts of every story in db; each step is its own transaction, and the stories still to
    do are marked pending first, so a repair that is killed finishes on the next start."""
    report = RepairReport()
    with db.write() as conn:
        report.orphans = integrity_db.remove_orphans(conn)
        integrity_db.mark_pending(conn, integrity_db.story_ids(conn))
    _fold_unfolded(db, folder or Folder(), report)
    with db.write() as conn:  # folding's frequencies counted again: removed or refolded articles leave them
        recount(conn)
        integrity_db.bump_generation(conn)
    with db.read() as conn:
        todo = sorted(integrity_db.pending_stories(conn))
    for start in range(0, len(todo), CHUNK):
        chunk = todo[start : start + CHUNK]
        with db.write() as conn:
            for story_id in chunk:
                provenance.assign(conn, story_id)
                stories_db.refresh_story(conn, story_id)
        hooks_report = IngestReport()
        run_hooks(db, hooks, set(chunk), hooks_report)
        report.failures.extend(hooks_report.failures)
        report.stories += len(chunk)
        if on_progress:
            on_progress(len(chunk))
    if not hooks:  # nothing left to rerun: the stories are done
        with db.write() as conn:
            integrity_db.clear_pending(conn, todo)
    return report


def _fold_unfolded(db: Database, folder: Folder, report: RepairReport) -> None:
    """Fold the stored articles that are in no story or have no fold document (their story's hooks pending)."""
    with db.read() as conn:
        ids = integrity_db.unfolded_articles(conn)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with db.write() as conn:
            old = integrity_db.detach_articles(conn, chunk)
            articles = articles_db.get_articles(conn, chunk)
            changed = folder.fold(conn, articles)
            for story_id in old - changed:
                provenance.assign(conn, story_id)
                stories_db.refresh_story(conn, story_id)
            integrity_db.mark_pending(conn, changed | old)
        report.folded += len(chunk)
