"""The user subcommands: users add|remove|list|password (the site's accounts)."""

from __future__ import annotations

import json
import sys

import click

from newsfold.accounts.passwords import check_password, hash_password
from newsfold.cli.common import EXIT_OK, db_option, open_db
from newsfold.errors import InputError
from newsfold.store import accounts as accounts_db
from newsfold.text.dates import now_iso


def read_password(from_stdin: bool) -> str:
    """A new password: the first line of stdin, or typed twice at a prompt; checked for length."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password.removesuffix("\r")
        if not password:
            raise InputError("stdin", "no password on the first line")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return check_password(password)


def password_option(fn: click.decorators.FC) -> click.decorators.FC:
    """Add --password-stdin: read the password from the first line of stdin instead of prompting."""
    return click.option(
        "--password-stdin", "from_stdin", is_flag=True, help="Read the password from the first line of stdin."
    )(fn)


@click.group("users")
def users_group() -> None:
    """Manage the site's users (with none, the site is open to anyone, as a single reader's)."""


@users_group.command("add")
@click.argument("name")
@click.option("--admin", is_flag=True, help="The user may manage other users.")
@password_option
@db_option
@click.pass_context
def add_command(ctx: click.Context, name: str, admin: bool, from_stdin: bool, db_path: str | None) -> int:
    """Add a user with a password (prompted twice, or read from stdin)."""
    accounts_db.check_name(name)
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            if accounts_db.user_by_name(conn, name) is not None:
                raise InputError(f"user {name!r}", "the name is taken")
        hashed = hash_password(read_password(from_stdin))
        with db.write() as conn:
            user = accounts_db.add_user(conn, name, hashed, admin=admin, now=now_iso())
    finally:
        db.close()
    click.echo(f"added {'admin' if user.admin else 'user'} {user.id}: {user.name}")
    return EXIT_OK


@users_group.command("remove")
@click.argument("name")
@db_option
@click.pass_context
def remove_command(ctx: click.Context, name: str, db_path: str | None) -> int:
    """Remove a user, their sessions and their API logins."""
    db = open_db(ctx, db_path)
    try:
        with db.write() as conn:
            removed = accounts_db.remove_user(conn, name)
    finally:
        db.close()
    if not removed:
        raise InputError(f"user {name!r}", "no such user")
    click.echo(f"removed user {name}")
    return EXIT_OK


@users_group.command("password")
@click.argument("name")
@password_option
@db_option
@click.pass_context
def password_command(ctx: click.Context, name: str, from_stdin: bool, db_path: str | None) -> int:
    """Set a user's password; their sessions and API logins end."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            user = accounts_db.user_by_name(conn, name)
        if user is None:
            raise InputError(f"user {name!r}", "no such user")
        hashed = hash_password(read_password(from_stdin))
        with db.write() as conn:
            accounts_db.set_password_hash(conn, user.id, hashed)
            ended = accounts_db.remove_tokens(conn, user.id)
    finally:
        db.close()
    click.echo(f"password of {name} changed; {ended} sessions and API logins ended")
    return EXIT_OK


@users_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line, one per user.")
@db_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool, db_path: str | None) -> int:
    """List the users: id, name, admin or not, when added."""
    db = open_db(ctx, db_path)
    try:
        with db.read() as conn:
            users = accounts_db.list_users(conn)
    finally:
        db.close()
    for user in users:
        if as_json:
            data = {"id": user.id, "name": user.name, "admin": user.admin, "created": user.created}
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            click.echo(f"{user.id:>4}  {'admin' if user.admin else 'user ':<5}  {user.name}  added {user.created}")
    if not users and not as_json:
        click.echo("no users: the site is open to anyone; add one with `newsfold users add NAME`")
    return EXIT_OK
