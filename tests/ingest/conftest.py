"""Fixtures for the ingest tests: a threaded HTTP server bound to 127.0.0.1 and a fetcher allowed to reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from newsfold.ingest.fetch import Fetcher, FetchSettings

LOCAL = ("127.0.0.1/32",)


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


def make_fetcher(**overrides: object) -> Fetcher:
    """A fetcher allowed to reach 127.0.0.1, with politeness off and fast retries unless overridden."""
    values: dict[str, object] = {
        "allowed_networks": LOCAL,
        "host_delay": 0.0,
        "backoff": 0.01,
        "timeout": 5.0,
        "obey_robots": True,
    }
    values.update(overrides)
    return Fetcher(FetchSettings(**values))  # type: ignore[arg-type]


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    """A fetcher for the local server."""
    with make_fetcher() as f:
        yield f
