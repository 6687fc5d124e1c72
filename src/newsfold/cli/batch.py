"""`newsfold batch`: the pipeline over a corpus, on this machine or a Ray cluster, into Parquet."""

from __future__ import annotations

from pathlib import Path

import click

from newsfold.cli.common import EXIT_OK, EXIT_PARTIAL, error, get_config
from newsfold.errors import NewsfoldError
from newsfold.hooks import pipeline
from newsfold.steps import Pipeline
from newsfold.store import stories as stories_db
from newsfold.store.backends import is_database_url
from newsfold.store.db import Database

HOOK_CHUNK = 500  # stories per round of story hooks when loading a store


@click.command("batch")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--ray", "ray_address", default=None, help="Address of a Ray cluster (e.g. ray://head:10001).")
@click.option("--local", "local_cpus", type=click.IntRange(min=1), default=None, help="A local Ray with N CPUs.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes, without Ray.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None, help="Also load into this store.")
@click.pass_context
def batch_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context,
    inputs: tuple[str, ...],
    out: str,
    ray_address: str | None,
    local_cpus: int | None,
    workers: int,
    db_path: str | None,
) -> int:
    """Extract, identify languages and fold a corpus; write articles and stories as Parquet."""
    try:
        from newsfold.batch import BatchJob  # noqa: PLC0415  pyarrow is the [ray] extra's; the command names it when missing
        from newsfold.executors.base import Executor  # noqa: PLC0415  pyarrow is the [ray] extra's; the command names it when missing
        from newsfold.executors.local import LocalExecutor  # noqa: PLC0415  pyarrow is the [ray] extra's; the command names it when missing
    except ImportError as exc:
        raise NewsfoldError(f"batch needs pyarrow: pip install 'newsfold[ray]' ({exc.name} is missing)") from exc
    if ray_address and local_cpus:
        raise click.UsageError("use either --ray ADDRESS or --local N")
    if db_path and is_database_url(db_path):
        raise click.UsageError("--db: batch loads into a new SQLite file; fill a PostgreSQL store with ingest")
    config = get_config(ctx)
    executor: Executor
    if ray_address or local_cpus:
        from newsfold.executors.ray import RayExecutor  # noqa: PLC0415  ray is an optional extra, loaded only for --ray/--local

        executor = RayExecutor(address=ray_address, num_cpus=local_cpus)
    else:
        executor = LocalExecutor(workers)
    try:
        steps = pipeline(config)
        job = BatchJob(list(inputs), Path(out), executor, max_bytes=int(config["ingest.max_bytes"]), pipeline=steps)
        report = job.run()
    finally:
        executor.close()
    for location, reason in report.skipped:
        error(f"{location}: {reason}")
    if report.resumed:
        click.echo(f"resumed after stages: {', '.join(report.resumed)}", err=True)
    click.echo(
        f"{report.read} inputs read, {report.documents} documents kept, {len(report.skipped)} skipped, "
        f"{report.stories} stories -> {out}",
        err=True,
    )
    if db_path:
        if Path(db_path).exists():
            error(f"{db_path}: exists; batch loads only into a new store")
            return EXIT_PARTIAL
        job.load_store(Path(db_path))
        finished = _run_story_hooks(Path(db_path), job.pipeline)
        click.echo(f"store written to {db_path} ({finished} stories enriched and rendered)", err=True)
    return EXIT_PARTIAL if report.skipped else EXIT_OK


def _run_story_hooks(db_path: Path, steps: Pipeline) -> int:
    """Run the story hooks `ingest` runs after each batch (enrichment, eager translation, stored pages) once for
    every story of a batch-loaded store: after folding, not per chunk, since a story is final only then."""

    db = Database(db_path)
    try:
        with db.read() as conn:
            ids = stories_db.live_story_ids(conn)
        hooks = steps.hooks
        for start in range(0, len(ids), HOOK_CHUNK):
            chunk = set(ids[start : start + HOOK_CHUNK])
            for hook in hooks:
                hook(db, chunk)
    finally:
        db.close()
    return len(ids)
