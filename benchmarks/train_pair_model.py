"""Train folding's pair model (newsfold/data/pair_model.json) from the labelled development sets, cross-validated.

Run: PYTHONPATH=src python benchmarks/train_pair_model.py            (report both halves, write the shipped model)
     PYTHONPATH=src python benchmarks/train_pair_model.py --check    (report only)

Labelled pairs, each with its set's half (news_sim.halves, itn-dev topics, wikinews-copies articles: a group of
documents is never cut between halves, and pairs across halves are left out):
- news-similarity-dev pairs.jsonl: the rated pairs only (overall <= 1.5 same story, >= 3.0 different; no other
  pair of that file is labelled), undated and on one day: same story yes / no; a copy no (reports by two outlets);
- news-similarity-dev translations.jsonl: an article and its machine translations are copies of one another; texts
  of two groups are neither (undated and on one day);
- wikinews-copies: an article and its made copies are copies; two articles (follow-ups included) are neither;
- itn-dev: blurbs of one topic group report one event (same story, not a copy); of two groups, neither.
For the last three, the pairs are those folding would verify: each document with its earlier documents (within the
7-day window when both are dated) of highest lead cosine and of highest tf-idf cosine, and the earlier members of its
own group. Each set weighs the same.

Two logistic regressions (scikit-learn, standardised features): P(same story) and P(copy); each threshold is the
one of highest mean F1 over the sets on the training half. The report gives both halves: fit on one, scored on the
other (held-out), and on itself (tuned).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import news_sim  # noqa: E402

from newsfold.fold.embed import UseEmbedder  # noqa: E402
from newsfold.fold.features import Features, features  # noqa: E402
from newsfold.fold.index import quantise  # noqa: E402
from newsfold.fold.link import lead_dots, term_counts  # noqa: E402
from newsfold.fold.pairs import PAIR_FEATURES, pair_features  # noqa: E402
from newsfold.fold.verify import DAY, tfidf_cosines, time_factor  # noqa: E402
from newsfold.model import Article  # noqa: E402

SHIPPED = ROOT / "src" / "newsfold" / "data" / "pair_model.json"
WINDOW_DAYS = 7.0
NEAREST = 12  # earlier documents per document by lead cosine, and as many by tf-idf cosine
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)


@dataclass(slots=True)
class Samples:
    """Labelled pairs: features, same-story and copy labels (copy -1: unknown), half, source set."""

    rows: NDArray[np.float64]
    same: NDArray[np.int64]
    copy: NDArray[np.int64]
    half: NDArray[np.int64]
    source: list[str]


class _Builder:
    """Collects labelled pairs of many sets."""

    def __init__(self, embedder: UseEmbedder) -> None:
        """Nothing collected yet."""
        self.embedder = embedder
        self.rows: list[NDArray[np.float64]] = []
        self.same: list[int] = []
        self.copy: list[int] = []
        self.half: list[int] = []
        self.source: list[str] = []

    def prepared(self, articles: Sequence[Article]) -> tuple[list[Features], NDArray[np.int8], NDArray[np.int32]]:
        """Features, int8 lead vectors and the set's document frequencies, as folding computes them."""
        now = datetime.now(UTC)
        items = [features(a, now) for a in articles]
        vectors = quantise(self.embedder.encode([f.lead for f in items]))
        return items, vectors, term_counts(items)

    def add(
        self,
        source: str,
        items: Sequence[Features],
        vectors: NDArray[np.int8],
        df: NDArray[np.int32],
        pairs: Sequence[tuple[int, int, int, int, int]],
    ) -> None:
        """Add pairs (i, j, same, copy, half) of one set (i later than j)."""
        by_doc: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for i, j, same, copy, half in pairs:
            by_doc[i].append((j, same, copy, half))
        for i, own in sorted(by_doc.items()):
            item = items[i]
            others = [items[j] for j, _, _, _ in own]
            tfidf = tfidf_cosines(item.terms, [o.terms for o in others], df, len(items)).tolist()
            leads = lead_dots(vectors[i][None, :], vectors[[j for j, _, _, _ in own]])[0].tolist()
            for (j, same, copy, half), other, t, lead in zip(own, others, tfidf, leads, strict=True):
                exact = item.text_hash is not None and item.text_hash == other.text_hash
                if exact or time_factor(item.at, other.at, WINDOW_DAYS) == 0.0:
                    continue  # folding calls the same text a copy, and verifies nothing beyond the window
                read = bool(np.any(vectors[i])) and bool(np.any(vectors[j]))
                embed = self.embedder.encode
                self.rows.append(pair_features(item, other, lead if read else 0.0, t, WINDOW_DAYS, embed))
                self.same.append(same)
                self.copy.append(copy)
                self.half.append(half)
                self.source.append(source)

    def grouped(
        self, source: str, articles: Sequence[Article], labels: Sequence[str], halves: Sequence[int], copies: bool
    ) -> None:
        """A set of groups: candidate pairs as folding would verify them; copies: whether a group's members are
        copies of one another (else reports of one event)."""
        items, vectors, df = self.prepared(articles)
        n = len(items)
        sims = lead_dots(vectors, vectors)
        pairs: set[tuple[int, int]] = set()
        members: dict[str, list[int]] = defaultdict(list)
        times = np.asarray([f.at for f in items])
        for i in range(n):
            # the earlier documents folding would compare it with: within the window when both are dated
            gap = np.abs(times[:i] - times[i])
            earlier = np.flatnonzero(np.isnan(gap) | (gap <= WINDOW_DAYS * DAY))
            if len(earlier):
                tfidf = tfidf_cosines(items[i].terms, [items[j].terms for j in earlier.tolist()], df, n)
                for order in (np.argsort(-sims[i, earlier], kind="stable"), np.argsort(-tfidf, kind="stable")):
                    pairs.update((i, int(j)) for j in earlier[order[:NEAREST]])
            pairs.update((i, j) for j in members[labels[i]][-30:])
            members[labels[i]].append(i)
        labelled = []
        for i, j in sorted(pairs):
            if halves[i] != halves[j]:
                continue
            same = int(labels[i] == labels[j])
            labelled.append((i, j, same, same if copies else 0, halves[i]))
        self.add(source, items, vectors, df, labelled)

    def rated(self, source: str, data: news_sim.PairSet) -> None:
        """The rated pairs of pairs.jsonl: same story or not, never labelled copies."""
        items, vectors, df = self.prepared(data.articles)
        labelled = [(max(i, j), min(i, j), int(same), 0, data.halves[i]) for i, j, same, _ in data.pairs]
        self.add(source, items, vectors, df, labelled)

    def samples(self) -> Samples:
        """Everything collected."""
        return Samples(
            np.vstack(self.rows),
            np.asarray(self.same, dtype=np.int64),
            np.asarray(self.copy, dtype=np.int64),
            np.asarray(self.half, dtype=np.int64),
            self.source,
        )


def collect(embedder: UseEmbedder | None = None) -> Samples:
    """The labelled pairs of every development set (the data must be present)."""
    from benchmarks.fold import itn_set, wikinews_copies_set

    builder = _Builder(embedder or UseEmbedder())
    for dated in (False, True):
        builder.rated(f"pairs{'-dated' if dated else ''}", news_sim.pairs_set(dated))
        trans = news_sim.translations_set(dated)
        builder.grouped(f"translations{'-dated' if dated else ''}", trans.articles, trans.labels, trans.halves, True)
    wiki = wikinews_copies_set()
    builder.grouped("wikinews-copies", wiki.articles, wiki.labels, [news_sim.half_of(x) for x in wiki.labels], True)
    itn = itn_set()
    itn_halves = [news_sim.half_of(x.split("/")[0]) for x in itn.labels]
    builder.grouped("itn-dev", itn.articles, itn.labels, itn_halves, False)
    return builder.samples()


def _weights(sources: Sequence[str], mask: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Sample weights under mask: every source set weighs the same in all."""
    names = np.asarray(sources)
    out = np.zeros(len(names), dtype=np.float64)
    for name in set(names[mask].tolist()):
        chosen = mask & (names == name)
        out[chosen] = 1.0 / chosen.sum()
    return out * mask.sum() / max(out.sum(), 1e-12)


def _f1(y: NDArray[np.int64], predicted: NDArray[np.bool_]) -> float:
    """F1 of predicted against y."""
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _mean_f1(y: NDArray[np.int64], p: NDArray[np.float64], sources: NDArray[np.str_], threshold: float) -> float:
    """Mean over source sets of F1 at a threshold."""
    values = [_f1(y[sources == s], p[sources == s] >= threshold) for s in sorted(set(sources.tolist()))]
    return float(np.mean(values))


def fit(samples: Samples, target: str, mask: NDArray[np.bool_]) -> dict[str, object]:
    """One logistic model (target "same" or "copy") fit on the masked samples with a known label."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    y_all = samples.same if target == "same" else samples.copy
    mask = mask & (y_all >= 0)
    x, y = samples.rows[mask], y_all[mask]
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    weights = _weights(samples.source, mask)[mask]
    model = LogisticRegression(C=1.0, max_iter=5000).fit(z, y, sample_weight=weights)
    p = model.predict_proba(z)[:, 1]
    sources = np.asarray(samples.source)[mask]
    threshold = max(THRESHOLDS.tolist(), key=lambda t: _mean_f1(y, p, sources, t))
    return {
        "mean": scaler.mean_.tolist(),
        "scale": scale.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "threshold": float(threshold),
    }


def train(samples: Samples, half: int | None) -> dict[str, object]:
    """Both models, fit on one half (None: on all), as a pair-model file's contents."""
    mask = np.ones(len(samples.same), dtype=bool) if half is None else samples.half == half
    return {
        "features": list(PAIR_FEATURES),
        "same": fit(samples, "same", mask),
        "copy": fit(samples, "copy", mask),
        "trained_on": "all" if half is None else f"half {half}",
        "made_by": "benchmarks/train_pair_model.py",
        "pairs": int(mask.sum()),
    }


def _probability(spec: dict[str, object], rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """A model's probabilities, as fold/pairs.py computes them."""
    z = ((rows - np.asarray(spec["mean"])) / np.asarray(spec["scale"])) @ np.asarray(spec["coef"])
    return 1.0 / (1.0 + np.exp(-np.clip(z + float(spec["intercept"]), -50, 50)))  # type: ignore[arg-type]


def report(samples: Samples, models: dict[int, dict[str, object]]) -> None:
    """Pair F1 per set, held-out (fit on the other half) and tuned (fit on the same half)."""
    sources = np.asarray(samples.source)
    print("| model | set | pairs | held-out P | R | F1 | tuned P | R | F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for target in ("same", "copy"):
        labels = samples.same if target == "same" else samples.copy
        for name in sorted(set(samples.source)):
            cells: list[str] = []
            count = 0
            for mode in ("held-out", "tuned"):
                tp = fp = fn = 0
                for half in (0, 1):
                    spec = models[1 - half if mode == "held-out" else half][target]
                    mask = (sources == name) & (samples.half == half) & (labels >= 0)
                    assert isinstance(spec, dict)
                    predicted = _probability(spec, samples.rows[mask]) >= float(spec["threshold"])
                    y = labels[mask]
                    tp += int(np.sum(predicted & (y == 1)))
                    fp += int(np.sum(predicted & (y == 0)))
                    fn += int(np.sum(~predicted & (y == 1)))
                    count += int(mask.sum()) if mode == "tuned" else 0
                p = tp / (tp + fp) if tp + fp else 1.0
                r = tp / (tp + fn) if tp + fn else 1.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                cells += [f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"]
            if count:
                print(f"| {target} | {name} | {count} | {' | '.join(cells)} |")


def main(argv: Sequence[str] | None = None) -> int:
    """Collect the labelled pairs, report both halves, write the model fit on all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SHIPPED), help="where the model fit on all pairs is written")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    if not news_sim.DATA.exists():
        print(f"development data {news_sim.DATA} is absent: the labelled sets need it", file=sys.stderr)
        return 2
    samples = collect()
    models = {half: train(samples, half) for half in (0, 1)}
    report(samples, models)
    shipped = train(samples, None)
    for target in ("same", "copy"):
        spec = shipped[target]
        assert isinstance(spec, dict)
        weights = ", ".join(f"{n} {c:+.2f}" for n, c in zip(PAIR_FEATURES, spec["coef"], strict=True))  # type: ignore[call-overload]
        print(f"\n{target}: threshold {spec['threshold']}, weights (standardised) {weights}")
    if not args.check:
        Path(args.out).write_text(json.dumps(rounded(shipped), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


def rounded(value: object) -> object:
    """Floats rounded to 6 significant digits (a small, readable file; evaluation differs below 1e-5)."""
    if isinstance(value, float):
        return float(f"{value:.6g}") if math.isfinite(value) else value
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    raise SystemExit(main())
