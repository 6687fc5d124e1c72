"""Shared fixtures: paths to the seeds and development data, a fresh database, the CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from newsfold.store.db import Database

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


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A fresh database file in a temporary folder."""
    database = Database(tmp_path / "test.db")
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
