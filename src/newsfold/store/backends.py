"""Opening a database by what the user gave: a `postgresql://` URL for PostgreSQL, anything else a SQLite path."""

from __future__ import annotations

from pathlib import Path

from newsfold.errors import StoreError
from newsfold.store.base import Backend
from newsfold.store.db import Database
from newsfold.store.postgresql.sql import without_password

_URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(location: str | Path) -> bool:
    """Whether location names a PostgreSQL database (a postgresql:// or postgres:// URL) rather than a file."""
    return isinstance(location, str) and location.lower().startswith(_URL_SCHEMES)


def open_database(location: str | Path, *, readonly: bool = False) -> Backend:
    """Open (creating and migrating if needed) the database at a SQLite path or a PostgreSQL URL."""
    if not is_database_url(location):
        return Database(location, readonly=readonly)
    try:
        from newsfold.store.postgresql.db import PostgresDatabase  # noqa: PLC0415  psycopg is the optional postgres extra
    except ImportError as exc:
        raise StoreError(
            f"{without_password(str(location))}: PostgreSQL needs the postgres extra "
            f"(pip install 'newsfold[postgres]'): {exc}"
        ) from exc
    return PostgresDatabase(str(location), readonly=readonly)
