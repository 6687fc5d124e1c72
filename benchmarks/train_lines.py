"""Train the scraped-text line model (article line or not) and write src/newsfold/data/lines.json.

    python benchmarks/train_lines.py [--data DIR] [--check]

Every page of ../shared/data/extraction-dev is turned into a scraped-text dump (newsfold.extract.evaluate.text_dump,
as benchmarks/extract.py does; dumps missing half of the expected words are left out) and read by the text
extractor with the rules alone, which records every line's evidence (newsfold.extract.linemodel). A line is the
article's when its words run, in order, inside the page's expected body (a short line only next to such a long
one). The publishers are split into two parts (newsfold.extract.kindset.part_of); gradient-boosted trees are fitted
on each part and the other part's dumps are extracted with them and scored (token F1, both parts reported, against
the rules alone); then the shipped weights are fitted on everything. --check only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier

from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import DevPage, Score, load_dev_pages, mean_score, score, scored_text, text_dump, tokens
from newsfold.extract.kindset import part_of, publisher
from newsfold.extract.linemodel import FEATURES, LineModel
from newsfold.extract.trees import gradient_boosting_weights
from newsfold.model import Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
OUTPUT = ROOT / "src" / "newsfold" / "data" / "lines.json"
# the seeds (../shared/seeds/README.md), shipped as the package's samples: labelled by what the README says of them
SEEDS = sorted((ROOT / "src" / "newsfold" / "data" / "sample").glob("*.txt"))
TREES, DEPTH, RATE = 200, 4, 0.1
THRESHOLD = 0.5
MIN_DUMP_RECALL = 0.5
# a line of fewer tokens is the article's only when it stands this close to a longer article line
SHORT_LINE = 6
NEAR = 2


@dataclass(slots=True)
class Dump:
    """One development page as scraped text, its expected body and its publisher's part."""

    page: DevPage
    text: str
    expected: str
    part: int


@dataclass(slots=True)
class Lines:
    """One document's line evidence and labels."""

    dump: Dump
    x: np.ndarray
    y: np.ndarray


def dumps(pages: Sequence[DevPage]) -> list[Dump]:
    """The pages as scraped-text dumps (those that hold at least half the expected words)."""
    out = []
    for page in pages:
        text = text_dump(page.html)
        expected = "\n".join(page.body)
        if score(text, expected).recall >= MIN_DUMP_RECALL:
            out.append(Dump(page, text, expected, part_of(publisher(page))))
    return out


def _raw(dump: Dump) -> RawInput:
    """A dump as a plain-text input."""
    return RawInput(Origin(dump.page.name, media_type="text/plain"), dump.text.encode("utf-8"), media_type="text/plain")


def labels(texts: Sequence[str], expected: str) -> np.ndarray:
    """1 for the lines whose tokens run, in order, inside the expected body (short lines only near long ones)."""
    body = " " + " ".join(tokens(expected)) + " "
    found = []
    for text in texts:
        words = tokens(text)
        found.append((bool(words) and f" {' '.join(words)} " in body, len(words)))
    out = np.zeros(len(texts))
    for i, (inside, size) in enumerate(found):
        if not inside:
            continue
        if size >= SHORT_LINE:
            out[i] = 1
            continue
        near = found[max(0, i - NEAR) : i] + found[i + 1 : i + 1 + NEAR]
        out[i] = 1 if any(ok and n >= SHORT_LINE for ok, n in near) else 0
    return out


def measure(extractor: Extractor, pages: Sequence[Dump]) -> list[Lines]:
    """Every document's line evidence (the rules alone decide the layout it is read from) and labels."""
    extractor.text.use_line_model(None)
    out = []
    for dump in pages:
        extractor.text.evidence_log = []
        extractor(_raw(dump))
        for lines, x in extractor.text.evidence_log:
            out.append(Lines(dump, x, labels([line.text for line in lines], dump.expected)))
    extractor.text.evidence_log = None
    return out


def seed_lines(extractor: Extractor) -> list[Lines]:
    """The seeds' documents, each line labelled as the rules read it (their bodies, standfirsts and crossheads
    are exactly what ../shared/seeds/README.md asks for: tests/extract/test_seeds.py)."""
    extractor.text.use_line_model(None)
    out = []
    for path in SEEDS:
        extractor.text.evidence_log = []
        raw = RawInput(Origin(str(path), media_type="text/plain"), path.read_bytes(), media_type="text/plain")
        documents = extractor(raw)
        for (lines, x), document in zip(extractor.text.evidence_log, documents, strict=True):
            kept = {p.text for p in document.paragraphs if p.role != "caption"}
            y = np.array([1.0 if line.text in kept else 0.0 for line in lines])
            out.append(Lines(Dump(DevPage(path.name, None, b"", None, []), "", "", -1), x, y))
    extractor.text.evidence_log = None
    return out


def fit(rows: Sequence[Lines]) -> dict[str, Any]:
    """Gradient-boosted trees on the line evidence: the weights as the package stores them."""
    x = np.concatenate([r.x for r in rows])
    y = np.concatenate([r.y for r in rows])
    model = GradientBoostingClassifier(
        n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, subsample=0.8, random_state=16
    ).fit(x, y)
    return {"features": list(FEATURES), **gradient_boosting_weights(model, x, RATE), "threshold": THRESHOLD}


def page_scores(extractor: Extractor, pages: Sequence[Dump], model: LineModel | None) -> list[Score]:
    """Token scores of the extracted bodies of pages with model (None: the rules alone)."""
    extractor.text.use_line_model(model)
    out = []
    for dump in pages:
        paragraphs = [p for d in extractor(_raw(dump)) if d.kind != "other" for p in d.paragraphs]
        out.append(score(scored_text(paragraphs), dump.expected))
    return out


def line_accuracy(weights: dict[str, Any], rows: Sequence[Lines]) -> float:
    """The share of lines the model labels right."""
    if not rows:
        return 0.0
    model = LineModel(weights)
    right = sum(int(((model.probabilities(r.x) >= model.threshold) == (r.y == 1)).sum()) for r in rows)
    return right / sum(len(r.y) for r in rows)


def _line(label: str, result: Score) -> str:
    return f"{label}: precision {result.precision:.3f} recall {result.recall:.3f} F1 {result.f1:.3f}"


def main(argv: list[str] | None = None) -> int:
    """Build the line set, cross-fit by publisher parts, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--check", action="store_true", help="report only; do not write the weights")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"development data {args.data} is absent: nothing to train on", file=sys.stderr)
        return 2
    pages = dumps(list(load_dev_pages(args.data)))
    extractor = Extractor(lines=LineModel({"features": list(FEATURES), "init": 0.0, "learning_rate": 0.0, "trees": []}))
    rows = measure(extractor, pages)
    seeds = seed_lines(extractor)
    print(f"{len(pages)} dumps, {sum(len(r.y) for r in rows)} lines, {int(sum(r.y.sum() for r in rows))} article lines")
    for held in (0, 1):
        train = [r for r in rows if r.dump.part != held] + seeds
        test = [r for r in rows if r.dump.part == held]
        held_pages = [d for d in pages if d.part == held]
        weights = fit(train)
        rules = mean_score(page_scores(extractor, held_pages, None))
        learned = mean_score(page_scores(extractor, held_pages, LineModel(weights)))
        fitted_on = len({r.dump.page.name for r in train})
        accuracy = line_accuracy(weights, test)
        print(f"\nheld-out part {held} ({len(held_pages)} dumps), model fitted on the other part ({fitted_on} "
              f"documents, the seeds' among them); line accuracy {accuracy:.3f}")  # fmt: skip
        print(_line("  rules alone", rules))
        print(_line("  line model ", learned))
    weights = fit(rows + seeds)
    whole = mean_score(page_scores(extractor, pages, LineModel(weights)))
    print("\n" + _line(f"all {len(pages)} dumps, the shipped weights (fitted on both parts)", whole))
    if not args.check:
        weights["trained_on"] = {"dumps": len(pages), "lines": sum(len(r.y) for r in rows),
                                 "scikit_learn": sklearn.__version__}  # fmt: skip
        OUTPUT.write_text(json.dumps(weights, separators=(",", ":")) + "\n", "utf-8")
        print(f"\nwrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
