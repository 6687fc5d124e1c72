"""Accounts in the store: users by name and id, password hashes, tokens by digest with expiry, cascades."""

from __future__ import annotations

import sqlite3

import pytest

from newsfold.errors import InputError
from newsfold.store import accounts as accounts_db
from newsfold.store.db import Database

NOW = "2026-12-03T08:00:00Z"


def test_users_added_found_listed_and_removed(db: Database) -> None:
    with db.write() as conn:
        alice = accounts_db.add_user(conn, "alice", "hash-a", admin=True, now=NOW)
        bob = accounts_db.add_user(conn, "bob@example.org", None, now=NOW)
    assert alice.admin and not bob.admin and alice.id != bob.id
    assert alice.created == "2026-12-03T08:00:00.000000Z"
    with db.read() as conn:
        assert accounts_db.user_by_name(conn, "alice") == alice
        assert accounts_db.user_by_id(conn, bob.id) == bob
        assert accounts_db.user_by_name(conn, "carol") is None
        assert accounts_db.user_by_id(conn, 999) is None
        assert accounts_db.list_users(conn) == [alice, bob]
        assert accounts_db.password_hash(conn, alice.id) == "hash-a"
        assert accounts_db.password_hash(conn, bob.id) is None
        assert accounts_db.count_users(conn) == 2
    with db.write() as conn:
        accounts_db.set_password_hash(conn, bob.id, "hash-b")
        assert accounts_db.password_hash(conn, bob.id) == "hash-b"
        assert accounts_db.remove_user(conn, "alice") is True
        assert accounts_db.remove_user(conn, "alice") is False
        assert accounts_db.list_users(conn) == [bob]


@pytest.mark.parametrize("name", ["", " alice", "al ice", "_x", "-x", "a" * 65, "x\n", "a/b", "<b>"])
def test_invalid_names_refused_and_nothing_stored(db: Database, name: str) -> None:
    with db.write() as conn, pytest.raises(InputError, match="a name is 1 to 64"):
        accounts_db.add_user(conn, name, "h", now=NOW)
    with db.read() as conn:
        assert accounts_db.list_users(conn) == []


def test_a_taken_name_refused_whatever_its_case(db: Database) -> None:
    with db.write() as conn:
        accounts_db.add_user(conn, "Alice", "h", now=NOW)
    for name in ("Alice", "alice", "ALICE"):
        with db.write() as conn, pytest.raises(InputError, match="taken"):
            accounts_db.add_user(conn, name, "h", now=NOW)
    with db.read() as conn:
        assert [u.name for u in accounts_db.list_users(conn)] == ["Alice"]


def test_tokens_found_by_kind_and_digest_until_they_expire(db: Database) -> None:
    with db.write() as conn:
        user = accounts_db.add_user(conn, "alice", "h", now=NOW)
        accounts_db.add_token(conn, user.id, "web", "d1", now=NOW, expires="2026-12-03T09:00:00Z")
        accounts_db.add_token(conn, user.id, "greader", "d2", now=NOW, expires=None)
    with db.read() as conn:
        assert accounts_db.user_for_token(conn, "web", "d1", now="2026-12-03T08:59:59.5Z") == user
        assert accounts_db.user_for_token(conn, "web", "d1", now="2026-12-03T09:00:00Z") is None
        assert accounts_db.user_for_token(conn, "web", "d1", now="2026-12-03T10:00:00+01:00") is None
        assert accounts_db.user_for_token(conn, "web", "d1", now="2026-12-03T09:30:00+01:00") == user
        assert accounts_db.user_for_token(conn, "fever", "d1", now=NOW) is None  # another kind
        assert accounts_db.user_for_token(conn, "greader", "d2", now="2099-01-01T00:00:00Z") == user
        assert accounts_db.user_for_token(conn, "web", "nope", now=NOW) is None
    with db.write() as conn:
        accounts_db.renew_token(conn, "web", "d1", expires="2026-12-03T11:00:00Z")
        assert accounts_db.user_for_token(conn, "web", "d1", now="2026-12-03T10:00:00Z") == user
        assert accounts_db.remove_expired_tokens(conn, now="2026-12-03T12:00:00Z") == 1
        assert accounts_db.remove_tokens(conn, user.id, "web") == 0
        assert accounts_db.remove_tokens(conn, user.id) == 1


def test_tokens_go_with_their_user_and_unknown_kinds_are_refused(db: Database) -> None:
    with db.write() as conn:
        user = accounts_db.add_user(conn, "alice", "h", now=NOW)
        accounts_db.add_token(conn, user.id, "web", "d1", now=NOW, expires=None)
        accounts_db.add_token(conn, user.id, "fever", "d2", now=NOW, expires=None)
        assert accounts_db.remove_tokens(conn, user.id, "fever") == 1
        with pytest.raises(InputError, match="token kind 'api'"):
            accounts_db.add_token(conn, user.id, "api", "d3", now=NOW, expires=None)
        with pytest.raises(InputError, match="not an ISO-8601 time"):
            accounts_db.add_token(conn, user.id, "web", "d3", now="yesterday", expires=None)
        accounts_db.remove_user(conn, "alice")
        assert conn.execute("SELECT count(*) FROM user_tokens").fetchone()[0] == 0


def test_the_schema_itself_refuses_bad_rows(db: Database) -> None:
    with db.write() as conn:
        user = accounts_db.add_user(conn, "alice", "h", now=NOW)
    with pytest.raises(sqlite3.IntegrityError), db.write() as conn:
        conn.execute("INSERT INTO user_tokens VALUES ('x', ?, 'api', ?, NULL)", (user.id, NOW))
    with pytest.raises(sqlite3.IntegrityError), db.write() as conn:
        conn.execute("INSERT INTO user_tokens VALUES ('x', 12345, 'web', ?, NULL)", (NOW,))
    with pytest.raises(sqlite3.IntegrityError), db.write() as conn:
        conn.execute("INSERT INTO users (name, created) VALUES ('alice', ?)", (NOW,))
