"""A throwaway PostgreSQL server for the tests, started from Debian's binaries (initdb, pg_ctl).

It listens only on a unix socket in its own temporary folder (no TCP at all), runs as the `postgres` user when the
tests run as root, keeps nothing on disk that matters (fsync off), and is stopped at the end of the session. Each
test gets a fresh database cloned from a migrated template, so a test pays for CREATE DATABASE, not the migrations.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import psycopg

from newsfold.store.postgresql.db import PostgresDatabase

BIN_GLOB = "/usr/lib/postgresql/*/bin"


def integrity_errors() -> tuple[type[Exception], ...]:
    """The exceptions a broken constraint raises, on either backend."""
    return (sqlite3.IntegrityError, psycopg.IntegrityError)


TEMPLATE = "newsfold_template"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None when none is installed."""
    found = sorted(
        Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )
    found = [p for p in found if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    return found[-1] if found else None


def copy_database(location: str, folder: Path) -> str:
    """A copy of a test database (a SQLite file, copied into folder; or a database on the test server, cloned)."""
    if not location.startswith("postgresql://"):
        target_path = folder / "copy.db"
        source = sqlite3.connect(location)
        target = sqlite3.connect(target_path)
        source.backup(target)
        source.close()
        target.close()
        return str(target_path)
    name = location.split("@/", 1)[1].split("?", 1)[0]
    copy = f"c{os.getpid()}_{next(_COPIES)}"
    with psycopg.connect(location.replace(f"@/{name}?", "@/postgres?"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {copy} TEMPLATE {name} STRATEGY file_copy")  # type: ignore[arg-type]
    return location.replace(f"@/{name}?", f"@/{copy}?")


_COPIES = itertools.count()


class PostgresServer:
    """One local PostgreSQL server in a temporary folder, reachable on its unix socket only."""

    def __init__(self, bin_dir: Path) -> None:
        """Initialise and start a server with the binaries in bin_dir."""
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="newsfold-pg-"))
        self.data = self.root / "data"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            entry = pwd.getpwnam("postgres")
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._numbers = itertools.count()
        self._template_ready = False
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        """Run one of the server's programs (as the postgres user when root), failing with its output."""
        command = [str(self.bin_dir / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.root)
        if done.returncode != 0:
            log = self.root / "log"
            extra = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()} {extra}")

    def url(self, dbname: str) -> str:
        """The URL of one database on this server."""
        return f"postgresql://postgres@/{dbname}?host={self.root}"

    def _admin(self, statement: str) -> None:
        """Run one statement on the maintenance database."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(statement)  # type: ignore[arg-type]

    def fresh(self) -> str:
        """A new, migrated, empty database's URL."""
        if not self._template_ready:
            self._admin(f"CREATE DATABASE {TEMPLATE}")
            PostgresDatabase(self.url(TEMPLATE)).close()
            self._template_ready = True
        name = f"t{os.getpid()}_{next(self._numbers)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY file_copy")
        return self.url(name)

    def empty(self) -> str:
        """A new database with nothing in it (not even the migrations)."""
        name = f"e{os.getpid()}_{next(self._numbers)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop a database made by fresh() or empty(), closing whatever is still connected to it."""
        name = url.split("@/", 1)[1].split("?", 1)[0]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
