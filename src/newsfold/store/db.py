"""The SQLite database: WAL mode, versioned migrations applied on open, one writer, concurrent readers."""

from __future__ import annotations

import itertools
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Final

from newsfold.errors import StoreError
from newsfold.store.base import Connection, Cursor, Dialect, Params

log = logging.getLogger(__name__)

_MEMORY_COUNTER = itertools.count()


def packaged_migrations(package: str) -> list[tuple[str, str]]:
    """The migrations packaged in package's migrations/ folder as (name, sql), in name order."""
    folder = resources.files(package) / "migrations"
    items = [
        (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".sql")
    ]
    return sorted(items)


def _migrations() -> list[tuple[str, str]]:
    """The packaged SQLite migrations as (name, sql), in name order."""
    return packaged_migrations("newsfold.store")


class SqliteConnection:
    """A sqlite3 connection seen through the store's Connection protocol (dialect 'sqlite')."""

    __slots__ = ("raw",)

    dialect: Final[Dialect] = "sqlite"

    def __init__(self, raw: sqlite3.Connection) -> None:
        """Wrap raw (opened by Database, rows as sqlite3.Row)."""
        self.raw = raw

    def execute(self, sql: str, params: Params = (), /) -> Cursor:
        """Run one statement."""
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, params: Iterable[Params], /) -> Cursor:
        """Run one statement once per parameter set."""
        return self.raw.executemany(sql, params)

    def commit(self) -> None:
        """Commit the open transaction."""
        self.raw.commit()

    def rollback(self) -> None:
        """Roll the open transaction back."""
        self.raw.rollback()


class Database:
    """A SQLite database: migrated on open; writes serialised through one connection; reads per thread."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        """Open (creating if needed) and migrate the database at path; ':memory:' gives a private in-memory one."""
        self.path = str(path)
        self.readonly = readonly
        if self.path == ":memory:":
            self._uri = f"file:newsfold-mem-{id(self)}-{next(_MEMORY_COUNTER)}?mode=memory&cache=shared"
        else:
            target = Path(self.path)
            if not readonly and not target.parent.exists():
                raise StoreError(f"{self.path}: folder {target.parent} does not exist")
            mode = "ro" if readonly else "rwc"
            self._uri = f"file:{target.resolve().as_posix()}?mode={mode}"
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._writer: sqlite3.Connection | None = None
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        if readonly:
            self._keeper = self._connect()
        else:
            self._writer = self._connect()
            self._keeper = self._writer
            try:
                self._writer.execute("PRAGMA journal_mode=WAL")
            except sqlite3.DatabaseError as exc:
                self.close()
                raise StoreError(f"{self.path}: not a newsfold database ({exc})") from exc
            self._migrate()

    def _connect(self) -> sqlite3.Connection:
        """Open one connection with the settings every connection shares."""
        try:
            conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False, isolation_level=None, timeout=30)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open database ({exc})") from exc
        conn.row_factory = sqlite3.Row
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"{self.path}: not a newsfold database ({exc})") from exc
        with self._all_lock:
            self._all.append(conn)
        return conn

    def _migrate(self) -> None:
        """Apply every packaged migration not yet applied, each in its own transaction."""
        assert self._writer is not None
        conn = self._writer
        try:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
            done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a newsfold database ({exc})") from exc
        for name, sql in _migrations():
            if name in done:
                continue
            log.info("applying migration %s", name)
            try:
                conn.execute("BEGIN IMMEDIATE")
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations (name, applied) VALUES (?, datetime('now'))", (name,))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {name} failed ({exc})") from exc

    @property
    def applied_migrations(self) -> list[str]:
        """Names of the migrations this database has had applied."""
        with self.read() as conn:
            return [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]

    dialect: Final[Dialect] = "sqlite"

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction on the one writer connection: committed on success, rolled back on error."""
        if self._writer is None:
            raise StoreError(f"{self.path}: opened read-only")
        with self._write_lock:
            conn = self._writer
            if conn.in_transaction:
                # nested use inside an open write: join the outer transaction
                yield SqliteConnection(conn)
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield SqliteConnection(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading, one per thread; sees the last committed state."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            if self.path != ":memory:":
                conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
        yield SqliteConnection(conn)

    def close(self) -> None:
        """Close every connection this database opened."""
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()
        self._writer = None


def _split_sql(script: str) -> Iterator[str]:
    """Split a migration script into complete statements (triggers included)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            if statement:
                yield statement
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
