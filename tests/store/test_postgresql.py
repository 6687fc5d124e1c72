"""The PostgreSQL backend's own parts: placeholders, migrations twinned with SQLite's, errors, read-only use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.errors import StoreError
from newsfold.store.backends import is_database_url, open_database, without_password
from newsfold.store.base import Backend
from newsfold.store.db import Database
from newsfold.store.db import _migrations as sqlite_migrations
from newsfold.store.postgresql.db import _migrations as pg_migrations
from newsfold.store.postgresql.sql import to_psycopg
from tests.postgres_server import PostgresServer


def test_placeholders_are_translated_outside_quotes() -> None:
    assert to_psycopg("SELECT a FROM t WHERE b = ? AND c = :name") == "SELECT a FROM t WHERE b = %s AND c = %(name)s"
    assert to_psycopg("SELECT '?', ':x', \"q?\" FROM t WHERE d LIKE '%a' AND e = ?") == (
        "SELECT '?', ':x', \"q?\" FROM t WHERE d LIKE '%%a' AND e = %s"
    )
    assert to_psycopg("SELECT x::text, 5 % 2, 'it''s ?' -- what? 100%\nFROM t") == (
        "SELECT x::text, 5 %% 2, 'it''s ?' -- what? 100%%\nFROM t"
    )


def test_every_sqlite_migration_has_its_postgresql_twin() -> None:
    """The same names on both: a database records the same versions whichever backend it is on."""
    assert [name for name, _ in pg_migrations()] == [name for name, _ in sqlite_migrations()]


def test_urls_choose_postgresql_and_paths_sqlite(tmp_path: Path) -> None:
    assert is_database_url("postgresql://u@h/db") and is_database_url("POSTGRES://h/db")
    assert not is_database_url(str(tmp_path / "x.db")) and not is_database_url(tmp_path / "postgresql:")
    assert isinstance(open_database(tmp_path / "x.db"), Database)
    assert without_password("postgresql://u:secret@h:5/db") == "postgresql://u:***@h:5/db"
    assert without_password("postgresql:///db?host=/run&password=pw") == "postgresql:///db?host=/run&password=***"
    assert without_password("postgresql://u@/db?host=/run") == "postgresql://u@/db?host=/run"


def test_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://someone:hunter2@/newsfold?host={tmp_path}&connect_timeout=2"
    with pytest.raises(StoreError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "\n" not in message and "cannot open database" in message
    assert "hunter2" not in message and "newsfold" in message


def test_migrations_are_recorded_and_run_once(postgres_server: PostgresServer) -> None:
    url = postgres_server.empty()
    first = open_database(url)
    names = first.applied_migrations
    assert names == [name for name, _ in sqlite_migrations()]
    first.close()
    again = open_database(url)
    assert again.applied_migrations == names
    with again.read() as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(names)
    again.close()
    postgres_server.drop(url)


def test_readonly_refuses_writes(postgres_server: PostgresServer) -> None:
    url = postgres_server.fresh()
    database = open_database(url, readonly=True)
    with pytest.raises(StoreError, match="read-only"), database.write():
        pass
    with database.read() as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    database.close()
    postgres_server.drop(url)


@pytest.mark.parametrize(
    "value",
    ["2024-02-11T10:30:00Z", "2024-02-11T10:30:00+02:00", "2024-02-11", "2024-02-11T10:30:00", "yesterday", None],
)
def test_julianday_reads_instants_as_sqlite_does(db_pg: tuple[Database, Backend], value: str | None) -> None:
    sqlite_db, pg_db = db_pg
    with sqlite_db.read() as conn:
        expected = conn.execute("SELECT julianday(?)", (value,)).fetchone()[0]
    with pg_db.read() as conn:
        found = conn.execute("SELECT julianday(?::text)", (value,)).fetchone()[0]
    assert found == pytest.approx(expected, abs=1e-6) if expected is not None else found is None


@pytest.fixture(scope="module")
def db_pg(
    postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Backend]]:
    """A SQLite and a PostgreSQL database side by side."""
    sqlite_db = Database(tmp_path_factory.mktemp("jd") / "jd.db")
    url = postgres_server.fresh()
    pg_db = open_database(url)
    yield sqlite_db, pg_db
    sqlite_db.close()
    pg_db.close()
    postgres_server.drop(url)
