"""Ingest speed end to end, beside trafilatura's extraction alone on the same pages in the same run.

Run: PYTHONPATH=src python benchmarks/ingest.py [--data DIR] [--generated N] [--workers N] [--cli] [--profile OUT]

Pages: the extraction-dev pages (../shared/data/extraction-dev, decompressed into a temporary folder) and, with
--generated N, N generated news pages (stories of 1-8 pages: copies share their paragraphs, reports their names).
For each set it times trafilatura.extract (defaults) on every page, then `newsfold ingest`'s engine in this process
into a fresh store in a temporary folder (the command's settings and story hooks: enrichment, eager translation,
story pages), and with --cli the `newsfold ingest` command itself (start-up included). It prints pages/s of each,
the ratio ingest/trafilatura, the seconds per stage (the engine's own clock: extract, language, ahead = the story
hooks' work done in the extraction worker, wait = the writer idle waiting for that worker, store, fold, enrich,
translate, pages; with an extraction worker the stages overlap, so their sum exceeds the wall time), how many
articles the writer's enricher recognised itself, and the peak memory (this process's and its children's maximum
resident set). The machine's load average is printed with it.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from newsfold.config import load_config
from newsfold.engine import IngestReport, ingest
from newsfold.enrich.hook import EnrichHook
from newsfold.hooks import story_hooks
from newsfold.ingest.files import iter_inputs
from newsfold.steps import default_pipeline
from newsfold.store.db import Database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
STAGES = ("extract", "language", "ahead", "wait", "store", "fold", "enrich", "translate", "pages")
SYLLABLES = ("ka", "ri", "to", "men", "sal", "dor", "vi", "ne", "qu", "ar", "bel", "tis", "on", "pra", "lu", "ges")
HEADS = ("Council", "Union", "Agency", "Party", "Institute", "Bank")


@dataclass(slots=True, frozen=True)
class Lexicon:
    """Pseudo-words, and names of people, organisations and places made of them."""

    words: list[str]
    people: list[str]
    organisations: list[str]
    places: list[str]


def _word(rng: random.Random) -> str:
    """A pseudo-word of 2-4 syllables."""
    return "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))


def lexicon(rng: random.Random) -> Lexicon:
    """4,000 words, 3,000 people, 400 organisations and 300 places."""
    words = sorted({_word(rng) for _ in range(4000)})
    people = [f"{_word(rng).title()} {_word(rng).title()}" for _ in range(3000)]
    organisations = [f"{_word(rng).title()} {rng.choice(HEADS)}" for _ in range(400)]
    places = [_word(rng).title() for _ in range(300)]
    return Lexicon(words, people, organisations, places)


def decompress_pages(data: Path, out: Path) -> list[Path]:
    """Write every extraction-dev page (country/Publisher_DATE.html.gz) decompressed under out."""
    paths = []
    for page in sorted(data.glob("*/*.html.gz")):
        target = out / page.parent.name / page.name.removesuffix(".gz")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress(page.read_bytes()))
        paths.append(target)
    return paths


def _sentence(rng: random.Random, lex: Lexicon, names: list[str]) -> str:
    """One sentence of 10-18 words naming one of names (and a place), attributed to one of them."""
    words = rng.choices(lex.words[:1500], k=rng.randint(10, 18))
    words.insert(rng.randrange(len(words)), rng.choice(names))
    if rng.random() < 0.5:
        words.append(f"in {names[-1]}")
    text = " ".join(words)
    return f"{text[0].upper()}{text[1:]}, {names[0]} said."


def _page(title: str, outlet: str, day: int, paragraphs: list[str]) -> str:
    """A news page's HTML: title, byline, date, article body, and the outlet's furniture around it."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title} | {outlet}</title>"
        f"<meta property='og:title' content='{title}'><meta property='og:site_name' content='{outlet}'>"
        f"<meta property='article:published_time' content='2026-11-{day:02d}T08:00:00Z'></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/about'>About {outlet}</a></nav>"
        f"<article><h1>{title}</h1><p class='byline'>By {outlet} staff</p>{body}</article>"
        f"<footer>Copyright {outlet}. All rights reserved.</footer></body></html>"
    )


def generate_pages(out: Path, count: int, seed: int = 19) -> list[Path]:
    """count generated pages under out: stories of 1-8 pages across 30 outlets, copies and reports mixed."""
    rng = random.Random(seed)
    lex = lexicon(rng)
    paths: list[Path] = []
    story = 0
    while len(paths) < count:
        story += 1
        names = rng.sample(lex.people, 2) + rng.sample(lex.organisations, 1) + rng.sample(lex.places, 1)
        lead = [_sentence(rng, lex, names) for _ in range(rng.randint(6, 12))]
        topic = " ".join(rng.sample(lex.words, 3))
        title = f"{names[2]} and {names[0]} at odds over {topic} in {names[3]}"
        day = rng.randint(1, 28)
        for member in range(min(rng.choice((1, 1, 2, 3, 5, 8)), count - len(paths))):
            outlet = f"Outlet {rng.randrange(30):02d}"
            copy = member == 0 or rng.random() < 0.5
            paragraphs = lead if copy else [_sentence(rng, lex, names) for _ in range(rng.randint(6, 12))]
            path = out / f"outlet{outlet[-2:]}" / f"story{story:06d}-{member}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_page(title, outlet, day, paragraphs), encoding="utf-8")
            paths.append(path)
    return paths


def trafilatura_alone(paths: list[Path]) -> float:
    """Seconds trafilatura.extract (defaults) takes over every page (read from disk beforehand)."""
    pages = [p.read_bytes() for p in paths]
    start = time.perf_counter()
    for html in pages:
        trafilatura.extract(html)
    return time.perf_counter() - start


@dataclass(slots=True)
class Measured:
    """One ingest's wall seconds and report."""

    seconds: float
    report: IngestReport
    recognised: dict[str, int]


def newsfold_ingest(folder: Path, db_path: Path, workers: int | None, profile: Path | None) -> Measured:
    """`newsfold ingest folder` through its engine, in this process, with the command's settings and hooks."""
    config = load_config(None, {"db": str(db_path)})
    db = Database(str(db_path))
    profiler = cProfile.Profile() if profile else None
    try:
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        hooks = story_hooks(config)
        report = ingest(
            db,
            iter_inputs([str(folder)], max_bytes=int(config["ingest.max_bytes"])),
            default_pipeline(config, hooks=hooks),
            batch_size=int(config["ingest.batch_size"]),
            **({"extract_workers": workers} if workers is not None else {}),
        )
        seconds = time.perf_counter() - start
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        db.close()
    memos = [hook.enricher.memo for hook in hooks if isinstance(hook, EnrichHook)]
    recognised = {k: sum(getattr(m, k) for m in memos) for k in ("hits", "partial", "misses")}
    return Measured(seconds, report, recognised)


def cli_ingest(folder: Path, db_path: Path) -> float:
    """Wall seconds of the `newsfold ingest` command itself (start-up included)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "newsfold.cli", "ingest", str(folder), "--db", str(db_path)],
        check=True,
        env=env,
        capture_output=True,
    )
    return time.perf_counter() - start


def stage_seconds(report: IngestReport) -> dict[str, float]:
    """Seconds per stage: the engine's clock, and the language step's from the step runner."""
    seconds = dict(report.seconds)
    for step in report.run.steps:
        seconds[step.name] = seconds.get(step.name, 0.0) + step.seconds
    return seconds


def peak_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def measure(name: str, folder: Path, paths: list[Path], args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    """One page set: trafilatura alone, newsfold ingest in process (and the command); a row of figures."""
    theirs = trafilatura_alone(paths)
    profile = args.profile.with_suffix(f".{name}.prof") if args.profile else None
    ours = newsfold_ingest(folder, tmp / f"{name}.db", args.workers, profile)
    row: dict[str, object] = {
        "pages": len(paths),
        "trafilatura_s": round(theirs, 2),
        "ingest_s": round(ours.seconds, 2),
        "trafilatura_pages_s": round(len(paths) / theirs, 1),
        "ingest_pages_s": round(len(paths) / ours.seconds, 1),
        "ratio": round(theirs / ours.seconds, 2),
        "new": ours.report.new,
        "stories_changed": ours.report.stories_changed,
        "recognised": ours.recognised,
        "stages": {k: round(v, 2) for k, v in sorted(stage_seconds(ours.report).items())},
    }
    if args.cli:
        seconds = cli_ingest(folder, tmp / f"{name}-cli.db")
        row["cli_s"] = round(seconds, 2)
        row["cli_ratio"] = round(theirs / seconds, 2)
    return row


def print_table(rows: dict[str, dict[str, object]]) -> None:
    """The comparison table and the per-stage table."""
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, {os.cpu_count()} cores")
    print("| pages | n | trafilatura alone s | newsfold ingest s | ingest pages/s | ingest / trafilatura | command s |")
    print("|---|---|---|---|---|---|---|")
    for name, row in rows.items():
        cli = f"{row['cli_s']} ({row['cli_ratio']}x)" if "cli_s" in row else "-"
        print(
            f"| {name} | {row['pages']} | {row['trafilatura_s']} | {row['ingest_s']} | {row['ingest_pages_s']} | "
            f"{row['ratio']}x | {cli} |"
        )
    print()
    print("| pages | " + " | ".join(STAGES) + " |")
    print("|---|" + "---|" * len(STAGES))
    for name, row in rows.items():
        stages = row["stages"]
        assert isinstance(stages, dict)
        print(f"| {name} | " + " | ".join(str(stages.get(s, 0.0)) for s in STAGES) + " |")
    print()
    print("articles the writer's enricher recognised: hits (every sentence as found ahead or before), partial (some")
    print("sentences read again), misses (read anew)")
    for name, row in rows.items():
        print(f"{name}: {row['recognised']}")
    own, children = peak_mb()
    print(f"\npeak memory: this process {own:.0f} MB, largest child {children:.0f} MB")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables (and the figures as JSON with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--generated", type=int, default=0, help="also ingest N generated pages")
    parser.add_argument("--no-dev", action="store_true", help="skip the extraction-dev pages")
    parser.add_argument("--workers", type=int, default=None, help="extraction workers (default: by the cores)")
    parser.add_argument("--cli", action="store_true", help="also time the `newsfold ingest` command")
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of each ingest (OUT.NAME.prof)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--keep-pages", type=Path, default=None, help="only write the generated pages into this folder")
    args = parser.parse_args(argv)
    if args.keep_pages:
        print(f"{len(generate_pages(args.keep_pages, args.generated or 1000))} pages written to {args.keep_pages}")
        return 0
    rows: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="newsfold-ingest-") as name:
        tmp = Path(name)
        if not args.no_dev:
            if not args.data.exists():
                print(f"development data {args.data} is absent: nothing to measure", file=sys.stderr)
                return 2
            paths = decompress_pages(args.data, tmp / "dev")
            rows["extraction-dev"] = measure("dev", tmp / "dev", paths, args, tmp)
        if args.generated:
            paths = generate_pages(tmp / "generated", args.generated)
            rows[f"generated {args.generated}"] = measure("generated", tmp / "generated", paths, args, tmp)
    print_table(rows)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
