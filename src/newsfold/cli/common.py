"""What every subcommand shares: settings, the database, errors as one line, progress on terminals."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsfold.config import Config, load_config
from newsfold.errors import NewsfoldError
from newsfold.store.backends import open_database
from newsfold.store.base import Backend

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_ERROR, EXIT_PARTIAL = 0, 1, 2


def db_option(fn: F) -> F:
    """Add --db PATH_OR_URL (else $NEWSFOLD_DB, else ./newsfold.db, or the configuration's db)."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False), help="SQLite database file, or a postgresql:// URL."
    )(fn)


def get_config(ctx: click.Context, **overrides: Any) -> Config:
    """The effective configuration for this invocation."""
    obj = ctx.find_root().obj or {}
    level = {0: logging.WARNING, 1: logging.INFO}.get(obj.get("verbose", 0), logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    return load_config(obj.get("config_path"), overrides)


def open_db(ctx: click.Context, db_path: str | None) -> Backend:
    """Open the database chosen by --db, $NEWSFOLD_DB or the configuration."""
    config = get_config(ctx, db=db_path)
    return open_database(config.database())


def error(message: str) -> None:
    """Print one line to stderr, prefixed with the program name."""
    click.echo(f"newsfold: {message}", err=True)


def is_terminal() -> bool:
    """Whether stderr is a terminal (progress bars only then)."""
    return sys.stderr.isatty()


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal, nothing in pipes; yields a function that advances it."""
    if not is_terminal():
        yield lambda n: None
        return
    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def run_main(group: click.Group) -> int:
    """Run the group; domain errors become one line and exit 1, never a traceback."""
    try:
        result = group.main(standalone_mode=False)
    except click.exceptions.Abort:
        error("aborted")
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except NewsfoldError as exc:
        error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        error("interrupted; everything committed so far is kept")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return int(result or 0)
