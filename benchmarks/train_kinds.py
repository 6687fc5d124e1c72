"""Train the document-kind model (article or not) on the labelled kind set and write src/newsfold/data/kinds.json.

    python benchmarks/train_kinds.py [--data DIR] [--check]

The kind set is built at run time from ../shared/data/extraction-dev (newsfold.extract.kindset: the pages, short
article variants, listing / home / tag / live-blog index / error pages, the seeds' press release), split into two
parts by publisher. Gradient-boosted trees (scikit-learn, balanced classes) are fitted on each
part and scored on the other (both reported), then on everything for the shipped weights. --check only reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.ensemble import GradientBoostingClassifier

from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import load_dev_pages, score
from newsfold.extract.kindmodel import FEATURES, KindModel
from newsfold.extract.kindset import KindPage, build_kind_set
from newsfold.extract.trees import gradient_boosting_weights
from newsfold.model import Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
OUTPUT = ROOT / "src" / "newsfold" / "data" / "kinds.json"
KINDS = ("article", "press_release", "other")
TREES, DEPTH, RATE = 150, 3, 0.1
# a page is other only when the model is this sure: hiding an article costs more than showing a listing
THRESHOLD = 0.85
MAX_REPLACED_RECALL = 0.3


@dataclass(slots=True)
class Measured:
    """One labelled page with its evidence and the kind extraction gives it before the model's decision."""

    page: KindPage
    vector: np.ndarray
    before: str


def neutral_model() -> KindModel:
    """A model that calls every page an article (to read evidence without the packaged model's answer)."""
    return KindModel({"features": FEATURES, "init": -40.0, "learning_rate": 0.0, "trees": []})


def measure(pages: Sequence[KindPage]) -> list[Measured]:
    """Every labelled page's evidence (read by the extractor's own HTML path); a non-article page from which
    the replaced article is still extracted (the page holds it elsewhere, in a script's data) is left out."""
    extractor = Extractor(kinds=neutral_model())
    out = []
    for page in pages:
        raw = RawInput(
            Origin(page.name, media_type="text/html"), page.html.encode(), media_type="text/html", url=page.url
        )
        article, found = extractor.read_html(raw)
        if page.replaced and score(article.text, page.replaced).recall > MAX_REPLACED_RECALL:
            continue
        vector = found.vector() if found is not None else np.zeros(len(FEATURES))
        out.append(Measured(page, vector, article.kind))
    return out


def fit(rows: Sequence[Measured]) -> dict[str, Any]:
    """Gradient-boosted trees on the evidence (balanced classes): the weights as the package stores them."""
    x = np.stack([r.vector for r in rows])
    y = np.array([r.page.label == "other" for r in rows], dtype=int)
    weight = np.where(y == 1, len(y) / (2 * y.sum()), len(y) / (2 * (len(y) - y.sum())))
    model = GradientBoostingClassifier(
        n_estimators=TREES, max_depth=DEPTH, learning_rate=RATE, subsample=0.8, random_state=16
    ).fit(x, y, sample_weight=weight)
    return {"features": list(FEATURES), **gradient_boosting_weights(model, x, RATE), "threshold": THRESHOLD}


def predict(weights: dict[str, Any], rows: Sequence[Measured]) -> list[str]:
    """Each page's kind under weights: other where the model says so, else what extraction said."""
    model = KindModel(weights)
    out = []
    for r in rows:
        other = r.before == "other" or model.other_probability_of(r.vector) >= model.threshold
        out.append("other" if other else r.before)
    return out


def confusion(rows: Sequence[Measured], predicted: Sequence[str]) -> str:
    """A confusion table (labels by rows, predictions by columns) and the hidden articles' variants."""
    counts = Counter((r.page.label, p) for r, p in zip(rows, predicted, strict=True))
    lines = ["| label \\ predicted | " + " | ".join(KINDS) + " |", "|---|" + "---|" * len(KINDS)]
    for label in KINDS:
        lines.append(f"| {label} | " + " | ".join(str(counts[label, p]) for p in KINDS) + " |")
    hidden = Counter(
        r.page.variant for r, p in zip(rows, predicted, strict=True) if r.page.label != "other" and p == "other"
    )
    shown = Counter(
        r.page.variant for r, p in zip(rows, predicted, strict=True) if r.page.label == "other" and p != "other"
    )
    lines.append(f"\narticles called other, by variant: {dict(hidden) or 'none'}")
    lines.append(f"non-articles called articles, by variant: {dict(shown) or 'none'}")
    return "\n".join(lines)


def cross_fit(rows: Sequence[Measured]) -> list[tuple[int, list[Measured], list[str]]]:
    """Fit on one part, predict the other: (held-out part, its rows, their predictions) for both parts."""
    out = []
    for held in (0, 1):
        train = [r for r in rows if r.page.part != held]
        test = [r for r in rows if r.page.part == held]
        out.append((held, test, predict(fit(train), test)))
    return out


def main(argv: list[str] | None = None) -> int:
    """Build the set, cross-validate, write the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--check", action="store_true", help="report only; do not write the weights")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"development data {args.data} is absent: nothing to train on", file=sys.stderr)
        return 2
    pages = build_kind_set(list(load_dev_pages(args.data)))
    rows = measure(pages)
    print(f"{len(rows)} labelled pages: {dict(Counter(r.page.label for r in rows))}")
    for held, test, predicted in cross_fit(rows):
        print(f"\nheld-out part {held} ({len(test)} pages, model fitted on the other part):\n")
        print(confusion(test, predicted))
    weights = fit(rows)
    print("\nall pages, the shipped weights (fitted on both parts):\n")
    print(confusion(rows, predict(weights, rows)))
    if not args.check:
        weights["trained_on"] = {"pages": len(rows), "scikit_learn": sklearn.__version__}
        OUTPUT.write_text(json.dumps(weights, separators=(",", ":")) + "\n", "utf-8")
        print(f"\nwrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
