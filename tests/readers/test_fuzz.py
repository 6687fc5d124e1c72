"""The fuzzing gate in the suite: every kept crash replayed, and a short derandomized run over every reader."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "fuzz"


def _fuzz() -> ModuleType:
    """benchmarks/fuzz.py as a module (benchmarks is not a package)."""
    spec = importlib.util.spec_from_file_location("newsfold_fuzz", ROOT / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


FUZZ = _fuzz()
READERS = FUZZ._readers()


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.bin")), ids=lambda p: p.name)
def test_kept_crash_is_fixed(path: Path) -> None:
    """An input that once crashed its reader now gives a result or a one-line InputError."""
    reader = path.name.split("-", 1)[0]
    assert FUZZ.check(READERS[reader], path.read_bytes()) in (None, "documented")


def test_every_reader_has_seeds() -> None:
    """The seed corpus covers every reader the gate fuzzes."""
    assert set(FUZZ.seeds()) == set(READERS)


@pytest.mark.parametrize("reader", sorted(READERS))
def test_short_fuzz_run(reader: str) -> None:
    """A few dozen derandomized mangled inputs per reader: no crash, no hang."""
    tally = FUZZ.fuzz_reader(reader, 40, keep=False)
    assert tally.inputs >= 40
    assert tally.crashes == 0 and tally.hangs == 0, tally.found
