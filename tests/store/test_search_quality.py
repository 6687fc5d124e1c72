"""The search's quality floor on itn-dev, pinned from benchmarks/search.py (a subset of languages, quick)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import data_dir

pytestmark = pytest.mark.both_backends

bench = pytest.importorskip("benchmarks.search")

LANGUAGES = {"zh", "th", "ko", "ne", "ta", "en", "ru", "ar", "fa"}


def test_blurbs_are_found_by_the_words_of_their_own_text(tmp_path: Path) -> None:
    """Every script: a blurb's link texts and 2-character pieces find it; spaced scripts lose nothing."""
    folder = data_dir("itn-dev")
    blurbs = [b for b in bench.load_blurbs(folder / "corpus-dev.json") if b.language in LANGUAGES]
    db, ids = bench.open_measured(blurbs, tmp_path)
    with db.read() as conn:
        rows, _ = bench.measure(blurbs, ids, conn)
    db.close()
    groups = bench.totals(rows, blurbs)
    spaceless, spaced = groups["inside words"].tallies, groups["words"].tallies

    def found(tallies: dict[tuple[str, str], object], key: tuple[str, str]) -> float:
        tally = tallies[key]
        return tally.found / tally.queries  # type: ignore[attr-defined,no-any-return]

    assert found(spaceless, ("after", "link")) >= 0.96  # measured 0.981 on all of itn-dev
    assert found(spaceless, ("after", "piece")) >= 0.99  # measured 1.000
    assert found(spaceless, ("before", "link")) < 0.5  # the old index: 0.357
    assert found(spaced, ("after", "link")) >= found(spaced, ("before", "link"))
    assert found(rows["zh"].tallies, ("after", "link")) >= 0.94  # measured 0.961
