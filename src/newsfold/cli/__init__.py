"""The `newsfold` command: a click group, one module per family of subcommands."""

from __future__ import annotations

import sys

import click

from newsfold.cli import core, models
from newsfold.cli import sources as sources_cli
from newsfold.cli.batch import batch_command
from newsfold.cli.common import run_main
from newsfold.cli.enrich import entity_command
from newsfold.cli.pages import refresh_pages_command
from newsfold.cli.users import users_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML settings file.")
@click.option("-v", "--verbose", count=True, help="More log output (repeat for debug).")
@click.version_option(package_name="newsfold")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """newsfold: news from anywhere, folded into stories across outlets and languages."""
    ctx.obj = {"config_path": config_path, "verbose": verbose}


for command in core.COMMANDS:
    cli.add_command(command)
sources_cli.register(cli)
cli.add_command(batch_command)
cli.add_command(entity_command)
cli.add_command(refresh_pages_command)
cli.add_command(users_group)
for command in models.COMMANDS:
    cli.add_command(command)


def main() -> None:
    """Entry point: run the CLI, turning domain errors into one-line messages."""
    sys.exit(run_main(cli))
