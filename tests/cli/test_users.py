"""`newsfold users add|remove|list|password`: users with argon2 hashes, bad input as one line that changes nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.accounts.passwords import verify_password
from newsfold.cli import cli
from newsfold.cli.common import run_main
from newsfold.store import accounts as accounts_db
from newsfold.store.db import Database


def users(db: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run `newsfold users ARGS --db DB` as main() does: status, stdout, stderr."""
    runner = CliRunner()
    result = runner.invoke(
        cli, ["users", *args, "--db", str(db)], input=stdin, catch_exceptions=False, standalone_mode=False
    )
    return int(result.return_value or 0), result.stdout, result.stderr


def main_status(db: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    """Run the CLI through run_main (errors as one line), with args."""
    monkeypatch.setattr("sys.argv", ["newsfold", "users", *args, "--db", str(db)])
    return run_main(cli)


def stored(db: Path) -> list[accounts_db.User]:
    """The users in the database."""
    database = Database(db)
    try:
        with database.read() as conn:
            return accounts_db.list_users(conn)
    finally:
        database.close()


def stored_hash(db: Path, name: str) -> str | None:
    """A user's stored password hash."""
    database = Database(db)
    try:
        with database.read() as conn:
            user = accounts_db.user_by_name(conn, name)
            assert user is not None
            return accounts_db.password_hash(conn, user.id)
    finally:
        database.close()


def test_add_list_and_remove(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    status, out, _ = users(db, "add", "alice", "--admin", "--password-stdin", stdin="secret password\n")
    assert status == 0 and out.startswith("added admin 1: alice")
    status, out, _ = users(db, "add", "bob", stdin="another secret\nanother secret\n")  # prompted twice
    assert status == 0 and "added user 2: bob" in out
    assert verify_password(stored_hash(db, "alice"), "secret password")
    assert verify_password(stored_hash(db, "bob"), "another secret")
    status, out, _ = users(db, "list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["name"], r["admin"]) for r in rows] == [(1, "alice", True), (2, "bob", False)]
    assert all(r["created"].endswith("Z") and "password" not in json.dumps(r) for r in rows)
    status, out, _ = users(db, "list")
    assert "admin  alice" in out and "user   bob" in out
    status, out, _ = users(db, "remove", "bob")
    assert status == 0 and out.strip() == "removed user bob"
    assert [u.name for u in stored(db)] == ["alice"]


def test_list_with_no_users_says_the_site_is_open(tmp_path: Path) -> None:
    status, out, _ = users(tmp_path / "n.db", "list")
    assert status == 0 and "no users: the site is open to anyone" in out
    assert users(tmp_path / "n.db", "list", "--json")[1] == ""


def test_password_changed_and_sessions_ended(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    users(db, "add", "alice", "--password-stdin", stdin="secret password\n")
    database = Database(db)
    with database.write() as conn:
        accounts_db.add_token(conn, 1, "web", "digest", now="2026-01-01T00:00:00Z", expires=None)
    database.close()
    status, out, _ = users(db, "password", "alice", "--password-stdin", stdin="a new secret\n")
    assert status == 0 and "1 sessions and API logins ended" in out
    assert verify_password(stored_hash(db, "alice"), "a new secret")
    assert not verify_password(stored_hash(db, "alice"), "secret password")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["add", "al ice", "--password-stdin"], "secret password\n", "user 'al ice': a name is 1 to 64"),
        (["add", "alice", "--password-stdin"], "secret password\n", "user 'alice': the name is taken"),
        (["add", "ALICE", "--password-stdin"], "secret password\n", "user 'ALICE': the name is taken"),
        (["add", "carol", "--password-stdin"], "short\n", "password: shorter than 8 characters"),
        (["add", "carol", "--password-stdin"], "", "stdin: no password on the first line"),
        (["remove", "carol"], None, "user 'carol': no such user"),
        (["password", "carol", "--password-stdin"], "secret password\n", "user 'carol': no such user"),
        (["password", "alice", "--password-stdin"], "short\n", "password: shorter than 8 characters"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(  # noqa: PLR0913  pytest fixtures and the parametrised case
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    stdin: str | None,
    message: str,
) -> None:
    db = tmp_path / "n.db"
    users(db, "add", "alice", "--password-stdin", stdin="secret password\n")
    before = stored(db), stored_hash(db, "alice")
    capsys.readouterr()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main_status(db, monkeypatch, *args) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"newsfold: {message}") and len(err.splitlines()) == 1
    assert (stored(db), stored_hash(db, "alice")) == before


def test_mismatched_prompts_are_asked_again(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    status, out, _ = users(db, "add", "dora", stdin="first secret\nother secret\nfirst secret\nfirst secret\n")
    assert status == 0 and "added user 1: dora" in out
    assert verify_password(stored_hash(db, "dora"), "first secret")
