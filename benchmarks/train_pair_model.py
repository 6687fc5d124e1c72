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
7-day window when both are dated) of highest lead cosine, of highest tf-idf cosine and (where one of the two leads is
unread) of most name keys shared, and the earlier members of its own group. Each set weighs the same.

Three models, P(same story), P(copy) and P(same story) of the pairs fold.dated_reports = "model" hands it
(dated_reports: two dated texts in one language, both leads read, not a copy by the string evidence; fit on those
pairs only, so that follow-ups at their real gaps and same-day blurbs of other topics are what it learns to refuse), of
one kind: logistic regressions over standardised features (the default,
shipped) or, with --trees, gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier, shipped as their
nodes and evaluated by fold/link/pairs.py with numpy; not shipped: held-out whole folding did not improve, see
docs/folding.md). The trees' hyper-parameters (GRID) are chosen by
3-fold cross-validation inside the training half only (folds by group of documents, a text and its dated twin in
one fold): the hyper-parameters and threshold of highest mean F1 over the sets of the out-of-fold probabilities
(ties: the lower weighted log-loss); the logistic threshold is chosen on the training half's own probabilities.
The report gives both kinds side by side and both halves: fit on one, scored on the other (held-out), and on itself
(tuned).

Run with --trees to ship the trees instead (the report is the same).
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
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import news_sim  # noqa: E402

from newsfold.fold.features.embed import Embedder, UseEmbedder  # noqa: E402
from newsfold.fold.features.features import MIN_SHINGLES, Features, features  # noqa: E402
from newsfold.fold.features.pivoted import compared  # noqa: E402
from newsfold.fold.incremental.folder import FoldSettings  # noqa: E402
from newsfold.fold.link.index import quantise  # noqa: E402
from newsfold.fold.link.link import KEY_SHARED, SHORT_TEXT, lead_dots, term_counts  # noqa: E402
from newsfold.fold.link.pairs import PAIR_FEATURES, pair_features, parse_model  # noqa: E402
from newsfold.fold.link.verify import DAY, tfidf_cosines, time_factor  # noqa: E402
from newsfold.language.pivot import PivotComparer  # noqa: E402
from newsfold.model import Article  # noqa: E402

SHIPPED = ROOT / "src" / "newsfold" / "data" / "pair_model.json"
WINDOW_DAYS = 7.0
NEAREST = 12  # earlier documents per document by lead cosine, and as many by tf-idf cosine
THRESHOLDS = np.round(np.arange(0.05, 0.96, 0.05), 2)
KINDS = ("logistic", "trees")
# the trees' hyper-parameters tried by cross-validation inside the training half (small: the file stays < 300 KB)
# (the l2 penalty is in units of the weighted hessian: a rated pair weighs ~40 pairs of itn-dev, so a leaf of a few
# rated pairs is held back only by a large one); every number of trees of STAGES is scored from one fit
GRID = tuple(
    {"max_depth": depth, "learning_rate": 0.1, "l2_regularization": l2, "min_samples_leaf": leaf}
    for depth in (3, 4)
    for l2, leaf in ((1.0, 20), (30.0, 100))
)
STAGES = (50, 100, 150, 200)
INNER_FOLDS = 3
TARGETS = ("same", "copy", "dated")


@dataclass(slots=True)
class Samples:
    """Labelled pairs: features, same-story and copy labels (copy -1: unknown), half, source set, and the group of
    documents of the later one (the cross-validation folds inside a half keep a group together)."""

    rows: NDArray[np.float64]
    same: NDArray[np.int64]
    copy: NDArray[np.int64]
    half: NDArray[np.int64]
    source: list[str]
    group: list[str]


class _Builder:
    """Collects labelled pairs of many sets."""

    def __init__(self, embedder: Embedder, pivot: PivotComparer | None = None) -> None:
        """Nothing collected yet; pivot: languages the encoder does not read compared through translation, as the
        folder compares them (None: as they are)."""
        self.embedder = embedder
        self.pivot = pivot
        self.rows: list[NDArray[np.float64]] = []
        self.same: list[int] = []
        self.copy: list[int] = []
        self.half: list[int] = []
        self.source: list[str] = []
        self.group: list[str] = []

    def prepared(self, articles: Sequence[Article]) -> tuple[list[Features], NDArray[np.int8], NDArray[np.int32]]:
        """Features, int8 lead vectors and the set's document frequencies, as folding computes them."""
        now = datetime.now(UTC)
        items = compared([features(a, now) for a in articles], self.pivot)
        vectors = quantise(self.embedder.encode([f.lead for f in items]))
        return items, vectors, term_counts(items)

    def add(  # noqa: PLR0913  one labelled set's pairs and the arrays they index
        self,
        source: str,
        items: Sequence[Features],
        vectors: NDArray[np.int8],
        df: NDArray[np.int32],
        pairs: Sequence[tuple[int, int, int, int, int]],
        groups: Sequence[str],
    ) -> None:
        """Add pairs (i, j, same, copy, half) of one set (i later than j); groups: each document's group."""
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
                self.group.append(f"{source.removesuffix('-dated')}/{groups[i]}")  # a text and its dated twin together

    def grouped(  # noqa: PLR0913  one labelled set's pairs and the arrays they index
        self,
        source: str,
        articles: Sequence[Article],
        labels: Sequence[str],
        halves: Sequence[int],
        copies: bool,
        keys: Sequence[str] | None = None,
    ) -> None:
        """A set of groups: candidate pairs as folding would verify them; copies: whether a group's members are
        copies of one another (else reports of one event); keys: what each document's half was drawn from (its
        label unless given)."""
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
                own = set(items[i].name_keys)
                named = np.array([len(own.intersection(items[j].name_keys)) for j in earlier.tolist()])
                orders = [np.argsort(-sims[i, earlier], kind="stable"), np.argsort(-tfidf, kind="stable")]
                # folding's name-key neighbours (link.key_neighbours): pairs of which one lead is unread
                named[np.any(vectors[earlier], axis=1) & bool(np.any(vectors[i]))] = 0
                orders.append(np.argsort(-named, kind="stable")[: int((named >= KEY_SHARED).sum())])
                for order in orders:
                    pairs.update((i, int(j)) for j in earlier[order[:NEAREST]])
            pairs.update((i, j) for j in members[labels[i]][-30:])
            members[labels[i]].append(i)
        labelled = []
        for i, j in sorted(pairs):
            if halves[i] != halves[j]:
                continue
            same = int(labels[i] == labels[j])
            labelled.append((i, j, same, same if copies else 0, halves[i]))
        self.add(source, items, vectors, df, labelled, keys or labels)

    def rated(self, source: str, data: news_sim.PairSet) -> None:
        """The rated pairs of pairs.jsonl: same story or not, never labelled copies."""
        items, vectors, df = self.prepared(data.articles)
        labelled = [(max(i, j), min(i, j), int(same), 0, data.halves[i]) for i, j, same, _ in data.pairs]
        parent = list(range(len(items)))

        def find(x: int) -> int:
            """The representative of document x among those joined by a rated pair."""
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for i, j, _, _ in data.pairs:
            parent[find(i)] = find(j)
        self.add(source, items, vectors, df, labelled, [str(find(i)) for i in range(len(items))])

    def samples(self) -> Samples:
        """Everything collected."""
        return Samples(
            np.vstack(self.rows),
            np.asarray(self.same, dtype=np.int64),
            np.asarray(self.copy, dtype=np.int64),
            np.asarray(self.half, dtype=np.int64),
            self.source,
            self.group,
        )


def collect(embedder: Embedder | None = None, pivot: PivotComparer | None = None) -> Samples:
    """The labelled pairs of every development set (the data must be present); pivot as the folder's."""
    from benchmarks.fold import itn_set, wikinews_copies_set  # noqa: PLC0415  benchmarks/fold.py imports this script (its tables by halves)

    builder = _Builder(embedder or UseEmbedder(), pivot)
    for dated in (False, True):
        builder.rated(f"pairs{'-dated' if dated else ''}", news_sim.pairs_set(dated))
        trans = news_sim.translations_set(dated)
        builder.grouped(f"translations{'-dated' if dated else ''}", trans.articles, trans.labels, trans.halves, True)
    wiki = wikinews_copies_set()
    builder.grouped("wikinews-copies", wiki.articles, wiki.labels, [news_sim.half_of(x) for x in wiki.labels], True)
    itn = itn_set()
    itn_halves = [news_sim.half_of(x.split("/")[0]) for x in itn.labels]
    topics = [x.split("/")[0] for x in itn.labels]
    builder.grouped("itn-dev", itn.articles, itn.labels, itn_halves, False, topics)
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


def dated_reports(rows: NDArray[np.float64]) -> NDArray[np.bool_]:
    """The pairs the dated model decides under fold.dated_reports = "model" (link.verify): both dated, one
    language, both leads read, enough words, and not a copy by the string evidence (which folding tests first)."""
    column = {name: rows[:, i] for i, name in enumerate(PAIR_FEATURES)}
    settings = FoldSettings()
    short = column["min_words"] < math.log1p(SHORT_TEXT)
    bar = np.where(short, settings.copy_cosine - 0.2, settings.copy_cosine)
    string_copy = (column["tfidf_cosine"] >= bar) | (column["containment"] >= settings.copy_containment)
    out: NDArray[np.bool_] = (
        (column["date_known"] == 1)
        & (column["cross_language"] == 0)
        & (column["leads_read"] == 1)
        & (column["min_words"] >= math.log1p(MIN_SHINGLES))
        & ~string_copy
    )
    return out


def _labels(samples: Samples, target: str) -> NDArray[np.int64]:
    """A target's labels ("same", "copy" or "dated": same story among dated_reports' pairs), -1 where unknown."""
    if target == "copy":
        return samples.copy
    if target == "same":
        return samples.same
    return np.where(dated_reports(samples.rows), samples.same, -1)


def _labelled(
    samples: Samples, target: str, mask: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64], NDArray[np.str_], NDArray[np.str_]]:
    """The masked samples with a known label of a target: rows, labels, weights, source sets, groups."""
    y_all = _labels(samples, target)
    mask = mask & (y_all >= 0)
    weights = _weights(samples.source, mask)[mask]
    return samples.rows[mask], y_all[mask], weights, np.asarray(samples.source)[mask], np.asarray(samples.group)[mask]


def _threshold(y: NDArray[np.int64], p: NDArray[np.float64], sources: NDArray[np.str_]) -> float:
    """The threshold of highest mean F1 over the sets."""
    return float(max(THRESHOLDS.tolist(), key=lambda t: _mean_f1(y, p, sources, t)))


def fit_logistic(samples: Samples, target: str, mask: NDArray[np.bool_]) -> dict[str, object]:
    """One logistic model (a target of TARGETS) fit on the masked samples with a known label."""

    x, y, weights, sources, _ = _labelled(samples, target, mask)
    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    model = LogisticRegression(C=1.0, max_iter=5000).fit(z, y, sample_weight=weights)
    p = model.predict_proba(z)[:, 1]
    return {
        "kind": "logistic",
        "mean": scaler.mean_.tolist(),
        "scale": scale.tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "threshold": _threshold(y, p, sources),
    }


def boosted(params: dict[str, float]) -> Any:
    """An unfitted HistGradientBoostingClassifier of these hyper-parameters (no early stopping: deterministic)."""

    return HistGradientBoostingClassifier(early_stopping=False, random_state=0, **params)  # type: ignore[arg-type]


def dump_trees(model: Any, threshold: float) -> dict[str, object]:
    """A fitted binary HistGradientBoostingClassifier as a pair-model file's "trees" model: the baseline (raw
    prediction before any tree) and per tree its nodes' feature, threshold, missing_left (a string of 0 and 1: where
    a NaN goes), left and right child (-1 for a leaf) and value (a leaf's, added to the raw prediction)."""
    baseline = np.asarray(model._baseline_prediction).ravel()
    assert baseline.size == 1, "a binary model has one raw prediction"
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        assert not np.any(nodes["is_categorical"]), "no categorical splits"
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            {
                "feature": np.where(leaf, 0, nodes["feature_idx"].astype(np.int64)).tolist(),
                "threshold": [
                    0.0 if f else float(f"{t:.7g}") for f, t in zip(leaf, nodes["num_threshold"], strict=True)
                ],
                "missing_left": "".join("1" if m else "0" for m in nodes["missing_go_to_left"]),
                "left": np.where(leaf, -1, nodes["left"].astype(np.int64)).tolist(),
                "right": np.where(leaf, -1, nodes["right"].astype(np.int64)).tolist(),
                "value": [float(f"{v:.6g}") if f else 0.0 for f, v in zip(leaf, nodes["value"], strict=True)],
            }
        )
    return {"kind": "trees", "baseline": float(baseline[0]), "trees": trees, "threshold": float(threshold)}


def _log_loss(y: NDArray[np.int64], p: NDArray[np.float64], weights: NDArray[np.float64]) -> float:
    """Weighted log-loss."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.sum(weights * (y * np.log(p) + (1 - y) * np.log(1 - p))) / np.sum(weights))


def _out_of_fold(
    params: dict[str, float],
    x: NDArray[np.float64],
    y: NDArray[np.int64],
    weights: NDArray[np.float64],
    groups: NDArray[np.str_],
) -> dict[int, NDArray[np.float64]]:
    """Out-of-fold probabilities of INNER_FOLDS folds by group, for every number of trees of STAGES."""

    out = {stage: np.zeros(len(y), dtype=np.float64) for stage in STAGES}
    for fit_at, score_at in GroupKFold(n_splits=INNER_FOLDS).split(x, y, groups):
        model = boosted({**params, "max_iter": max(STAGES)})
        model.fit(x[fit_at], y[fit_at], sample_weight=weights[fit_at])
        for stage, p in enumerate(model.staged_predict_proba(x[score_at]), start=1):
            if stage in out:
                out[stage][score_at] = p[:, 1]
    return out


def fit_trees(samples: Samples, target: str, mask: NDArray[np.bool_]) -> dict[str, object]:
    """One gradient-boosted model (a target of TARGETS) fit on the masked samples with a known label: its
    hyper-parameters and threshold chosen by cross-validation inside them."""
    x, y, weights, sources, groups = _labelled(samples, target, mask)
    assert not np.any(np.isnan(x)), "pair features are never missing"
    scored = []
    for grid in GRID:
        for stage, p in _out_of_fold(grid, x, y, weights, groups).items():
            threshold = _threshold(y, p, sources)
            score = _mean_f1(y, p, sources, threshold)
            scored.append((score, -_log_loss(y, p, weights), threshold, {**grid, "max_iter": stage}))
    score, loss, threshold, params = max(scored, key=lambda s: s[:2])
    model = boosted(params)
    model.fit(x, y, sample_weight=weights)
    spec = dump_trees(model, threshold)
    chosen = ", ".join(f"{k} {v}" for k, v in params.items())
    print(
        f"  {target} trees on {len(y)} pairs: {chosen}, threshold {threshold} (out-of-fold mean F1 {score:.4f}, "
        f"log-loss {-loss:.4f})",
        file=sys.stderr,
    )
    return {**spec, "params": params, "cv_mean_f1": score}


def train(samples: Samples, half: int | None, kind: str = "logistic") -> dict[str, object]:
    """The models of TARGETS of one kind ("trees" or "logistic"), fit on one half (None: on all), as a pair-model
    file's contents."""
    mask = np.ones(len(samples.same), dtype=bool) if half is None else samples.half == half
    fit = fit_trees if kind == "trees" else fit_logistic
    return {
        "features": list(PAIR_FEATURES),
        **{target: fit(samples, target, mask) for target in TARGETS},
        "trained_on": "all" if half is None else f"half {half}",
        "made_by": "benchmarks/train_pair_model.py" + (" --trees" if kind == "trees" else ""),
        "pairs": int(mask.sum()),
    }


def _probability(spec: dict[str, object], rows: NDArray[np.float64]) -> NDArray[np.float64]:
    """A model's probabilities, as fold/link/pairs.py computes them (from the rounded file)."""
    return parse_model(rounded(spec), len(PAIR_FEATURES), "trained").probability(rows)


def _counts(samples: Samples, spec: dict[str, object], target: str, name: str, half: int) -> tuple[int, int, int, int]:
    """tp, fp, fn and pairs of a model on one set's half."""
    labels = _labels(samples, target)
    mask = (np.asarray(samples.source) == name) & (samples.half == half) & (labels >= 0)
    predicted = _probability(spec, samples.rows[mask]) >= float(spec["threshold"])  # type: ignore[arg-type]
    y = labels[mask]
    tp = int(np.sum(predicted & (y == 1)))
    fp = int(np.sum(predicted & (y == 0)))
    fn = int(np.sum(~predicted & (y == 1)))
    return tp, fp, fn, int(mask.sum())


def report(samples: Samples, models: dict[str, dict[int, dict[str, object]]]) -> None:
    """Pair P/R/F1 per set of every kind of model, held-out (fit on the other half) and tuned (fit on the same half),
    the two halves' counts pooled."""
    kinds = [k for k in KINDS if k in models]
    head = " | ".join(f"{k} {m} P | R | F1" for m in ("held-out", "tuned") for k in kinds)
    print(f"| model | set | pairs | {head} |")
    print("|---|---|---:|" + "---:|" * (6 * len(kinds)))
    for target in TARGETS:
        for name in sorted(set(samples.source)):
            cells: list[str] = []
            count = 0
            for mode in ("held-out", "tuned"):
                for kind in kinds:
                    tp = fp = fn = 0
                    for half in (0, 1):
                        spec = models[kind][1 - half if mode == "held-out" else half][target]
                        assert isinstance(spec, dict)
                        a, b, c, n = _counts(samples, spec, target, name, half)
                        tp, fp, fn = tp + a, fp + b, fn + c
                        count += n if mode == "tuned" and kind == kinds[0] else 0
                    p = tp / (tp + fp) if tp + fp else 1.0
                    r = tp / (tp + fn) if tp + fn else 1.0
                    f = 2 * p * r / (p + r) if p + r else 0.0
                    cells += [f"{p:.3f}", f"{r:.3f}", f"**{f:.3f}**" if mode == "held-out" else f"{f:.3f}"]
            if count:
                print(f"| {target} | {name} | {count} | {' | '.join(cells)} |")


def keep(samples: Samples, path: str) -> None:
    """Write the labelled pairs to an .npz (for trying models without embedding the sets again)."""
    np.savez_compressed(
        path,
        rows=samples.rows,
        same=samples.same,
        copy=samples.copy,
        half=samples.half,
        source=np.asarray(samples.source),
        group=np.asarray(samples.group),
    )


def cached(path: str) -> Samples:
    """The labelled pairs of an .npz that keep() wrote."""
    with np.load(path) as data:
        return Samples(
            data["rows"],
            data["same"],
            data["copy"],
            data["half"],
            data["source"].tolist(),
            data["group"].tolist(),
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Collect the labelled pairs, report both halves, write the model fit on all of them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(SHIPPED), help="where the model fit on all pairs is written")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    parser.add_argument("--trees", action="store_true", help="ship the gradient-boosted trees (default: logistic)")
    parser.add_argument("--only", choices=KINDS, help="fit and report only this kind")
    parser.add_argument("--samples", default="", help="an .npz of the labelled pairs: read if present, else written")
    args = parser.parse_args(argv)
    if not news_sim.DATA.exists():
        print(f"development data {news_sim.DATA} is absent: the labelled sets need it", file=sys.stderr)
        return 2
    samples = cached(args.samples) if args.samples and Path(args.samples).exists() else collect()
    if args.samples and not Path(args.samples).exists():
        keep(samples, args.samples)
    print(f"{len(samples.same)} labelled pairs", file=sys.stderr)
    kinds = [args.only] if args.only else list(KINDS)
    models = {kind: {half: train(samples, half, kind) for half in (0, 1)} for kind in kinds}
    report(samples, models)
    kind = "trees" if args.trees else "logistic"
    shipped = train(samples, None, kind)
    for target in TARGETS:
        spec = shipped[target]
        assert isinstance(spec, dict)
        if kind == "logistic":
            coef = spec["coef"]
            assert isinstance(coef, list)
            weights = ", ".join(f"{n} {c:+.2f}" for n, c in zip(PAIR_FEATURES, coef, strict=True))
            print(f"\n{target}: threshold {spec['threshold']}, weights (standardised) {weights}")
        else:
            trees = spec["trees"]
            assert isinstance(trees, list)
            nodes = sum(len(t["feature"]) for t in trees)
            print(f"\n{target}: threshold {spec['threshold']}, {len(trees)} trees, {nodes} nodes, {spec['params']}")
    if not args.check:
        Path(args.out).write_text(dumped(shipped), encoding="utf-8")
        print(f"\nwrote {args.out} ({Path(args.out).stat().st_size / 1000:.0f} KB)")
    return 0


def dumped(model: dict[str, object]) -> str:
    """A pair-model file's text: a logistic model indented, trees one line per tree (small and still readable)."""
    spec = rounded(model)
    assert isinstance(spec, dict)
    if all(not isinstance(spec.get(t), dict) or spec[t].get("kind") != "trees" for t in TARGETS):
        return json.dumps(spec, indent=1) + "\n"
    lines = ["{"]
    for n, (key, value) in enumerate(spec.items()):
        comma = "," if n < len(spec) - 1 else ""
        if isinstance(value, dict) and value.get("kind") == "trees":
            inner = [f" {json.dumps(key)}: {{"]
            rest = {k: v for k, v in value.items() if k != "trees"}
            inner += [f"  {json.dumps(k)}: {json.dumps(v)}," for k, v in rest.items()]
            trees = value["trees"]
            inner.append('  "trees": [')
            inner += [
                f"   {json.dumps(t, separators=(',', ':'))}{',' if i < len(trees) - 1 else ''}"
                for i, t in enumerate(trees)
            ]
            inner.append("  ]")
            lines += [*inner, f" }}{comma}"]
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
    return "\n".join([*lines, "}"]) + "\n"


def rounded(value: object) -> object:
    """Floats rounded to 6 significant digits (a small, readable file; evaluation differs below 1e-5); the trees'
    values are rounded where they are dumped (thresholds to 7 digits)."""
    if isinstance(value, float):
        return float(f"{value:.6g}") if math.isfinite(value) else value
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "trees" else rounded(v) for k, v in value.items()}
    return value


if __name__ == "__main__":
    raise SystemExit(main())
