"""The learned pair decision: what a candidate pair looks like (PAIR_FEATURES) and three models over it, "same story",
"copy" and "dated" (same story between two dated texts in one language, for fold.dated_reports = "model"), shipped
as a small JSON file (newsfold/data/pair_model.json, written by benchmarks/train_pair_model.py from the labelled
development sets) and evaluated here with numpy: gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier, its trees dumped node by node) or calibrated logistic regressions.

A pair's features are the evidence folding already computes (lead and whole-text cosines, shingle containment and
overlap, shared names and numbers, time) plus the title's words, whether both dates are known (a missing date is
unknown, not far apart), the languages, the names and numbers both name in any script (text.name_keys: what
carries a text whose lead the encoder cannot read), and, for a pair in two languages, the sentence-by-sentence
alignment of the two texts with the multilingual encoder (a translation aligns nearly every sentence, in order; a
report of the same event aligns few).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from newsfold.errors import ConfigError
from newsfold.fold.features.features import Features
from newsfold.fold.link.verify import DAY, containment
from newsfold.learned import Logistic, logistic, weights_file

# the pair's features, in the models' order
PAIR_FEATURES = (
    "lead_cosine",
    "leads_read",
    "tfidf_cosine",
    "containment",
    "shingle_jaccard",
    "name_overlap",
    "shared_names",
    "number_overlap",
    "shared_numbers",
    "title_jaccard",
    "aligned",
    "align_share",
    "align_mean",
    "body_cosine",
    "date_known",
    "time_gap",
    "same_language",
    "cross_language",
    "min_words",
    "size_ratio",
    "lead_cross",
    "lead_undated",
    "tfidf_long",
    "text_cosine",
    "text_undated",
    "key_overlap",
    "shared_keys",
    "keys_unread",
)
ALIGN_COSINE = 0.6  # a sentence aligns with one of the other text's when their cosine reaches this
ALIGN_FLOOR = 0.3  # sentences are aligned only for a pair whose leads are at least this close
ALIGN_TFIDF = 0.5  # in one language, only for a pair whose words agree less than this (more: string evidence)
TEXT_CHARS = 1000  # what text_vector embeds: the lead and the first sentences, up to this many characters
SCALE = 127.0
Embed = Callable[[Sequence[str]], NDArray[np.float32]]


def _is_number(token: str) -> bool:
    """Whether a name-or-number token is a number."""
    return token.replace(".", "").isdigit()


def _split(tokens: frozenset[str]) -> tuple[set[str], set[str]]:
    """Names and numbers of a names() set, apart."""
    numbers = {t for t in tokens if _is_number(t)}
    return set(tokens) - numbers, numbers


def _overlap(a: set[str], b: set[str]) -> tuple[float, float]:
    """Shared items over the smaller set, and log(1 + how many are shared) (0, 0 when either is empty)."""
    if not a or not b:
        return 0.0, 0.0
    shared = len(a & b)
    return shared / min(len(a), len(b)), math.log1p(shared)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity (0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def cross_language(item: Features, other: Features) -> bool:
    """Whether two texts are in two known, different languages."""
    return item.language is not None and other.language is not None and item.language != other.language


def sentence_vectors(item: Features, embed: Embed) -> NDArray[np.int8]:
    """The int8 unit vectors of a text's first sentences (embedded once, then kept with its features)."""
    if item.sentence_vectors is None:
        vectors = embed(list(item.sentences)) if item.sentences else np.zeros((0, 1), dtype=np.float32)
        item.sentence_vectors = np.clip(np.rint(vectors * SCALE), -127, 127).astype(np.int8)
    return item.sentence_vectors


def text_vector(item: Features, embed: Embed) -> NDArray[np.int8]:
    """The int8 unit vector of a text's lead and first sentences embedded as one text (made once, then kept with its
    features): on news-similarity-dev's rated pairs, the cosine of these vectors separates same-story pairs as well as
    the whole texts' (best F1 0.82 against 0.80 for 2,000 characters; the lead alone 0.70, the mean of the sentence
    vectors 0.74)."""
    if item.text_vector is None:
        text = " ".join((item.lead, *item.sentences))[:TEXT_CHARS]
        vector = embed([text])[0]
        item.text_vector = np.clip(np.rint(vector * SCALE), -127, 127).astype(np.int8)
    return item.text_vector


def text_vectors(items: Sequence[Features], embed: Embed) -> None:
    """Make the text vectors (text_vector) of items that have none, all in one call to embed (the encoder's cost is
    mostly per call: 1,300 one-text calls took 5.8 s of 12.4 s folding 2,000 itn-dev blurbs)."""
    todo = list({id(item): item for item in items if item.text_vector is None}.values())
    if not todo:
        return
    vectors = embed([" ".join((item.lead, *item.sentences))[:TEXT_CHARS] for item in todo])
    for item, vector in zip(todo, vectors, strict=True):
        item.text_vector = np.clip(np.rint(vector * SCALE), -127, 127).astype(np.int8)


def text_cosine(item: Features, other: Features, embed: Embed) -> float:
    """The cosine of two texts' text vectors (0 when the encoder reads neither as words)."""
    a, b = text_vector(item, embed), text_vector(other, embed)
    if a.shape != b.shape:
        return 0.0
    return float(a.astype(np.float32) @ b.astype(np.float32)) / (SCALE * SCALE)


def alignment(a: NDArray[np.int8], b: NDArray[np.int8]) -> tuple[float, float, float]:
    """How two texts' sentences align: the share of the shorter text's sentences matched in order (a longest chain
    of pairs at cosine >= ALIGN_COSINE, both indices increasing), the mean best cosine of its sentences, and the
    cosine of the two texts' mean sentence vectors."""
    if len(a) == 0 or len(b) == 0 or a.shape[1] != b.shape[1]:
        return 0.0, 0.0, 0.0
    if len(a) > len(b):
        a, b = b, a
    sims = (a.astype(np.float32) @ b.astype(np.float32).T) / (SCALE * SCALE)
    match = sims >= ALIGN_COSINE
    chain = np.zeros((len(a) + 1, len(b) + 1), dtype=np.int64)
    for i in range(len(a)):
        for j in range(len(b)):
            chain[i + 1, j + 1] = max(chain[i, j] + int(match[i, j]), chain[i, j + 1], chain[i + 1, j])
    best = sims.max(axis=1).clip(min=0.0)
    mean_a, mean_b = a.astype(np.float64).mean(axis=0), b.astype(np.float64).mean(axis=0)
    norm = float(np.linalg.norm(mean_a) * np.linalg.norm(mean_b))
    body = float(mean_a @ mean_b) / norm if norm else 0.0
    return float(chain[-1, -1]) / len(a), float(best.mean()), body


def pair_features(  # noqa: PLR0913  a pair and the figures its PAIR_FEATURES are computed from
    item: Features,
    other: Features,
    lead: float,
    tfidf: float,
    window_days: float,
    embed: Embed | None,
) -> NDArray[np.float64]:
    """The PAIR_FEATURES of a candidate pair (lead: the lead vectors' cosine, 0 when either has none; tfidf: the
    whole texts' cosine); sentences are aligned (embed) for a pair in two languages whose leads are close, and the
    texts' vectors (text_vector) compared for a pair whose leads were both read."""
    read = 1.0 if lead != 0.0 else 0.0
    names_a, numbers_a = _split(item.names)
    names_b, numbers_b = _split(other.names)
    name_share, name_count = _overlap(names_a, names_b)
    number_share, number_count = _overlap(numbers_a, numbers_b)
    cross = cross_language(item, other)
    same = item.language is not None and item.language == other.language
    aligned = share = mean = body = 0.0
    if (
        embed is not None
        and lead >= ALIGN_FLOOR
        and (cross or tfidf < ALIGN_TFIDF)
        and len(item.sentences) >= 2
        and len(other.sentences) >= 2
    ):
        share, mean, body = alignment(sentence_vectors(item, embed), sentence_vectors(other, embed))
        aligned = 1.0
    known = not (math.isnan(item.at) or math.isnan(other.at))
    gap = min(abs(item.at - other.at) / DAY, window_days) / window_days if known and window_days > 0 else 0.0
    small, large = sorted((len(item.shingles), len(other.shingles)))
    words = math.log1p(small)
    whole = text_cosine(item, other, embed) if embed is not None and read else 0.0
    key_share, key_count = _overlap(set(item.name_keys), set(other.name_keys))
    return np.array(
        [
            lead,
            read,
            tfidf,
            containment(item.shingles, other.shingles),
            _jaccard(item.shingles, other.shingles),
            name_share,
            name_count,
            number_share,
            number_count,
            _jaccard(item.title_words, other.title_words),
            aligned,
            share,
            mean,
            body,
            1.0 if known else 0.0,
            gap,
            1.0 if same else 0.0,
            1.0 if cross else 0.0,
            words,
            small / large if large else 0.0,
            lead * cross,
            lead * (not known),
            tfidf * words,
            whole,
            whole * (not known),
            key_share,
            key_count,
            key_share * (not read),
        ],
        dtype=np.float64,
    )


@dataclass(slots=True, frozen=True)
class Trees:
    """A binary gradient-boosted ensemble (scikit-learn's HistGradientBoostingClassifier) with its decision
    threshold: every tree's nodes in flat arrays, each tree's root at roots[t]; a leaf points at itself (feature 0,
    threshold +inf), so walking depth levels from the roots ends every row at its leaf in every tree."""

    roots: NDArray[np.int64]
    feature: NDArray[np.int64]
    split: NDArray[np.float64]
    missing_left: NDArray[np.bool_]
    children: NDArray[np.int64]
    value: NDArray[np.float64]
    depth: int
    baseline: float
    threshold: float

    def raw(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """The ensemble's raw prediction (log-odds) of each row: all trees walked at once, level by level (a node's
        children at children[2 * node] and [2 * node + 1]); a missing value (NaN) goes the way scikit-learn sends
        it."""
        rows = np.ascontiguousarray(rows, dtype=np.float64)
        flat = rows.ravel()
        start = (np.arange(len(rows)) * rows.shape[1])[:, None]
        node = np.broadcast_to(self.roots, (len(rows), len(self.roots)))
        missing = bool(np.isnan(flat).any())
        for _ in range(self.depth):
            x = flat[start + self.feature[node]]
            if missing:
                right = ~np.where(np.isnan(x), self.missing_left[node], x <= self.split[node])
            else:
                right = x > self.split[node]
            node = self.children[2 * node + right]
        out: NDArray[np.float64] = self.value[node].sum(axis=1) + self.baseline
        return out

    def probability(self, rows: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(positive) of each row of features."""
        out: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-np.clip(self.raw(rows), -50.0, 50.0)))
        return out


Model = Logistic | Trees


@dataclass(slots=True, frozen=True)
class PairModel:
    """The pair models: same story (copy or report), copy, and same story between two dated texts in one language
    (what fold.dated_reports = "model" asks; a file without one uses the same-story model there)."""

    same: Model
    copy: Model
    dated: Model | None = None

    def same_model(self, dated: bool) -> Model:
        """The same-story model of a pair: the dated one for two dated texts in one language, where there is one."""
        return self.dated if dated and self.dated is not None else self.same

    def decide(self, rows: NDArray[np.float64], dated: bool = False) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """P(same story) and P(copy) of each candidate pair (dated: two dated texts in one language)."""
        return self.same_model(dated).probability(rows), self.copy.probability(rows)


def _logistic(spec: dict[str, object], size: int, where: str) -> Logistic:
    """One model of a pair-model file."""
    return logistic(spec, size, f"pair model {where}", ConfigError)


def _tree_arrays(
    tree: object, size: int
) -> tuple[list[int], list[float], list[bool], list[int], list[int], list[float]]:
    """One dumped tree's nodes (feature, threshold, missing_left, left, right, value), checked: as many of each, a
    leaf's children -1, an inner node's feature one of size and its children later nodes of the tree."""
    if not isinstance(tree, dict):
        raise TypeError("a tree is not an object")
    feature = [int(v) for v in tree["feature"]]
    split = [float(v) for v in tree["threshold"]]
    missing = str(tree["missing_left"])
    left, right = [int(v) for v in tree["left"]], [int(v) for v in tree["right"]]
    value = [float(v) for v in tree["value"]]
    count = len(feature)
    if not count or not (len(split) == len(missing) == len(left) == len(right) == len(value) == count):
        raise ValueError("a tree's node lists differ in length or are empty")
    if set(missing) - {"0", "1"}:
        raise ValueError("missing_left is not a string of 0 and 1")
    for i in range(count):
        if left[i] == right[i] == -1:
            continue
        if not (0 <= feature[i] < size and i < left[i] < count and i < right[i] < count):
            raise ValueError(f"node {i} has a feature or child out of range")
        if not math.isfinite(split[i]):
            raise ValueError(f"node {i} has a threshold that is not a finite number")
    if not all(math.isfinite(v) for v in value):
        raise ValueError("a leaf value is not a finite number")
    return feature, split, [c == "1" for c in missing], left, right, value


def _trees(spec: dict[str, object], size: int, where: str) -> Trees:
    """One gradient-boosted model of a pair-model file."""
    feature: list[int] = []
    split: list[float] = []
    missing: list[bool] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    depth = 0
    try:
        trees = spec["trees"]
        if not isinstance(trees, list) or not trees:
            raise ValueError("no trees")
        for tree in trees:
            f, t, m, lo, hi, v = _tree_arrays(tree, size)
            start = len(feature)
            levels = [0] * len(f)
            for i in range(len(f)):
                leaf = lo[i] == hi[i] == -1
                if leaf:
                    lo[i] = hi[i] = i
                    f[i], t[i], m[i] = 0, math.inf, True
                else:
                    levels[lo[i]] = levels[hi[i]] = levels[i] + 1
            depth = max(depth, *levels)
            roots.append(start)
            feature += f
            split += t
            missing += m
            left += [start + c for c in lo]
            right += [start + c for c in hi]
            value += v
        baseline, threshold = float(spec["baseline"]), float(spec["threshold"])  # type: ignore[arg-type]
        if not (math.isfinite(baseline) and 0.0 <= threshold <= 1.0):
            raise ValueError("the baseline or threshold is out of range")
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"pair model {where}: {exc}") from exc
    return Trees(
        np.asarray(roots, dtype=np.int64),
        np.asarray(feature, dtype=np.int64),
        np.asarray(split, dtype=np.float64),
        np.asarray(missing, dtype=np.bool_),
        np.column_stack([np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)]).ravel(),
        np.asarray(value, dtype=np.float64),
        depth,
        baseline,
        threshold,
    )


def parse_model(spec: object, size: int, where: str) -> Model:
    """One model of a pair-model file: gradient-boosted trees (kind "trees") or logistic (kind absent or
    "logistic")."""
    if not isinstance(spec, dict):
        raise ConfigError(f"pair model {where}: not an object")
    kind = spec.get("kind", "logistic")
    if kind == "trees":
        return _trees(spec, size, where)
    if kind == "logistic":
        return _logistic(spec, size, where)
    raise ConfigError(f"pair model {where}: unknown kind {kind!r}")


def load_pair_model(path: str = "") -> PairModel:
    """The pair model of a JSON file (empty: the one shipped with newsfold)."""
    source, spec = weights_file(path, "pair_model.json", "pair model", ConfigError)
    if not isinstance(spec, dict) or spec.get("features") != list(PAIR_FEATURES):
        raise ConfigError(f"pair model {source}: its features are not this version's {len(PAIR_FEATURES)}")
    size = len(PAIR_FEATURES)
    same, copy, dated = spec.get("same"), spec.get("copy"), spec.get("dated")
    return PairModel(
        parse_model(same, size, f"{source} same"),
        parse_model(copy, size, f"{source} copy"),
        None if dated is None else parse_model(dated, size, f"{source} dated"),
    )
