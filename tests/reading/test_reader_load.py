"""benchmarks/reader_load.py at a tiny size on each backend: every endpoint of its mix answered, none with an error."""

from __future__ import annotations

import pytest
from benchmarks.reader_load import build_store, mix, run_load, served

pytestmark = pytest.mark.both_backends


def test_the_load_mix_runs_without_errors(db_location: str) -> None:
    readers = build_store(db_location, articles=120, sources=6, users=3)
    assert len(readers) == 3 and all(r.stories and r.items for r in readers)
    with served(db_location) as base:
        stats = run_load(base, readers, clients=4, seconds=60, requests=240)
    names = [name for name, _, _ in mix()]
    assert set(stats) == set(names), set(names) - set(stats)
    assert {name: s.errors for name, s in stats.items() if s.errors} == {}
    assert sum(len(s.times) for s in stats.values()) == 240
