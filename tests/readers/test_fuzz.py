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


def test_a_seed_gives_the_same_inputs() -> None:
    """The driver draws every input from its reader's and seed's own random stream: a chunk can be run again."""
    first = FUZZ.fuzz_reader("url", 300, seed=3, keep=False)
    again = FUZZ.fuzz_reader("url", 300, seed=3, keep=False)
    other = FUZZ.fuzz_reader("url", 300, seed=4, keep=False)
    assert (first.documented, first.corpus) == (again.documented, again.corpus)
    assert (first.documented, first.corpus) != (other.documented, other.corpus)


def test_the_summary_counts_a_chunk_run_twice_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Chunks recorded by several runs add up per reader; a chunk (reader and seed) run again replaces itself."""
    record = tmp_path / "record.jsonl"
    chunks = [FUZZ.Tally("url", seed, inputs=100, documented=40, seconds=1.0) for seed in (0, 1, 1)]
    record.write_text("".join(FUZZ.json.dumps(t.__dict__) + "\n" for t in chunks))
    assert FUZZ.summary(record) == 0
    assert "| url | 2 (0-1) | 200 | 80 | 0 | 0 |" in capsys.readouterr().out
