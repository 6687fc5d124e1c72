"""The enrich stage's subcommand: `newsfold entity ID`, an entity and the stories naming it over time."""

from __future__ import annotations

import json
from dataclasses import asdict

import click

from newsfold.cli.common import EXIT_OK, db_option, open_db
from newsfold.errors import NotFoundError
from newsfold.serialize import entity_json
from newsfold.store.enrichment import entities_named, entity_page


@click.command("entity")
@click.argument("entity_id", metavar="ID_OR_NAME")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The entity and its stories as one JSON object.")
@click.pass_context
def entity_command(ctx: click.Context, entity_id: str, db_path: str | None, as_json: bool) -> int:
    """Show a person, organisation or place (by id or by name) and the stories that name it, oldest first."""
    db = open_db(ctx, db_path)
    others: list[str] = []
    try:
        with db.read() as conn:
            page = entity_page(conn, entity_id)
            if page is None:
                named = entities_named(conn, entity_id)
                if named:
                    page, others = entity_page(conn, named[0]), named[1:]
    finally:
        db.close()
    if page is None:
        raise NotFoundError(f"entity {entity_id}: no entity has this id or name (see /entities to search)")
    if others:
        click.echo(f"{len(others)} other entities are called so too: {', '.join(others)}", err=True)
    if as_json:
        data = {**entity_json(page.entity), "first_seen": page.first_seen, "last_seen": page.last_seen}
        click.echo(json.dumps({**data, "stories": [asdict(s) for s in page.stories]}, ensure_ascii=False))
        return EXIT_OK
    entity = page.entity
    click.echo(f"{entity.name}  [{entity.kind}, {entity.mentions} mentions]")
    if entity.aliases:
        click.echo(f"also written: {', '.join(entity.aliases)}")
    for story in page.stories:
        when = (story.first_published or story.last_updated or "")[:10]
        click.echo(f"  {when:<10}  {story.id}  ({story.mentions})  {story.title}")
    return EXIT_OK
