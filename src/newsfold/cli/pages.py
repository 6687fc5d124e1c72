"""The site's subcommand `newsfold refresh-pages`: build and store story pages (parts and rendered page) now."""

from __future__ import annotations

import click

from newsfold.cli.common import EXIT_OK, db_option, get_config, open_db
from newsfold.web.story_page import refresh


@click.command("refresh-pages")
@db_option
@click.option("--all", "everything", is_flag=True, help="Every live story, not only those without a stored page.")
@click.pass_context
def refresh_pages_command(ctx: click.Context, db_path: str | None, everything: bool) -> int:
    """Store each story's differences, related stories and rendered page (ingest does this for those it changes)."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            sql = "SELECT id FROM stories WHERE merged_into IS NULL AND size > 0"
            if not everything:
                sql += " AND id NOT IN (SELECT story_id FROM story_pages WHERE html IS NOT NULL)"
            ids = [row[0] for row in conn.execute(sql + " ORDER BY id")]
        stored = refresh(db, ids, config=get_config(ctx))
    finally:
        db.close()
    click.echo(f"{stored} story pages stored")
    return EXIT_OK
