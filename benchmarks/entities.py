"""Entity recognition quality on hand-labelled extraction-dev pages: newsfold's recognisers vs a naive baseline.

Run: PYTHONPATH=src python benchmarks/entities.py
Prints, for the twelve pages the rules were developed on and for four held-out pages, precision, recall and F1,
untyped (the name is right) and typed (name and kind right), for the naive capitalised-spans baseline, the
model-free rules (the default) and spaCy where a pipeline is installed."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsfold.enrich.evaluate import (  # noqa: E402
    LabelledPage,
    Tally,
    baseline_entities,
    labelled_pages,
    page_entities,
    score_entities,
)
from newsfold.enrich.gazetteer import Gazetteer  # noqa: E402
from newsfold.enrich.recognize import (  # noqa: E402
    Recognizer,
    RuleRecognizer,
    load_spacy,
)

DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
LABELS = ROOT / "tests" / "fixtures" / "entities_labels.json"


Row = tuple[str, Tally, Tally | None, float]


def measure(pages: list[LabelledPage], recognizers: list[tuple[str, Recognizer]], gazetteer: Gazetteer) -> list[Row]:
    """The baseline's and each recogniser's tallies on pages."""
    start = time.perf_counter()
    untyped = Tally()
    for page in pages:
        score_entities(baseline_entities(page.article), page.gold, untyped, typed=False)
    rows: list[Row] = [("baseline: capitalised spans", untyped, None, time.perf_counter() - start)]
    for label, recognizer in recognizers:
        start = time.perf_counter()
        untyped, typed = Tally(), Tally()
        for page in pages:
            found = page_entities(recognizer, page.article, gazetteer)
            score_entities(found, page.gold, untyped, typed=False)
            score_entities(found, page.gold, typed, typed=True)
        rows.append((label, untyped, typed, time.perf_counter() - start))
    return rows


def print_rows(title: str, pages: list[LabelledPage], rows: list[Row]) -> None:
    """One table."""
    gold = sum(len(p.gold) for p in pages)
    print(f"entities, {title}: {len(pages)} labelled pages, {gold} labelled entities (people, organisations, places)")
    print(
        f"{'recogniser':<32} {'P':>6} {'R':>6} {'F1':>6}   {'typed P':>7} {'typed R':>7} {'typed F1':>8} {'seconds':>8}"
    )
    for label, plain, kinds, seconds in rows:
        typed_cells = (
            f"{kinds.precision:>7.3f} {kinds.recall:>7.3f} {kinds.f1:>8.3f}" if kinds else f"{'-':>7} {'-':>7} {'-':>8}"
        )
        print(
            f"{label:<32} {plain.precision:>6.3f} {plain.recall:>6.3f} {plain.f1:>6.3f}   {typed_cells} {seconds:>8.2f}"
        )


def main() -> int:
    """Score every recogniser on the labelled pages (development and held-out) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spacy-model", default="en_core_web_sm", help="installed spaCy pipeline to measure")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"development data {DATA} is absent: nothing to measure", file=sys.stderr)
        return 1
    gazetteer = Gazetteer.default()
    recognizers: list[tuple[str, Recognizer]] = [("newsfold rules (default)", RuleRecognizer())]
    spacy = load_spacy(args.spacy_model)
    if spacy is not None:
        recognizers.append((f"newsfold spaCy {args.spacy_model}", spacy))
    for part, title in (("pages", "development (rules tuned here)"), ("held_out", "held out (never tuned on)")):
        pages = labelled_pages(DATA, LABELS, part)
        print_rows(title, pages, measure(pages, recognizers, gazetteer))
    if spacy is None:
        print(f"spaCy: pipeline {args.spacy_model} is not installed here; its rows are measured where it is")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
