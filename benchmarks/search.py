"""Search in every script: the share of itn-dev blurbs found by a word of their own text, before and after.

"Before" is FTS5 as newsfold shipped it until migration 0009 (unicode61 with its default categories, the query split
by Python's \\w+); "after" is store/search.py over a store migrated to 0009 (marks kept inside words; trigram for
the scripts searched inside words, those written without spaces and those that join particles to their words; LIKE
for their 1-2 character words). Each blurb is searched for:
- link: the text of each link in the blurb (a name or term of its own text, chosen by Wikipedia's editors), and
- piece: one word of it, drawn at random (seeded): a space-separated word in scripts written with spaces, a
  2-character piece of a run in scripts written without them (most Chinese words are 2 characters).
found: the blurb is among the results; precise: the share of results whose text has the query in it.
The index sizes are the bytes of each FTS5 table's pages (dbstat).

--scale N: the cost at a larger size: N synthetic articles per language (each 8 blurbs of zh, or of en) inserted into
a store with the trigram index and into one whose trigram trigger is dropped (the anchor, same run), then the time
of 1-, 2- and 3-character Chinese queries (the 1-2 character ones scan the articles in those scripts with LIKE).

Run: PYTHONPATH=src python benchmarks/search.py [--languages zh,ja,th] [--scale 5000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from newsfold.model import Article, Origin, Paragraph, SourceRef  # noqa: E402
from newsfold.store import articles as articles_db  # noqa: E402
from newsfold.store import search as search_db  # noqa: E402
from newsfold.store.db import Database  # noqa: E402
from newsfold.store.scripts import is_spaceless, is_spaceless_char, query_words  # noqa: E402

LIMIT = 10_000
BEFORE_FTS = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, content = 'articles', content_rowid = 'seq', "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


@dataclass(slots=True)
class Blurb:
    """One itn-dev blurb: its language, plain text and link texts."""

    language: str
    text: str
    links: list[str]


@dataclass(slots=True)
class Tally:
    """Counts for one language: queries asked, blurbs found, precision summed over queries with results."""

    queries: int = 0
    found: int = 0
    precise: float = 0.0
    answered: int = 0

    def add(self, found: bool, precision: float | None) -> None:
        """Count one query."""
        self.queries += 1
        self.found += found
        if precision is not None:
            self.precise += precision
            self.answered += 1


@dataclass(slots=True)
class Row:
    """One language's tallies: (method, query kind) -> Tally."""

    blurbs: int = 0
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))


def load_blurbs(path: Path) -> list[Blurb]:
    """The blurbs of itn-dev (each text once), as plain text with their link texts, in file order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    blurbs = []
    seen: set[str] = set()
    for group in data.values():
        for item in group.values():
            tree = lxml_html.fragment_fromstring(item["blurb"], create_parent="div")
            text = " ".join(tree.text_content().split())
            if text in seen:
                continue
            seen.add(text)
            links = [" ".join(a.text_content().split()) for a in tree.iter("a")]
            blurbs.append(Blurb(item["lang"], text, [t for t in links if query_words(t) and t in text]))
    return blurbs


def piece(text: str, rng: random.Random) -> str | None:
    """One word of text drawn at random: 2 characters of a run of a spaceless script, else a spaced word."""
    words = query_words(text)
    if not words:
        return None
    word = rng.choice(words)
    runs = [i for i in range(len(word) - 1) if is_spaceless_char(word[i]) and is_spaceless_char(word[i + 1])]
    if runs:
        start = rng.choice(runs)
        return word[start : start + 2]
    return word


def make_article(index: int, blurb: Blurb) -> Article:
    """A blurb as a stored article."""
    return Article(
        origin=Origin(f"itn-dev:{index}"),
        title=None,
        paragraphs=[Paragraph(blurb.text)],
        source=SourceRef("itn-dev", None),
        language=blurb.language,
    )


def fill(db: Database, blurbs: list[Blurb]) -> dict[str, int]:
    """Store the blurbs; their article ids to their index."""
    articles = [make_article(i, b) for i, b in enumerate(blurbs)]
    with db.write() as conn:
        articles_db.insert_articles(conn, articles)
    return {a.id: i for i, a in enumerate(articles)}


def before_search(conn: sqlite3.Connection, query: str) -> list[str]:
    """The search as it was: the old word index, the query split by \\w+."""

    words = re.findall(r"\w+", query)
    if not words:
        return []
    match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
    sql = (
        "SELECT a.id FROM before_fts JOIN articles a ON a.seq = before_fts.rowid WHERE before_fts MATCH ? "
        "ORDER BY bm25(before_fts) LIMIT ?"
    )
    return [r[0] for r in conn.execute(sql, (match, LIMIT))]


def after_search(conn: sqlite3.Connection, query: str) -> list[str]:
    """The search as it is now (store/search.py)."""
    return [hit.article_id for hit in search_db.search(conn, query, limit=LIMIT)]


def table_bytes(conn: sqlite3.Connection, prefix: str) -> int:
    """Bytes of the pages of every table (and index) whose name starts with prefix."""
    row = conn.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?", (prefix + "%",)).fetchone()
    return int(row[0])


def measure(
    blurbs: list[Blurb], ids: dict[str, int], conn: sqlite3.Connection, seed: int = 7
) -> tuple[dict[str, Row], dict[str, float]]:
    """Tallies per language for both methods and both query kinds, and the mean query time of each method."""
    rng = random.Random(seed)
    methods: dict[str, Callable[[sqlite3.Connection, str], list[str]]] = {
        "before": before_search,
        "after": after_search,
    }
    rows: dict[str, Row] = defaultdict(Row)
    texts = [b.text.lower() for b in blurbs]
    seconds: dict[str, float] = defaultdict(float)
    asked: dict[str, int] = defaultdict(int)
    for index, blurb in enumerate(blurbs):
        row = rows[blurb.language]
        row.blurbs += 1
        word = piece(blurb.text, rng)
        for kind, queries in (("link", blurb.links), ("piece", [word] if word else [])):
            for query in queries:
                for name, method in methods.items():
                    start = time.perf_counter()
                    found = method(conn, query)
                    seconds[name] += time.perf_counter() - start
                    asked[name] += 1
                    hits = [ids[i] for i in found]
                    precision = sum(query.lower() in texts[h] for h in hits) / len(hits) if hits else None
                    row.tallies[(name, kind)].add(index in hits, precision)
    return rows, {name: seconds[name] / max(1, asked[name]) for name in methods}


def open_measured(blurbs: list[Blurb], folder: Path) -> tuple[Database, dict[str, int]]:
    """A store of the blurbs with the current index, and the old word index beside it as before_fts."""
    db = Database(folder / "search.db")
    ids = fill(db, blurbs)
    with db.write() as conn:
        conn.execute(BEFORE_FTS.replace("articles_fts", "before_fts"))
        conn.execute("INSERT INTO before_fts (before_fts) VALUES ('rebuild')")
    return db, ids


def script_group(language: str, blurbs: list[Blurb]) -> str:
    """'inside words' when most of the language's blurbs are in a script searched inside words, else 'words'."""
    mine = [b for b in blurbs if b.language == language]
    spaceless = sum(is_spaceless(b.text) for b in mine)
    return "inside words" if spaceless * 2 > len(mine) else "words"


def share(tally: Tally) -> str:
    """found/queries as a percentage."""
    return f"{100 * tally.found / tally.queries:5.1f}" if tally.queries else "    -"


def precision(tally: Tally) -> str:
    """Mean precision as a percentage."""
    return f"{100 * tally.precise / tally.answered:5.1f}" if tally.answered else "    -"


def totals(rows: dict[str, Row], blurbs: list[Blurb]) -> dict[str, Row]:
    """The tallies summed by script group ('inside words', 'words') and over everything ('all')."""
    groups: dict[str, Row] = defaultdict(Row)
    for language, row in rows.items():
        for name in ("all", script_group(language, blurbs)):
            target = groups[name]
            target.blurbs += row.blurbs
            for key, tally in row.tallies.items():
                merged = target.tallies[key]
                merged.queries += tally.queries
                merged.found += tally.found
                merged.precise += tally.precise
                merged.answered += tally.answered
    return groups


def report(rows: dict[str, Row], blurbs: list[Blurb], min_blurbs: int) -> Iterator[str]:
    """The table: per language (those with at least min_blurbs), then per script group and overall."""
    yield (
        "| language | script | blurbs | link queries | link found before % | after % | link precise before % "
        "| after % | piece found before % | after % | piece precise before % | after % |"
    )
    yield "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for language, row in sorted(rows.items(), key=lambda kv: -kv[1].blurbs):
        if row.blurbs >= min_blurbs:
            yield line(language, script_group(language, blurbs), row)
    groups = totals(rows, blurbs)
    for name in ("inside words", "words", "all"):
        yield line(f"**{name}**", "", groups[name])


def line(name: str, group: str, row: Row) -> str:
    """One table line."""
    t = row.tallies
    return (
        f"| {name} | {group} | {row.blurbs} | {t[('after', 'link')].queries} "
        f"| {share(t[('before', 'link')])} | {share(t[('after', 'link')])} "
        f"| {precision(t[('before', 'link')])} | {precision(t[('after', 'link')])} "
        f"| {share(t[('before', 'piece')])} | {share(t[('after', 'piece')])} "
        f"| {precision(t[('before', 'piece')])} | {precision(t[('after', 'piece')])} |"
    )


def sizes(conn: sqlite3.Connection) -> Iterator[str]:
    """The index sizes: the old word index, the new one, the trigram index and its article list."""
    text = conn.execute("SELECT sum(length(CAST(text AS BLOB))) FROM articles").fetchone()[0]
    before = table_bytes(conn, "before_fts")
    word = table_bytes(conn, "articles_fts")
    trigram = table_bytes(conn, "articles_trgm")
    listed = table_bytes(conn, "articles_spaceless")
    spaceless = conn.execute("SELECT count(*) FROM articles WHERE spaceless = 1").fetchone()[0]
    their_text = conn.execute("SELECT sum(length(CAST(text AS BLOB))) FROM articles WHERE spaceless = 1").fetchone()[0]
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    yield "| part | bytes | x text |"
    yield "|---|---:|---:|"
    yield f"| article text (UTF-8) | {text:,} | 1.00 |"
    yield f"| word index before (unicode61) | {before:,} | {before / text:.2f} |"
    yield f"| word index after (marks kept) | {word:,} | {word / text:.2f} |"
    yield f"| trigram index ({spaceless} of {total} articles) | {trigram:,} | {trigram / text:.2f} |"
    share = trigram / their_text
    yield f"| text of those {spaceless} (trigram x{share:.2f} of it) | {their_text:,} | {their_text / text:.2f} |"
    yield f"| index articles_spaceless (the articles in those scripts) | {listed:,} | {listed / text:.2f} |"
    after = word + trigram + listed
    yield f"| **search indexes before / after** | {before:,} / {after:,} | x{after / before:.2f} |"


def synthetic(blurbs: list[Blurb], language: str, count: int, rng: random.Random) -> list[Article]:
    """count articles of 8 random blurbs of a language each."""
    mine = [b.text for b in blurbs if b.language == language]
    return [
        Article(
            origin=Origin(f"synthetic:{language}:{i}"),
            title=None,
            paragraphs=[Paragraph(" ".join(rng.choice(mine) for _ in range(8)))],
            source=SourceRef("synthetic", None),
            language=language,
        )
        for i in range(count)
    ]


def scale(blurbs: list[Blurb], count: int, folder: Path) -> Iterator[str]:
    """Insert time and file size with and without the trigram index, and query times, at count articles a language."""
    yield "| articles | with trigram: insert s | file MB | without (anchor): insert s | file MB | ratio |"
    yield "|---|---:|---:|---:|---:|---:|"
    queries = ("警", "地震", "土耳其", "土耳其 地震")
    timings: dict[str, float] = {}
    for language in ("zh", "en"):
        articles = synthetic(blurbs, language, count, random.Random(11))
        figures = []
        for name, keep in (("with", True), ("without", False)):
            path = folder / f"{language}-{name}.db"
            db = Database(path)
            if not keep:
                with db.write() as conn:
                    conn.execute("DROP TRIGGER articles_trgm_insert")
            start = time.perf_counter()
            with db.write() as conn:
                articles_db.insert_articles(conn, articles)
            figures.append((time.perf_counter() - start, path.stat().st_size / 1e6))
            if keep and language == "zh":
                with db.read() as conn:
                    for query in queries:
                        start = time.perf_counter()
                        search_db.search(conn, query, limit=20)
                        timings[query] = time.perf_counter() - start
            db.close()
        (with_s, with_mb), (without_s, without_mb) = figures
        yield (
            f"| {count} {language} | {with_s:.2f} | {with_mb:.1f} | {without_s:.2f} | {without_mb:.1f} "
            f"| x{with_s / without_s:.2f} |"
        )
    yield ""
    yield "| query (zh store) | ms |"
    yield "|---|---:|"
    for query, seconds in timings.items():
        yield f"| {query} | {seconds * 1e3:.1f} |"


def main() -> int:
    """Measure and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", help="comma-separated language codes to measure (default: all)")
    parser.add_argument("--min-blurbs", type=int, default=20, help="languages with fewer blurbs only in the totals")
    parser.add_argument("--scale", type=int, default=0, help="also measure N synthetic articles a language")
    args = parser.parse_args()
    path = DATA / "itn-dev" / "corpus-dev.json"
    if not path.exists():
        print(f"{path} is absent: nothing to measure", file=sys.stderr)
        return 2
    blurbs = load_blurbs(path)
    if args.languages:
        wanted = set(args.languages.split(","))
        blurbs = [b for b in blurbs if b.language in wanted]
    with tempfile.TemporaryDirectory() as folder:
        db, ids = open_measured(blurbs, Path(folder))
        with db.read() as conn:
            rows, per_query = measure(blurbs, ids, conn)
            print(f"itn-dev: {len(blurbs)} blurbs in {len(rows)} languages\n")
            for text in report(rows, blurbs, args.min_blurbs):
                print(text)
            print()
            for text in sizes(conn):
                print(text)
        db.close()
    print(f"\nmean query time: before {per_query['before'] * 1e3:.2f} ms, after {per_query['after'] * 1e3:.2f} ms")
    if args.scale:
        print()
        with tempfile.TemporaryDirectory() as folder:
            for text in scale(load_blurbs(path), args.scale, Path(folder)):
                print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
