"""The source subcommands: sources add|list|remove|import|export, fetch, run and takedown."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from types import FrameType
from typing import Any

import click
import uvicorn

from newsfold.cli.common import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, db_option, error, get_config
from newsfold.config import Config
from newsfold.engine import ingest, resume_hooks
from newsfold.errors import InputError
from newsfold.hooks import finish_pending, pipeline, story_hooks
from newsfold.ingest import opml, registry, takedowns
from newsfold.ingest.collect import Collector
from newsfold.ingest.fetch import Fetcher, FetchSettings
from newsfold.ingest.scheduler import SourcePoller, SourceResult
from newsfold.store import sources as sources_db
from newsfold.store import takedowns as takedowns_db
from newsfold.store.backends import open_database
from newsfold.store.base import Backend
from newsfold.web.app import create_app

KIND_CHOICE = click.Choice(list(sources_db.SOURCE_KINDS))


def allow_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add --allow-network CIDR (repeatable): private ranges fetching may reach."""
    return click.option(
        "--allow-network",
        "allow",
        multiple=True,
        metavar="CIDR",
        help="Let fetching reach this private range (repeatable), e.g. 127.0.0.0/8.",
    )(fn)


def _open(ctx: click.Context, db_path: str | None) -> tuple[Config, Backend]:
    """The configuration and the database for this invocation."""
    config = get_config(ctx, db=db_path)
    return config, open_database(config.database())


def default_outlines() -> list[opml.Outline]:
    """The packaged default source list."""
    data = (resources.files("newsfold") / "data" / "sources.opml").read_bytes()
    return opml.parse_opml(data, "newsfold/data/sources.opml")


def import_outlines(db: Backend, outlines: list[opml.Outline], interval: int) -> tuple[int, int]:
    """Register outlines as sources; return (added, already there)."""
    added = existing = 0
    with db.write() as conn:
        for outline in outlines:
            kind: sources_db.SourceKind = outline.kind if outline.kind in ("feed", "sitemap", "page") else "auto"  # type: ignore[assignment]
            _, new = registry.add_source(
                conn,
                outline.url,
                name=outline.name,
                kind=kind,
                language=outline.language,
                category=outline.category,
                interval=interval,
            )
            added += new
            existing += not new
    return added, existing


@click.group("sources")
def sources_group() -> None:
    """Manage the sources fetched by `newsfold fetch` and `newsfold run`."""


@sources_group.command("add")
@click.argument("url")
@click.option("--name", help="Display name (default: the host).")
@click.option("--language", help="Language of the source (ISO 639-1), when known.")
@click.option("--category", help="Category, kept in OPML exports.")
@click.option("--kind", type=KIND_CHOICE, default="auto", show_default=True, help="What the URL is.")
@click.option("--interval", type=click.IntRange(min=60), default=None, help="Seconds between fetches.")
@db_option
@click.pass_context
def add_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context,
    url: str,
    name: str | None,
    language: str | None,
    category: str | None,
    kind: sources_db.SourceKind,
    interval: int | None,
    db_path: str | None,
) -> int:
    """Add a feed, sitemap or page (or update one already added)."""
    config, db = _open(ctx, db_path)
    try:
        with db.write() as conn:
            source, new = registry.add_source(
                conn,
                url,
                name=name,
                kind=kind,
                language=language,
                category=category,
                interval=interval or int(config["fetch.interval"]),
            )
    finally:
        db.close()
    click.echo(f"{'added' if new else 'updated'} source {source.id}: {source.name} {source.url}")
    return EXIT_OK


@sources_group.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per source.")
@click.pass_context
def list_command(ctx: click.Context, db_path: str | None, as_json: bool) -> int:
    """List sources with their health: last success, last error, failures in a row."""
    _, db = _open(ctx, db_path)
    try:
        with db.read() as conn:
            sources = sources_db.list_sources(conn)
    finally:
        db.close()
    for s in sources:
        if as_json:
            data = {
                "id": s.id,
                "name": s.name,
                "url": s.url,
                "kind": s.kind,
                "language": s.language,
                "category": s.category,
                "interval": s.interval,
                "health": s.health,
                "last_success": s.last_success,
                "last_error": s.last_error,
                "last_error_at": s.last_error_at,
                "failures": s.failures,
                "next_fetch": s.next_fetch,
                "items_new": s.items_new,
            }
            click.echo(json.dumps(data, ensure_ascii=False))
            continue
        line = f"{s.id:>4}  {s.health:<8} {s.name}  {s.url}  every {s.interval}s"
        line += f"  last ok {s.last_success or 'never'}"
        if s.failures:
            line += f"  {s.failures} failures in a row, last: {s.last_error}"
        click.echo(line)
    if not sources and not as_json:
        click.echo("no sources; add one with `newsfold sources add URL` or `newsfold sources import FILE.opml`")
    return EXIT_OK


@sources_group.command("remove")
@click.argument("source")
@db_option
@click.pass_context
def remove_command(ctx: click.Context, source: str, db_path: str | None) -> int:
    """Remove a source (by id, URL or name); its articles stay."""
    _, db = _open(ctx, db_path)
    try:
        with db.write() as conn:
            removed = registry.remove_source(conn, source)
    finally:
        db.close()
    click.echo(f"removed source {removed.id}: {removed.name} {removed.url}")
    return EXIT_OK


@sources_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@db_option
@click.pass_context
def import_command(ctx: click.Context, file: str, db_path: str | None) -> int:
    """Add every source of an OPML file (nothing is fetched now)."""
    config, db = _open(ctx, db_path)
    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        raise InputError(file, exc.strerror or "cannot read") from exc
    try:
        listed = opml.read_opml(data, file)
        added, existing = import_outlines(db, listed.outlines, int(config["fetch.interval"]))
    finally:
        db.close()
    for problem in listed.problems:
        error(str(problem))
    skipped = f", {len(listed.problems)} skipped" if listed.problems else ""
    click.echo(f"{added} sources added, {existing} already there{skipped}")
    return EXIT_PARTIAL if listed.problems else EXIT_OK


@sources_group.command("export")
@db_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@click.pass_context
def export_command(ctx: click.Context, db_path: str | None, output: str | None) -> int:
    """Write every source as OPML 2.0, grouped by category."""
    _, db = _open(ctx, db_path)
    try:
        with db.read() as conn:
            sources = sources_db.list_sources(conn)
    finally:
        db.close()
    data = opml.write_opml(
        opml.Outline(url=s.url, name=s.name, category=s.category, language=s.language, kind=s.kind) for s in sources
    )
    if output:
        Path(output).write_bytes(data)
    else:
        click.echo(data.decode("utf-8"), nl=False)
    return EXIT_OK


def _poller(config: Config, db: Backend, allow: tuple[str, ...], stop: threading.Event) -> SourcePoller:
    """A poller over db with a fetcher built from the configuration."""

    fetcher = Fetcher(FetchSettings.from_config(config, allow), stop=stop)
    return SourcePoller(
        db,
        Collector(fetcher, max_items=int(config["fetch.max_items"])),
        ingest=ingest,
        workers=int(config["fetch.workers"]),
        batch_size=int(config["ingest.batch_size"]),
        pipeline=pipeline(config),
    )


def describe(result: SourceResult) -> str:
    """One line for a source's pass."""
    line = (
        f"{result.source.name}: {result.fetched} fetched, {result.new} new, "
        f"{result.unchanged} unchanged, {result.failed} failed"
    )
    if result.error:
        line += f" ({result.error})"
    return line


@click.command("fetch")
@db_option
@allow_option
@click.option("--all", "everything", is_flag=True, help="Fetch every source, due or not.")
@click.pass_context
def fetch_command(ctx: click.Context, db_path: str | None, allow: tuple[str, ...], everything: bool) -> int:
    """Fetch every due source once, ingest what is new, and exit (for cron and scripts)."""
    config, db = _open(ctx, db_path)
    poller = _poller(config, db, allow, threading.Event())
    try:
        with db.read() as conn:
            if everything:
                sources = sources_db.list_sources(conn)
            else:
                sources = sources_db.due_sources(conn, policy=poller.collector.fetcher.policy_stamp)
        sources = [s for s in sources if not s.blocked]
        if not sources:
            click.echo("no source is due", err=True)
            return EXIT_OK
        results = poller.run_pass(sources, on_result=lambda r: click.echo(describe(r)))
    finally:
        poller.collector.fetcher.close()
        db.close()
    for result in results:
        for failure in result.failures:
            error(str(failure))
    failed = sum(1 for r in results if r.failed)
    click.echo(f"{len(results)} sources, {sum(r.new for r in results)} new articles, {failed} with failures", err=True)
    return EXIT_PARTIAL if failed else EXIT_OK


class _Shutdown:
    """SIGTERM and SIGINT handlers that ask every part of `run` to stop, and restore the old ones after."""

    def __init__(self, stop: threading.Event, on_stop: Callable[[], None]) -> None:
        """Stop through the event, and call on_stop."""
        self.stop = stop
        self.on_stop = on_stop
        self._old: dict[int, Any] = {}

    def handle(self, signum: int, frame: FrameType | None) -> None:
        """A signal arrived: stop after the current write."""
        self.stop.set()
        self.on_stop()

    def __enter__(self) -> _Shutdown:
        """Install the handlers."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            self._old[sig] = signal.signal(sig, self.handle)
        return self

    def __exit__(self, *exc: object) -> None:
        """Restore the previous handlers."""
        for sig, old in self._old.items():
            signal.signal(sig, old)


class LiveReport:
    """What `run` prints: each unreachable source once (until it recovers), recoveries, and what came in."""

    def __init__(self) -> None:
        """Nothing reported yet."""
        self.unreachable: set[int] = set()

    def __call__(self, result: SourceResult) -> None:
        """Report one source's pass."""
        source = result.source
        if result.error:
            if source.id not in self.unreachable:
                self.unreachable.add(source.id)
                error(f"{source.name} is unreachable: {result.error}; retrying quietly")
        elif source.id in self.unreachable or source.failures:
            self.unreachable.discard(source.id)
            click.echo(f"{source.name}: reachable again", err=True)
        if result.new:
            click.echo(describe(result), err=True)


@click.command("run")
@db_option
@allow_option
@click.option("--host", default=None, help="Address the site listens on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="Port (default 8000).")
@click.option("--no-serve", is_flag=True, help="Fetch on schedule without serving the site.")
@click.pass_context
def run_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context, db_path: str | None, allow: tuple[str, ...], host: str | None, port: int | None, no_serve: bool
) -> int:
    """Fetch every source on its interval, fold, and serve the site, until SIGTERM or Ctrl-C."""
    config = get_config(ctx, db=db_path, **{"serve.host": host, "serve.port": port})
    db = open_database(config.database())
    stop = threading.Event()
    poller = _poller(config, db, allow, stop)
    server = None if no_serve else _server(db, config)
    with db.read() as conn:
        empty = not sources_db.list_sources(conn)
    if empty:
        added, _ = import_outlines(db, default_outlines(), int(config["fetch.interval"]))
        click.echo(f"no sources yet: added the {added} default sources (see `newsfold sources list`)", err=True)
    thread = None

    def stop_server() -> None:
        """Ask the site to shut down (it finishes the requests in flight)."""
        if server is not None:
            server.should_exit = True

    try:
        with _Shutdown(stop, stop_server):
            if server is not None:
                thread = threading.Thread(target=server.run, name="site", daemon=True)
                thread.start()
                click.echo(f"newsfold is serving http://{server.config.host}:{server.config.port}/", err=True)
            click.echo("fetching sources on their intervals (SIGTERM or Ctrl-C to stop)", err=True)
            resume_hooks(db, poller.story_hooks)  # stories a killed run left without their derived parts
            poller.loop(on_result=LiveReport(), idle=5.0)
    finally:
        stop.set()
        stop_server()
        if thread is not None:
            thread.join(timeout=15)
        poller.collector.fetcher.close()
        db.close()
    click.echo("stopped; everything fetched so far is stored", err=True)
    return EXIT_OK


def _server(db: Backend, config: Config) -> Any:
    """A uvicorn server for the site over db with the command's settings (run in a thread by `run`)."""

    host, port = str(config["serve.host"]), int(config["serve.port"])
    return uvicorn.Server(
        uvicorn.Config(create_app(db, config, lambda: story_hooks(config)), host=host, port=port, log_level="warning")
    )


@click.command("takedown")
@click.argument("url", required=False)
@click.option("--source", "source_name", help="Take down every item of this source (by name).")
@click.option("--reason", default="", help="Why (kept in the takedown log).")
@click.option("--list", "show", is_flag=True, help="Print the takedown log.")
@db_option
@click.pass_context
def takedown_command(  # noqa: PLR0913  click command: its parameters are its options
    ctx: click.Context, url: str | None, source_name: str | None, reason: str, show: bool, db_path: str | None
) -> int:
    """Remove a URL's or a source's items and block them from returning; each takedown is logged."""
    config, db = _open(ctx, db_path)
    try:
        if show:
            with db.read() as conn:
                for t in takedowns_db.list_takedowns(conn):
                    click.echo(f"{t.at}  {t.target_kind} {t.target}  removed {t.removed}  by {t.actor}: {t.reason}")
            return EXIT_OK
        if bool(url) == bool(source_name):
            error("give either a URL or --source NAME")
            return EXIT_ERROR
        with db.write() as conn:
            if url:
                done = takedowns.take_down_url(conn, url, reason)
            else:
                done = takedowns.take_down_source(conn, str(source_name), reason)

        finish_pending(db, config)  # the stories it changed: derived parts recomputed from what remains
    finally:
        db.close()
    click.echo(f"took down {done.target_kind} {done.target}: {done.removed} articles removed, blocked from returning")
    return EXIT_OK


COMMANDS = [sources_group, fetch_command, run_command, takedown_command]


def register(group: click.Group) -> None:
    """Add the source commands to the newsfold group."""
    for command in COMMANDS:
        group.add_command(command)
