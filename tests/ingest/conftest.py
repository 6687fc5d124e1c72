"""Fixtures for the ingest tests: a fetcher allowed to reach the local test server (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from newsfold.ingest.fetch import Fetcher, FetchSettings

LOCAL = ("127.0.0.1/32",)


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
