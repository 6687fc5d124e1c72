"""The site's subcommand `newsfold refresh-pages`: build and store story pages (parts and rendered page) now."""

from __future__ import annotations

import click

from newsfold.cli.common import EXIT_OK, db_option, get_config, open_db
from newsfold.store import pages as pages_db
from newsfold.web.story.stored import refresh


@click.command("refresh-pages")
@db_option
@click.option("--all", "everything", is_flag=True, help="Every live story, not only those without a stored page.")
@click.pass_context
def refresh_pages_command(ctx: click.Context, db_path: str | None, everything: bool) -> int:
    """Store each story's differences, related stories and rendered page (ingest does this for those it changes)."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            ids = pages_db.stories_to_render(conn, everything)
        stored = refresh(db, ids, config=get_config(ctx))
    finally:
        db.close()
    click.echo(f"{stored} story pages stored")
    return EXIT_OK
