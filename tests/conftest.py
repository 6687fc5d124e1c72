"""Shared fixtures: paths to the seeds and development data, a fresh database, the CLI runner.

The database fixtures (`db`, `db_location`) run on the backend `NEWSFOLD_TEST_BACKEND` names (sqlite, the default,
or postgresql); tests marked `both_backends` run once on each. PostgreSQL is a server the session starts itself
from Debian's binaries (tests/postgres_server.py); without them those tests skip, saying why.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsfold.store.backends import open_database
from newsfold.store.base import Backend
from tests.postgres_server import PostgresServer, binaries

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "src" / "newsfold" / "data" / "sample"
SEED_ARTICLE = SEEDS / "000_a386f219438e4dd0.txt"
SEED_LIMITED = SEEDS / "001_1f90a23ee896b0e8.txt"
DATA = ROOT.parent / "shared" / "data"


def data_dir(name: str) -> Path:
    """A folder of ../shared/data, or skip the test with the reason."""
    path = DATA / name
    if not path.exists():
        pytest.skip(f"development data {path} is absent")
    return path


BACKENDS = ("sqlite", "postgresql")


def default_backend() -> str:
    """The backend the database fixtures use: $NEWSFOLD_TEST_BACKEND, else sqlite."""
    name = os.environ.get("NEWSFOLD_TEST_BACKEND", "sqlite")
    if name not in BACKENDS:
        raise pytest.UsageError(f"NEWSFOLD_TEST_BACKEND={name}: not one of {', '.join(BACKENDS)}")
    return name


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run tests asking for a backend on both when marked both_backends, else on the default one."""
    if "backend" in metafunc.fixturenames:
        both = metafunc.definition.get_closest_marker("both_backends") is not None
        metafunc.parametrize("backend", BACKENDS if both else (default_backend(),), indirect=True, scope="session")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server, started on first use (skips when PostgreSQL or psycopg is absent)."""
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql")
    if importlib.util.find_spec("psycopg") is None:
        pytest.skip("psycopg is not installed: pip install 'newsfold[postgres]'")
    server = PostgresServer(bin_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """The backend this test runs on (sqlite or postgresql); session-wide, so fixtures of any scope can use it."""
    name = str(request.param)
    if name == "postgresql":
        request.getfixturevalue("postgres_server")
    return name


def new_location(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    """Where a fresh, empty database is: a file in folder, or a new database on the session's server (dropped at
    the end of the requesting fixture's scope)."""
    if backend == "sqlite":
        return str(folder / "test.db")
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = server.fresh()
    request.addfinalizer(lambda: server.drop(url))
    return url


@pytest.fixture
def db_location(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> str:
    """A fresh database's location on this test's backend (a SQLite path or a postgresql:// URL): for `--db`."""
    return new_location(request, backend, tmp_path)


@pytest.fixture
def db(db_location: str) -> Iterator[Backend]:
    """A fresh database on this test's backend."""
    database = open_database(db_location)
    yield database
    database.close()


@pytest.fixture
def runner() -> CliRunner:
    """A click runner for in-process CLI calls."""
    return CliRunner()


@pytest.fixture(scope="module")
def _module_server() -> Iterator[HTTPServer]:
    """One local HTTP server per test module (threaded, so slow handlers do not block others)."""
    httpd = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpd.start()
    yield httpd
    if httpd.is_running():
        httpd.stop()


@pytest.fixture
def server(_module_server: HTTPServer) -> Iterator[HTTPServer]:
    """The module's local server, with no handlers and an empty log."""
    _module_server.clear()
    _module_server.no_handler_status_code = 404  # an unhandled /robots.txt reads as "no rules", as on most sites
    yield _module_server
    _module_server.clear()
