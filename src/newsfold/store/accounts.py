"""Accounts in the store: users, their password hashes and their tokens (kept only as digests)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from newsfold.errors import InputError
from newsfold.store.base import Connection, Row

TokenKind = Literal["web", "greader", "fever"]
TOKEN_KINDS: tuple[str, ...] = get_args(TokenKind)

# letters, digits and . _ @ - (an e-mail address from a proxy fits); first a letter or a digit; at most 64
NAME_PATTERN = re.compile(r"[^\W_][\w.@-]{0,63}")


@dataclass(frozen=True, slots=True)
class User:
    """A user of the site: id, name, whether they are an admin, and when they were added."""

    id: int
    name: str
    admin: bool
    created: str


def check_name(name: str) -> str:
    """The name, if it is a valid user name; else an InputError saying why."""
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(
            f"user {name!r}", "a name is 1 to 64 letters, digits and . _ @ -, starting with a letter or digit"
        )
    return name


def stamp(value: str) -> str:
    """An ISO-8601 time in the one form stored here (UTC, microseconds, 'Z'), so stored times compare as text."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"time {value!r}", "not an ISO-8601 time") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _user(row: Row) -> User:
    """A User from a (id, name, admin, created) row."""
    return User(id=int(row[0]), name=str(row[1]), admin=bool(row[2]), created=str(row[3]))


def add_user(conn: Connection, name: str, password_hash: str | None, *, admin: bool = False, now: str) -> User:
    """Add a user (password_hash None for one known only from a proxy); InputError when the name is taken or invalid."""
    check_name(name)
    taken = conn.execute("SELECT name FROM users WHERE lower(name) = lower(?)", (name,)).fetchone()
    if taken is not None:
        raise InputError(f"user {name!r}", f"the name is taken (by {taken[0]!r})")
    created = stamp(now)
    row = conn.execute(
        "INSERT INTO users (name, password_hash, admin, created) VALUES (?, ?, ?, ?) RETURNING id",
        (name, password_hash, int(admin), created),
    ).fetchone()
    return User(id=int(row[0]), name=name, admin=admin, created=created)


def remove_user(conn: Connection, name: str) -> bool:
    """Remove a user by name, with their tokens; whether there was one."""
    row = conn.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        return False
    conn.execute("DELETE FROM user_tokens WHERE user_id = ?", (row[0],))
    conn.execute("DELETE FROM users WHERE id = ?", (row[0],))
    return True


def list_users(conn: Connection) -> list[User]:
    """Every user, by name."""
    return [_user(row) for row in conn.execute("SELECT id, name, admin, created FROM users ORDER BY name")]


def count_users(conn: Connection) -> int:
    """How many users there are (none: the site is a single reader's, open to all)."""
    return int(conn.execute("SELECT count(*) FROM users").fetchone()[0])


def user_by_name(conn: Connection, name: str) -> User | None:
    """The user of that exact name, if any."""
    row = conn.execute("SELECT id, name, admin, created FROM users WHERE name = ?", (name,)).fetchone()
    return None if row is None else _user(row)


def user_by_id(conn: Connection, user_id: int) -> User | None:
    """The user of that id, if any."""
    row = conn.execute("SELECT id, name, admin, created FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else _user(row)


def password_hash(conn: Connection, user_id: int) -> str | None:
    """The user's password hash (None for a proxy-only user or no such user)."""
    row = conn.execute("SELECT password_hash FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def set_password_hash(conn: Connection, user_id: int, password_hash: str | None) -> None:
    """Replace the user's password hash."""
    conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def set_admin(conn: Connection, user_id: int, admin: bool) -> None:
    """Make the user an admin or not."""
    conn.execute("UPDATE users SET admin = ? WHERE id = ?", (int(admin), user_id))


def count_admins(conn: Connection) -> int:
    """How many admins there are."""
    return int(conn.execute("SELECT count(*) FROM users WHERE admin = 1").fetchone()[0])


def _check_kind(kind: str) -> None:
    """Refuse a token kind the schema does not know."""
    if kind not in TOKEN_KINDS:
        raise InputError(f"token kind {kind!r}", f"not one of {', '.join(TOKEN_KINDS)}")


def add_token(conn: Connection, user_id: int, kind: str, token_hash: str, *, now: str, expires: str | None) -> None:  # noqa: PLR0913  one parameter per column of the row it writes
    """Store a token's digest for a user (expires None: it does not expire)."""
    _check_kind(kind)
    conn.execute(
        "INSERT INTO user_tokens (token_hash, user_id, kind, created, expires) VALUES (?, ?, ?, ?, ?)",
        (token_hash, user_id, kind, stamp(now), None if expires is None else stamp(expires)),
    )


def user_for_token(conn: Connection, kind: str, token_hash: str, *, now: str) -> User | None:
    """The user a token of this kind belongs to, if it exists and has not expired."""
    _check_kind(kind)
    row = conn.execute(
        "SELECT u.id, u.name, u.admin, u.created FROM user_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_hash = ? AND t.kind = ? AND (t.expires IS NULL OR t.expires > ?)",
        (token_hash, kind, stamp(now)),
    ).fetchone()
    return None if row is None else _user(row)


def token_expiry(conn: Connection, kind: str, token_hash: str) -> str | None:
    """When a stored token expires (None: never, or no such token)."""
    row = conn.execute(
        "SELECT expires FROM user_tokens WHERE token_hash = ? AND kind = ?", (token_hash, kind)
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def renew_token(conn: Connection, kind: str, token_hash: str, *, expires: str) -> None:
    """Move a stored token's expiry (a session's sliding renewal)."""
    conn.execute(
        "UPDATE user_tokens SET expires = ? WHERE token_hash = ? AND kind = ?", (stamp(expires), token_hash, kind)
    )


def remove_token(conn: Connection, kind: str, token_hash: str) -> bool:
    """Remove one token (a logout); whether it existed."""
    cursor = conn.execute("DELETE FROM user_tokens WHERE token_hash = ? AND kind = ?", (token_hash, kind))
    return cursor.rowcount > 0


def remove_tokens(conn: Connection, user_id: int, kind: str | None = None) -> int:
    """Remove a user's tokens (of one kind, or all); how many there were."""
    if kind is None:
        cursor = conn.execute("DELETE FROM user_tokens WHERE user_id = ?", (user_id,))
    else:
        _check_kind(kind)
        cursor = conn.execute("DELETE FROM user_tokens WHERE user_id = ? AND kind = ?", (user_id, kind))
    return cursor.rowcount


def remove_expired_tokens(conn: Connection, *, now: str) -> int:
    """Remove every token that has expired; how many."""
    cursor = conn.execute("DELETE FROM user_tokens WHERE expires IS NOT NULL AND expires <= ?", (stamp(now),))
    return cursor.rowcount
