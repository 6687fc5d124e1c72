"""Generate a large newsfold database (default 100,000 articles) for the web benchmark.

Run: PYTHONPATH=src python benchmarks/make_db.py [--articles 100000] [--out benchmarks/out/web-100k.db] [--pages N]

Articles are synthetic but shaped like the real thing: ~60 outlets in 10 languages, stories of 1-12 articles
(copies share most sentences, reports their own), publication times over the last 60 days (so Latest, Trends 24h
and the day pages all have content), texts of 8-25 sentences from a 6,000-word vocabulary with Zipf frequencies.
Rows are written through the store modules (articles.insert_articles, stories.*) in big transactions; then each
story's page is built and stored as ingest's story hook stores it (web/story/stored.py, `newsfold refresh-pages`):
its differences, related stories and their cards, and the page rendered ahead (HTML for the default reader language
of the default settings, as `benchmarks/web.py` serves it, and the JSON twin); with --pages N only for the N most
recently updated stories (the others' pages are then built on request). It prints the seconds of each phase.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsfold.model import Article, Origin, Paragraph, Relation, SourceRef
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store.db import Database
from newsfold.web.story.stored import refresh

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "tr", "ar"]
SYLLABLES = ["ka", "ri", "to", "men", "sal", "dor", "vi", "ne", "qu", "ar", "bel", "tis", "on", "pra", "lu", "ges"]


@dataclass(slots=True, frozen=True)
class Vocabulary:
    """Pseudo-words and their cumulative Zipf weights."""

    words: list[str]
    weights: list[float]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        """k words drawn with Zipf frequencies."""
        return rng.choices(self.words, cum_weights=self.weights, k=k)


def vocabulary(rng: random.Random, size: int = 6000) -> Vocabulary:
    """Pseudo-words of 2-4 syllables, in a random frequency order."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return Vocabulary(ordered, zipf_weights(len(ordered)))


def zipf_weights(n: int) -> list[float]:
    """Cumulative Zipf weights (word r drawn with probability proportional to 1/r), as natural text has them."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank
        out.append(total)
    return out


def sentence(rng: random.Random, words: Vocabulary) -> str:
    """One sentence of 8-24 words, drawn with Zipf frequencies."""
    chosen = words.draw(rng, rng.randint(8, 24))
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def body(rng: random.Random, words: Vocabulary) -> list[str]:
    """A text's sentences."""
    return [sentence(rng, words) for _ in range(rng.randint(8, 25))]


def as_paragraphs(sentences: list[str]) -> list[Paragraph]:
    """Sentences grouped three to a paragraph."""
    return [Paragraph(" ".join(sentences[i : i + 3])) for i in range(0, len(sentences), 3)]


def variant(rng: random.Random, sentences: list[str], words: Vocabulary) -> list[str]:
    """A copy: most sentences kept, some reworded, one dropped or added."""
    out = []
    for s in sentences:
        if rng.random() < 0.25:
            tokens = s.rstrip(".").split()
            tokens[rng.randrange(len(tokens))] = rng.choice(words.words)
            out.append(" ".join(tokens) + ".")
        elif rng.random() < 0.05:
            continue
        else:
            out.append(s)
    if rng.random() < 0.3:
        out.append(sentence(rng, words))
    return out


def make_story(
    rng: random.Random, words: Vocabulary, outlets: list[tuple[str, str]], n: int, end: datetime
) -> list[tuple[Article, Relation]]:
    """One story's articles with their relations."""
    start = end - timedelta(days=60 * rng.random() ** 2, minutes=rng.randint(0, 1440))
    base = body(rng, words)
    title = " ".join(words.draw(rng, rng.randint(5, 10))).capitalize()
    out: list[tuple[Article, Relation]] = []
    for i in range(n):
        name, language = rng.choice(outlets)
        relation: Relation = "original" if i == 0 else ("copy" if rng.random() < 0.5 else "report")
        sentences = base if i == 0 else (variant(rng, base, words) if relation == "copy" else body(rng, words))
        art = Article(
            origin=Origin(f"bench:{rng.getrandbits(64):016x}"),
            title=title if relation != "report" else " ".join(rng.choices(words.words, k=7)).capitalize(),
            paragraphs=as_paragraphs(sentences),
            language=language,
            published=start + timedelta(minutes=rng.randint(0, 36 * 60) * (i > 0)),
            source=SourceRef(name, f"https://{name.lower().replace(' ', '-')}.example/{rng.getrandbits(40):x}"),
            highlights=[sentence(rng, words) for _ in range(rng.randint(0, 3))] if i == 0 else [],
        )
        out.append((art, relation))
    return out


def generate(db: Database, total: int, seed: int = 7, batch: int = 5000) -> tuple[int, int]:
    """Write about total articles in stories; returns (articles, stories)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    outlets = [
        (f"{rng.choice(words.words).capitalize()} {rng.choice(['News', 'Times', 'Post', 'Daily'])}", lang)
        for lang in LANGUAGES
        for _ in range(6)
    ]
    end = datetime.now(UTC).replace(microsecond=0)
    written = stories = 0
    pending: list[list[tuple[Article, Relation]]] = []
    pending_size = 0
    while written < total:
        size = min(total - written, 1 + int(rng.paretovariate(1.6)) if rng.random() < 0.6 else 1)
        size = min(size, 12)
        pending.append(make_story(rng, words, outlets, size, end))
        pending_size += size
        written += size
        if pending_size >= batch or written >= total:
            stories += flush(db, pending)
            pending, pending_size = [], 0
            print(f"\r{written:>8} articles, {stories:>7} stories", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return written, stories


def flush(db: Database, pending: list[list[tuple[Article, Relation]]]) -> int:
    """Write a batch of stories in one transaction."""
    with db.write() as conn:
        articles_db.insert_articles(conn, [a for story in pending for a, _ in story])
        for story in pending:
            first = story[0][0]
            stories_db.create_story(conn, first.id, first.title or "")
            for art, relation in story:
                copy_of = first.id if relation == "copy" else None
                stories_db.set_member(conn, art.id, first.id, relation, copy_of=copy_of)
            stories_db.refresh_story(conn, first.id)
    return len(pending)


def main() -> int:
    """Parse arguments, generate, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out" / "web-100k.db")
    parser.add_argument(
        "--pages", type=int, default=None, help="render ahead only the pages of the N latest stories (default: all)"
    )
    args = parser.parse_args()
    if args.out.exists():
        print(f"{args.out}: exists; remove it first", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = Database(args.out)
    articles, stories = generate(db, args.articles)
    written = time.perf_counter()
    with db.write() as conn:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')")
        conn.execute("ANALYZE")
    indexed = time.perf_counter()
    # what ingest's story hook stores for each changed story: its page parts and the page rendered ahead
    with db.read() as conn:
        live = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM stories WHERE merged_into IS NULL AND size > 0 ORDER BY last_updated DESC"
            )
        ]
    pages = refresh(db, live[: args.pages] if args.pages is not None else live)
    print(f"{pages} story pages stored", file=sys.stderr)
    db.close()
    done = time.perf_counter()
    print(f"{args.out}: {articles} articles in {stories} stories, {done - started:.0f} s")
    print(
        f"rows {written - started:.1f} s ({(written - started) / articles * 1e6:.0f} us/article), fts optimize and "
        f"analyze {indexed - written:.1f} s, {pages} pages ahead {done - indexed:.1f} s "
        f"({(done - indexed) / max(1, pages) * 1e3:.1f} ms/page)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
