"""Other fits of folding's same-story model beside the shipped recipe, at pair level, held-out by halves.

Run: PYTHONPATH=src python benchmarks/pair_model_variants.py [--samples FILE.npz]

The labelled pairs are benchmarks/train_pair_model.py's (with --samples, read from the file that script or this one
wrote, else collected and written there). Each variant is fit on one half and scored on the other, both ways, the
halves' counts pooled; its threshold is the training half's best mean F1 over the sets, as the shipped recipe's is.
The table gives each set's held-out same-story F1: the shipped recipe (every set weighs the same, L2, C 1, every
feature), sets weighted by a power of their pair counts, an L1 penalty, smaller feature sets, and the text cosine
alone (one threshold for all sets, and each set's own: a decision folding cannot make, since it does not know the set).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import news_sim  # noqa: E402
from benchmarks import train_pair_model as trainer  # noqa: E402

from newsfold.fold.link.pairs import PAIR_FEATURES  # noqa: E402

FEATURES = list(PAIR_FEATURES)
SMALL = {
    "text_cosine and min_words": ["text_cosine", "min_words"],
    "text_cosine, min_words, lead_cosine, key_overlap, shared_keys": [
        "text_cosine",
        "min_words",
        "lead_cosine",
        "key_overlap",
        "shared_keys",
    ],
    "8 features": [
        "text_cosine",
        "min_words",
        "lead_cosine",
        "key_overlap",
        "cross_language",
        "align_share",
        "tfidf_cosine",
        "title_jaccard",
    ],
    "without shingle_jaccard, align_mean, tfidf_long": [
        f for f in FEATURES if f not in ("shingle_jaccard", "align_mean", "tfidf_long")
    ],
}
Counts = dict[str, list[int]]


def _weights(sources: NDArray[np.str_], mask: NDArray[np.bool_], power: float) -> NDArray[np.float64]:
    """Sample weights under mask: each set's pairs weigh count ** (power - 1) (power 0: every set the same)."""
    out = np.zeros(len(sources))
    for name in set(sources[mask].tolist()):
        chosen = mask & (sources == name)
        out[chosen] = float(chosen.sum()) ** (power - 1)
    return out * mask.sum() / out.sum()


def _add(counts: Counts, name: str, y: NDArray[np.int64], predicted: NDArray[np.bool_]) -> None:
    """Add a set's true positives, false positives and false negatives."""
    counts[name][0] += int(np.sum(predicted & (y == 1)))
    counts[name][1] += int(np.sum(predicted & (y == 0)))
    counts[name][2] += int(np.sum(~predicted & (y == 1)))


def fit_variant(
    samples: trainer.Samples, columns: Sequence[str], power: float = 0.0, c: float = 1.0, l1: bool = False
) -> Counts:
    """A logistic model on columns fit on each half and scored on the other: counts per set."""
    sources, y_all = np.asarray(samples.source), samples.same
    idx = [FEATURES.index(name) for name in columns]
    counts: Counts = {name: [0, 0, 0] for name in sorted(set(sources.tolist()))}
    for half in (0, 1):
        train = (samples.half == half) & (y_all >= 0)
        test = (samples.half == 1 - half) & (y_all >= 0)
        x = samples.rows[:, idx]
        z = StandardScaler().fit(x[train]).transform(x)
        model = LogisticRegression(C=c, max_iter=5000, solver="liblinear" if l1 else "lbfgs", l1_ratio=float(l1))
        model.fit(z[train], y_all[train], sample_weight=_weights(sources, train, power)[train])
        p = model.predict_proba(z)[:, 1]
        threshold = trainer._threshold(y_all[train], p[train], sources[train])
        for name in counts:
            chosen = test & (sources == name)
            _add(counts, name, y_all[chosen], p[chosen] >= threshold)
    return counts


def cosine_variant(samples: trainer.Samples, per_set: bool) -> Counts:
    """The text cosine alone, cut at the training half's threshold (one for all sets, or each set's own)."""
    sources, y_all = np.asarray(samples.source), samples.same
    cosine = samples.rows[:, FEATURES.index("text_cosine")]
    counts: Counts = {name: [0, 0, 0] for name in sorted(set(sources.tolist()))}
    for half in (0, 1):
        train = (samples.half == half) & (y_all >= 0)
        test = (samples.half == 1 - half) & (y_all >= 0)
        shared = trainer._threshold(y_all[train], cosine[train], sources[train])
        for name in counts:
            own = train & (sources == name)
            cut = (
                max(np.linspace(0, 1, 101).tolist(), key=lambda t: trainer._f1(y_all[own], cosine[own] >= t))
                if per_set
                else shared
            )
            chosen = test & (sources == name)
            _add(counts, name, y_all[chosen], cosine[chosen] >= cut)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Print the held-out F1 of every variant on every set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default="", help="an .npz of the labelled pairs: read if present, else written")
    args = parser.parse_args(argv)
    if args.samples and Path(args.samples).exists():
        samples = trainer.cached(args.samples)
    elif not news_sim.DATA.exists():
        print(f"development data {news_sim.DATA} is absent: the labelled sets need it", file=sys.stderr)
        return 2
    else:
        samples = trainer.collect()
        if args.samples:
            trainer.keep(samples, args.samples)
    variants: list[tuple[str, Counts]] = [
        ("shipped recipe (every set weighs the same, C 1, every feature)", fit_variant(samples, FEATURES)),
        ("sets weighted by pairs^0.25", fit_variant(samples, FEATURES, power=0.25)),
        ("sets weighted by pairs^0.5", fit_variant(samples, FEATURES, power=0.5)),
        ("L1, C 0.05", fit_variant(samples, FEATURES, c=0.05, l1=True)),
        ("L1, C 0.2", fit_variant(samples, FEATURES, c=0.2, l1=True)),
        *((name, fit_variant(samples, columns)) for name, columns in SMALL.items()),
        ("text_cosine alone, one threshold for all sets", cosine_variant(samples, per_set=False)),
        ("text_cosine alone, each set's own threshold", cosine_variant(samples, per_set=True)),
    ]
    names = list(variants[0][1])
    print("| fit (same-story F1, held-out by halves) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for label, counts in variants:
        cells = [f"{2 * tp / (2 * tp + fp + fn):.3f}" if tp else "0.000" for tp, fp, fn in counts.values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
