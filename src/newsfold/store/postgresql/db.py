"""A PostgreSQL database (psycopg 3): migrated on open; writes serialised through one connection; reads per thread.

The same contract as the SQLite Database (store/db.py): `write()` is one transaction on the one writer connection
(nested uses join it), `read()` a per-thread autocommit connection that sees the last committed state. Statements
keep SQLite's placeholders (`?`, `:name`); the connection translates them (postgresql/sql.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

import psycopg
from psycopg.adapt import Dumper
from psycopg.rows import RowMaker
from psycopg.types.numeric import FloatLoader

from newsfold.errors import StoreError
from newsfold.store.base import Connection, Cursor, Dialect, Params
from newsfold.store.db import packaged_migrations
from newsfold.store.postgresql.sql import to_psycopg, without_password

log = logging.getLogger(__name__)

# one migration at a time across processes (pg_advisory_xact_lock's key: "newsfold" in ASCII)
_MIGRATION_LOCK = 0x6E657773666F6C64


class PgRow:
    """One result row, by column index or name (what sqlite3.Row offers)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        """A row of values whose columns index names."""
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str, /) -> Any:
        """A column's value by index or name."""
        if isinstance(key, str):
            try:
                return self._values[self._index[key]]
            except KeyError:
                raise IndexError(f"no such column: {key}") from None
        return self._values[key]

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)

    def __len__(self) -> int:
        """How many columns."""
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        """The values, in column order."""
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        """Rows are equal when their columns and values are."""
        return isinstance(other, PgRow) and self._index == other._index and list(self._values) == list(other._values)

    def __hash__(self) -> int:
        """A hash of the values."""
        return hash(tuple(self._values))

    def __repr__(self) -> str:
        """The row as its column names and values."""
        return f"PgRow({dict(zip(self._index, self._values, strict=False))!r})"


def _row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[PgRow]:
    """Rows addressable by index and name, for the cursor's columns."""
    description = cursor.description or []
    index: dict[str, int] = {}
    for position, column in enumerate(description):
        index.setdefault(column.name, position)

    def make(values: Sequence[Any]) -> PgRow:
        """One row."""
        return PgRow(values, index)

    return make


class _BoolAsInt(Dumper):
    """Python booleans as the 0/1 integers the schema stores them as (SQLite has no boolean type)."""

    oid = psycopg.postgres.types["int4"].oid

    def dump(self, obj: Any) -> bytes:
        """0 or 1."""
        return b"1" if obj else b"0"


class PgConnection:
    """A psycopg connection seen through the store's Connection protocol (dialect 'postgresql')."""

    __slots__ = ("_translated", "raw")

    dialect: Final[Dialect] = "postgresql"

    def __init__(self, raw: psycopg.Connection[PgRow], translated: dict[str, str]) -> None:
        """Wrap raw; translated caches each statement's psycopg spelling."""
        self.raw = raw
        self._translated = translated

    def _sql(self, sql: str) -> str:
        """The statement in psycopg's placeholders."""
        found = self._translated.get(sql)
        if found is None:
            found = to_psycopg(sql)
            if len(self._translated) < 4096:
                self._translated[sql] = found
        return found

    def execute(self, sql: str, params: Params = (), /) -> Cursor:
        """Run one statement."""
        return self.raw.execute(self._sql(sql), params)

    def executemany(self, sql: str, params: Iterable[Params], /) -> Cursor:
        """Run one statement once per parameter set (pipelined); rowcount is the total."""
        cursor = self.raw.cursor()
        cursor.executemany(self._sql(sql), params)
        return cursor

    def commit(self) -> None:
        """Commit the open transaction."""
        self.raw.commit()

    def rollback(self) -> None:
        """Roll the open transaction back."""
        self.raw.rollback()


def _migrations() -> list[tuple[str, str]]:
    """The packaged PostgreSQL migrations as (name, sql), in name order (the SQLite ones' twins, same names)."""
    return packaged_migrations("newsfold.store.postgresql")


class PostgresDatabase:
    """A PostgreSQL database at a URL: migrated on open; one writer connection; a reader per thread."""

    dialect: Final[Dialect] = "postgresql"

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        """Connect to (and migrate, unless readonly) the database at url (postgresql://...)."""
        self.url = url
        self.path = without_password(url)  # the URL itself where it holds no password: tools reopen it
        self.readonly = readonly
        self._translated: dict[str, str] = {}
        self._write_lock = threading.RLock()
        self._depth = 0
        self._local = threading.local()
        self._all: list[psycopg.Connection[PgRow]] = []
        self._all_lock = threading.Lock()
        self._writer: psycopg.Connection[PgRow] | None = None
        if not readonly:
            self._writer = self._connect(autocommit=False)
            self._migrate()

    def _connect(self, *, autocommit: bool) -> psycopg.Connection[PgRow]:
        """Open one connection with the settings every connection shares."""
        try:
            conn = psycopg.connect(self.url, autocommit=autocommit, row_factory=_row_factory)
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({str(exc).strip().splitlines()[0]})") from exc
        conn.adapters.register_loader("numeric", FloatLoader)
        conn.adapters.register_dumper(bool, _BoolAsInt)
        if self.readonly:
            conn.execute("SET default_transaction_read_only = on")
        with self._all_lock:
            self._all.append(conn)
        return conn

    def _migrate(self) -> None:
        """Apply every packaged migration not yet applied, each in its own transaction."""
        assert self._writer is not None
        conn = self._writer
        try:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
            done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
            conn.commit()
        except psycopg.Error as exc:
            conn.rollback()
            raise StoreError(f"{self.path}: not a newsfold database ({exc})") from exc
        for name, script in _migrations():
            if name in done:
                continue
            log.info("applying migration %s", name)
            try:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                applied = conn.execute("SELECT 1 FROM schema_migrations WHERE name = %s", (name,)).fetchone()
                if applied is None:
                    conn.execute(script)  # a packaged file, run whole
                    conn.execute(
                        "INSERT INTO schema_migrations (name, applied) VALUES "
                        "(%s, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'))",
                        (name,),
                    )
                conn.commit()
            except psycopg.Error as exc:
                conn.rollback()
                raise StoreError(f"{self.path}: migration {name} failed ({exc})") from exc

    def data_version(self) -> int:
        """The change counter: it moves on every committed write, from any process."""
        with self.read() as conn:
            return int(conn.execute("SELECT n FROM data_version").fetchone()[0])

    @property
    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has had applied."""
        with self.read() as conn:
            return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction on the one writer connection: committed on success, rolled back on error."""
        if self._writer is None:
            raise StoreError(f"{self.path}: opened read-only")
        with self._write_lock:
            conn = PgConnection(self._writer, self._translated)
            if self._depth:
                # nested use inside an open write: join the outer transaction
                yield conn
                return
            self._depth += 1
            try:
                yield conn
                conn.execute("UPDATE data_version SET n = n + 1")
            except BaseException:
                self._writer.rollback()
                raise
            else:
                self._writer.commit()
            finally:
                self._depth -= 1

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading, one per thread (autocommit: each statement sees the last committed state)."""
        raw = getattr(self._local, "conn", None)
        if raw is None or raw.closed:
            raw = self._connect(autocommit=True)
            self._local.conn = raw
        yield PgConnection(raw, self._translated)

    def close(self) -> None:
        """Close every connection this database opened."""
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._writer = None
