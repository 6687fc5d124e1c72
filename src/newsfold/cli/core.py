"""The core subcommands: ingest, extract, stories, story, search, serve, demo, config."""

from __future__ import annotations

import json
import socket
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import click
import uvicorn

from newsfold.cli.common import EXIT_OK, EXIT_PARTIAL, db_option, error, get_config, open_db, progress
from newsfold.cli.sources import allow_option
from newsfold.config import SETTINGS, Config
from newsfold.engine import IngestReport, ingest
from newsfold.enrich.timeline import at_precision
from newsfold.errors import GoneError, InputError, NotFoundError
from newsfold.extract.dispatch import Extractor
from newsfold.fold.incremental.folder import Folder
from newsfold.hooks import decorate_story, pipeline, story_hooks
from newsfold.ingest.fetch import Fetcher, FetchSettings
from newsfold.ingest.files import count_inputs, iter_inputs
from newsfold.ingest.sourcefiles import NO_FETCHER
from newsfold.language import LanguageStep
from newsfold.model import Article, Story
from newsfold.repair import repair
from newsfold.serialize import document_json, story_json
from newsfold.store import articles as articles_db
from newsfold.store import search as search_db
from newsfold.store import stories as stories_db
from newsfold.store.backends import open_database
from newsfold.store.base import Backend, Connection
from newsfold.web.app import create_app


def report_ingest(report: IngestReport) -> int:
    """Print the failures (one line each) and a summary; return the exit status."""
    for failure in report.failures:
        error(str(failure))
    if report.blocked:
        click.echo(f"{report.blocked} documents skipped: taken down (see `newsfold takedown --list`)", err=True)
    click.echo(
        f"{report.inputs} inputs read, {report.documents} documents, {report.new} new, "
        f"{report.unchanged} already stored, {len(report.failures)} failed",
        err=True,
    )
    return EXIT_PARTIAL if report.failures else EXIT_OK


def run_ingest(ctx: click.Context, db: Backend, paths: Iterable[str], allow: Iterable[str] = ()) -> IngestReport:
    """Ingest paths into db with a progress bar on terminals (one step per file or URL it reads)."""

    config = get_config(ctx)
    paths = list(paths)
    settings = FetchSettings.from_config(config, allow)
    with progress("ingesting", count_inputs(paths)) as advance, Fetcher(settings) as fetcher:
        max_bytes = int(config["ingest.max_bytes"])
        return ingest(
            db,
            iter_inputs(paths, max_bytes=max_bytes, fetcher=fetcher, on_done=lambda: advance(1)),
            pipeline(config),
            batch_size=int(config["ingest.batch_size"]),
        )


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True)
@db_option
@allow_option
@click.pass_context
def ingest_command(ctx: click.Context, paths: tuple[str, ...], db_path: str | None, allow: tuple[str, ...]) -> int:
    """Ingest files, directories (recursive), URLs, WARC archives, feeds and OPML lists."""
    db = open_db(ctx, db_path)
    try:
        return report_ingest(run_ingest(ctx, db, paths, allow))
    finally:
        db.close()


@click.command("extract")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per document.")
@click.pass_context
def extract_command(ctx: click.Context, path: str, as_json: bool) -> int:
    """Show the documents found in one input (read as ingest reads it: pages, text, WARC, feeds); stores nothing."""

    config = get_config(ctx)
    extractor = Extractor()
    step = LanguageStep()
    failed = 0
    # the same dispatcher as ingest's (WARC records, feed entries, OPML lists), without a fetcher: what needs
    # fetching is refused with a line saying so
    for item in iter_inputs([path], max_bytes=int(config["ingest.max_bytes"]), fetcher=None):
        try:
            if isinstance(item, InputError):
                raise item
            documents = list(step(extractor(item)))
        except InputError as exc:
            failed += 1
            hint = "; `newsfold ingest` fetches them" if NO_FETCHER in exc.reason else ""
            error(f"{exc}{hint}")
            continue
        for document in documents:
            _echo_document(document, as_json)
    return EXIT_PARTIAL if failed else EXIT_OK


def _echo_document(document: Article, as_json: bool) -> None:
    """One extracted document, as a JSON line or as text."""
    if as_json:
        click.echo(json.dumps(document_json(document), ensure_ascii=False))
        return
    click.echo(f"# {document.title or '(untitled)'}  [{document.kind}, {document.language or '?'}]")
    if document.published:
        click.echo(f"published {document.published.isoformat()}")
    click.echo()
    click.echo(document.text)
    click.echo()


def _story_json(db: Backend, story: Story) -> dict[str, Any]:
    """A story and its members' details as the contract's JSON."""
    with db.read() as conn:
        return _story_json_in(conn, story)


def _story_json_in(conn: Connection, story: Story) -> dict[str, Any]:
    """A story and its members' details as the contract's JSON, read on an open connection."""

    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
    decorate_story(conn, story)
    return story_json(story, {a.id: a for a in members})


TEXT_STORIES = 50


@click.command("stories")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per story (all of them).")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help=f"At most this many stories (default: all with --json, {TEXT_STORIES} as text).",
)
@click.pass_context
def stories_command(ctx: click.Context, db_path: str | None, as_json: bool, limit: int | None) -> int:
    """List stories, most recently updated first."""
    db = open_db(ctx, db_path)
    try:
        shown = limit if limit is not None or as_json else TEXT_STORIES
        printed = 0
        with db.read() as conn:
            total = stories_db.count_stories(conn)
            for story in stories_db.iter_latest_stories(conn, shown):
                if as_json:
                    click.echo(json.dumps(_story_json_in(conn, story), ensure_ascii=False))
                else:
                    langs = ",".join(story.languages) or "?"
                    click.echo(f"{story.id}  {len(story.members):>3} articles  [{langs}]  {story.title}")
                printed += 1
        if not as_json and total > printed:
            more = total - printed
            noun = "story" if more == 1 else "stories"
            click.echo(f"... and {more} more {noun} (--limit {total} shows all)", err=True)
    finally:
        db.close()
    return EXIT_OK


@click.command("story")
@click.argument("story_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The story as one JSON object.")
@click.pass_context
def story_command(ctx: click.Context, story_id: str, db_path: str | None, as_json: bool) -> int:
    """Show one story with every member and its relation."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            story = stories_db.get_story(conn, story_id)
        if story is None:
            raise NotFoundError(f"story {story_id}: no such story")
        if not story.members:
            raise GoneError(f"story {story_id}: removed (every article of it was taken down)")
        data = _story_json(db, story)
        if as_json:
            click.echo(json.dumps(data, ensure_ascii=False))
            return EXIT_OK
        click.echo(f"{data['title']}")
        original = data["original"]
        if isinstance(original, dict):
            click.echo(f"original: {original.get('name') or ''} {original.get('url') or ''}".rstrip())
        for member in data["articles"]:
            source = member["source"]["name"] or member["source"]["url"] or "unnamed site"
            title = member["title"]
            derived = member.get("derived_title")
            if not title and derived:
                mark = "its original's title" if derived["from"] == "original" else "first sentence; no title"
                title = f"{derived['text']} [{mark}]"
            click.echo(
                f"  {member['relation']:<8} {member['id']}  {member['language'] or '?'}  "
                f"{member['published'] or '-':<25} {source}: {title or '(untitled)'}"
            )
        _echo_story_parts(data)
    finally:
        db.close()
    return EXIT_OK


def _echo_story_parts(data: dict[str, Any]) -> None:
    """The text view's highlights, people and places, and timeline (each section only when it has items)."""
    if data["highlights"]:
        click.echo("highlights:")
        for line in data["highlights"]:
            click.echo(f"  - {line}")
    if data["entities"]:
        names = [f"{e['name']} ({e['kind']})" for e in data["entities"][:12]]
        click.echo("people, places, organisations: " + "; ".join(names))
    if data["timeline"]:
        click.echo("timeline:")
        for event in data["timeline"]:
            click.echo(f"  {at_precision(event['date'], event['precision'])[1]:<18} {event['text']}")


@click.command("search")
@click.argument("query")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per hit.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.pass_context
def search_command(ctx: click.Context, query: str, db_path: str | None, as_json: bool, limit: int) -> int:
    """Full-text search over titles and text."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            hits = search_db.search(conn, query, limit=limit)
        for hit in hits:
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "article_id": hit.article_id,
                            "story_id": hit.story_id,
                            "title": hit.title,
                            "snippet": hit.snippet,
                            "language": hit.language,
                            "source": hit.source_name,
                            "published": hit.published,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                click.echo(f"{hit.story_id}  {hit.title or '(untitled)'}\n    {hit.snippet}")
    finally:
        db.close()
    return EXIT_OK


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port; OSError (address in use, no such address) when it cannot be had."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve_database(db: Backend, host: str, port: int, config: Config) -> int:
    """Serve the site for db with the command's settings (its --config included) until interrupted; EXIT_PARTIAL,
    after one line, when host:port cannot be listened on."""

    try:
        sock = listen(host, port)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        error(f"{host}:{port}: cannot listen ({reason}); choose another with --port or the setting serve.port")
        return EXIT_PARTIAL
    click.echo(f"newsfold is serving http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    with sock:
        server = uvicorn.Config(create_app(db, config, lambda: story_hooks(config)), log_level="warning")
        uvicorn.Server(server).run(sockets=[sock])
    return EXIT_OK


@click.command("serve")
@db_option
@click.option("--host", default=None, help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
@click.pass_context
def serve_command(ctx: click.Context, db_path: str | None, host: str | None, port: int | None) -> int:
    """Serve the reader's site, JSON API and feeds."""
    config = get_config(ctx, db=db_path, **{"serve.host": host, "serve.port": port})
    db = open_database(config.database())
    try:
        return serve_database(db, str(config["serve.host"]), int(config["serve.port"]), config)
    finally:
        db.close()


@click.command("demo")
@db_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--no-serve", is_flag=True, help="Ingest the sample and exit without serving.")
@click.pass_context
def demo_command(ctx: click.Context, db_path: str | None, port: int, no_serve: bool) -> int:
    """Ingest the bundled sample into a fresh database and serve it on 127.0.0.1."""
    if db_path is None:
        db_path = str(Path(tempfile.mkdtemp(prefix="newsfold-demo-")) / "demo.db")
    elif Path(db_path).exists():
        error(f"{db_path}: the demo wants a fresh database; remove it or pick another path")
        return EXIT_PARTIAL
    db = open_database(db_path)
    try:
        with resources.as_file(resources.files("newsfold") / "data" / "sample") as sample:
            report = run_ingest(ctx, db, [str(sample)])
        click.echo(f"demo database: {db_path} ({report.new} documents)", err=True)
        if not no_serve:
            config = get_config(ctx, **{"serve.host": "127.0.0.1", "serve.port": port})
            return serve_database(db, "127.0.0.1", port, config)
    finally:
        db.close()
    return EXIT_OK


@click.command("config")
@click.pass_context
def config_command(ctx: click.Context) -> int:
    """Print the effective settings and where each came from."""

    config = get_config(ctx)
    for setting in SETTINGS:
        value = json.dumps(config[setting.name])
        click.echo(f"{setting.name} = {value}    # {config.origins[setting.name]}; {setting.help}")
    return EXIT_OK


COMMANDS = [
    ingest_command,
    extract_command,
    stories_command,
    story_command,
    search_command,
    serve_command,
    demo_command,
    config_command,
]


@click.command("repair")
@db_option
@click.pass_context
def repair_command(ctx: click.Context, db_path: str | None) -> int:
    """Rebuild every derived part: fold state, story metadata, highlights, entities, timelines, stored pages."""

    config = get_config(ctx, db=db_path)
    db = open_database(config.database())
    try:
        with db.read() as conn:
            total = stories_db.count_all(conn)
        with progress("repairing", total) as advance:
            report = repair(db, story_hooks(config), Folder.from_config(config), on_progress=advance)
    finally:
        db.close()
    for failure in report.failures:
        error(str(failure))
    click.echo(
        f"{report.orphans} orphaned rows removed, {report.folded} articles folded again, "
        f"{report.stories} stories rebuilt, {len(report.failures)} failed",
        err=True,
    )
    return EXIT_PARTIAL if report.failures else EXIT_OK


COMMANDS.append(repair_command)
