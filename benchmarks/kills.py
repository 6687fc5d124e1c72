"""Kill `newsfold ingest` with SIGKILL at random moments (after a batch's commit, before its story hooks, included),
restart it each time, and compare the store with a clean run's: articles, stories, highlights, entities, events,
stored pages, fold documents.

    python benchmarks/kills.py --kills 20 --pages 40                     # generated pages (few stories)
    python benchmarks/kills.py --kills 20 --real 60,60                   # real pages: extraction-dev, wikinews-en

Prints one row per kill (where it landed, what the store held after it) and the comparison after the last restart.
A run that finishes before its kill starts the next one from an empty store, so that every kill lands in a run.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.store.snapshot import differences, news_pages, snapshot  # noqa: E402

# the child: `newsfold ingest`, killing itself at the start of its Nth round of story hooks (just after a batch's
# commit) when NEWSFOLD_TEST_KILL_AT_HOOKS=N is set
CHILD = """
import os, signal, sys
import newsfold.engine as engine
at = int(os.environ.get("NEWSFOLD_TEST_KILL_AT_HOOKS") or 0)
if at:
    real, calls = engine.run_hooks, [0]
    def run_hooks(db, hooks, changed, report):
        if changed:
            calls[0] += 1
            if calls[0] == at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(db, hooks, changed, report)
    engine.run_hooks = run_hooks
from newsfold.cli import main
sys.argv = ["newsfold", *sys.argv[1:]]
main()
"""


def real_pages(folder: Path, pages: int, articles: int, data: Path = DATA) -> list[Path]:
    """A corpus of real news: pages of extraction-dev (saved pages of ~40 countries, many languages, one per
    outlet and day in turn) and wikinews-en articles written as saved pages, every third with an edited copy on
    another site and every tenth with an exact copy (so stories have several members); deterministic.

    Raises FileNotFoundError when the development data is absent."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    saved = sorted((data / "extraction-dev").glob("*/*.html.gz"))
    if not saved:
        raise FileNotFoundError(f"no pages under {data / 'extraction-dev'}")
    step = max(1, len(saved) // max(1, pages))
    for path in saved[::step][:pages]:
        target = folder / f"x_{path.parent.name}_{path.name[: -len('.gz')]}"
        target.write_bytes(gzip.decompress(path.read_bytes()))
        out.append(target)
    csv.field_size_limit(1 << 28)
    rows: list[dict[str, str]] = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with (data / "wikinews-en" / name).open(newline="", encoding="utf-8") as handle:
            rows += [r for r in csv.DictReader(handle) if r["text"].strip()]
    for i, row in enumerate(rows[:articles]):
        out.append(_wikinews_page(folder / f"w{i:03d}.html", row, "https://en.wikinews.example", row["text"]))
        if i % 3 == 0:
            edited = row["text"].replace(" the ", " the the ", 2) + "\nThis article was republished from Wikinews."
            out.append(_wikinews_page(folder / f"w{i:03d}_mirror.html", row, "https://mirror.example", edited))
        if i % 10 == 0:
            out.append(_wikinews_page(folder / f"w{i:03d}_scraper.html", row, "https://scraper.example", row["text"]))
    return out


def _wikinews_page(path: Path, row: dict[str, str], site: str, text: str) -> Path:
    """One wikinews-en row as a saved news page of site (its own URL, title, date and paragraphs)."""
    slug = row["url"].rsplit("/", 1)[-1]
    body = "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n") if p.strip())
    title = escape(row["title"])
    path.write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:url" content="{site}/wiki/{escape(slug)}">'
        f'<meta property="article:published_time" content="{row["date"]}T12:00:00Z"></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    return path


@dataclass
class Kill:
    """One killed run: how it was killed, after how long, and what it left."""

    mode: str
    seconds: float
    killed: bool
    articles: int
    pending: int


@dataclass
class Campaign:
    """A clean run, the killed runs, and how the final store differs from the clean one."""

    clean_seconds: float
    kills: list[Kill] = field(default_factory=list)
    differences: dict[str, tuple[int, int]] = field(default_factory=dict)
    clean: dict[str, Any] = field(default_factory=dict)
    final: dict[str, Any] = field(default_factory=dict)
    final_status: int = 0


def _env(batch_size: int, kill_at: int = 0) -> dict[str, str]:
    """The child's environment: this checkout's code, small batches (many commits), no config file."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}
    env["NEWSFOLD_INGEST_BATCH_SIZE"] = str(batch_size)
    env["NEWSFOLD_CONFIG"] = ""
    env["NEWSFOLD_TEST_KILL_AT_HOOKS"] = str(kill_at)
    return env


def _start(folder: Path, db: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start one ingest of folder into db."""
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, "ingest", str(folder), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _counts(db: Path) -> tuple[int, int]:
    """Articles and pending stories in a store (0, 0 when it does not exist yet)."""
    if not db.exists():
        return 0, 0
    got = snapshot(str(db))
    return len(got["articles"]), len(got["pending"])


Plan = list[tuple[int, float | None]]  # per kill: the hook round to die at (0: none), or seconds after the start


def random_plan(kills: int, seconds: float, seed: int = 1) -> Plan:
    """Kills alternately at the first or second hook round of a run (just after a commit) and at a random moment."""
    rng = random.Random(seed)
    return [(rng.randint(1, 2), None) if i % 2 == 0 else (0, rng.uniform(0.2, seconds)) for i in range(kills)]


def run_campaign(  # noqa: PLR0913  a campaign's folders, size and seed, then its optional plan
    folder: Path, work: Path, kills: int, seed: int = 1, batch_size: int = 2, plan: Plan | None = None
) -> Campaign:
    """Ingest folder cleanly, then kill runs over one store as planned (by default random_plan), restart once
    more to the end, and compare."""
    clean_db = work / "clean.db"
    started = time.perf_counter()
    clean = _start(folder, clean_db, _env(batch_size))
    _, err = clean.communicate()
    clean_seconds = time.perf_counter() - started
    if clean.returncode != 0:
        raise RuntimeError(f"the clean run failed ({clean.returncode}): {err.decode()[-2000:]}")
    campaign = Campaign(clean_seconds, clean=snapshot(str(clean_db)))
    db = work / "killed.db"
    for at, delay in plan if plan is not None else random_plan(kills, clean_seconds, seed):
        mode = f"after a commit, before hook round {at}" if at else "at a random moment"
        began = time.perf_counter()
        child = _start(folder, db, _env(batch_size, at))
        try:
            child.wait(timeout=delay if delay is not None else 600)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
        if child.stderr is not None:
            child.stderr.close()
        articles, pending = _counts(db)
        killed = child.returncode == -signal.SIGKILL
        campaign.kills.append(Kill(mode, time.perf_counter() - began, killed, articles, pending))
        if not killed:  # the run finished first: start the next one from an empty store, so every kill lands
            for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
                path.unlink(missing_ok=True)
    final = _start(folder, db, _env(batch_size))
    _, err = final.communicate()
    campaign.final_status = final.returncode
    campaign.final = snapshot(str(db))
    campaign.differences = differences(campaign.final, campaign.clean)
    return campaign


def table(campaign: Campaign) -> str:
    """The campaign as Markdown tables."""
    lines = [
        "| kill | how | after (s) | killed | articles stored | stories pending hooks |",
        "|---|---|---|---|---|---|",
    ]
    for i, kill in enumerate(campaign.kills, 1):
        lines.append(
            f"| {i} | {kill.mode} | {kill.seconds:.1f} | {'yes' if kill.killed else 'no (finished)'} | "
            f"{kill.articles} | {kill.pending} |"
        )
    lines += ["", "| part | clean run | after the kills and one last restart: missing | extra |", "|---|---|---|---|"]
    for key, value in campaign.clean.items():
        missing, extra = campaign.differences.get(key, (0, 0))
        lines.append(f"| {key} | {len(value)} | {missing} | {extra} |")
    return "\n".join(lines)


def differing_rows(campaign: Campaign, limit: int = 10) -> list[str]:
    """The rows of each differing part that the final store lacks (-) or has beyond the clean one (+)."""
    lines = []
    for key in campaign.differences:
        want, got = campaign.clean[key], campaign.final[key]
        if isinstance(want, dict):
            missing = sorted(str((k, v)) for k, v in want.items() if got.get(k) != v)
            extra = sorted(str((k, v)) for k, v in got.items() if k not in want or want[k] != v)
        else:
            missing, extra = sorted(map(str, want - got)), sorted(map(str, got - want))
        lines += [f"{key} - {row}" for row in missing[:limit]] + [f"{key} + {row}" for row in extra[:limit]]
    return lines


def main() -> None:
    """Run a campaign and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--pages", type=int, default=40, help="generated pages (without --real)")
    parser.add_argument("--real", default="", help="PAGES,ARTICLES: extraction-dev pages and wikinews-en articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and keep it: pages, both stores")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsfold-kills-") as tmp:
        work = args.keep or Path(tmp)
        if args.real:
            count, articles = (int(n) for n in args.real.split(","))
            pages = real_pages(work / "pages", count, articles)
        else:
            pages = news_pages(work / "pages", args.pages)
        campaign = run_campaign(work / "pages", work, args.kills, args.seed, args.batch_size)
        load = os.getloadavg()[0]
        seconds = campaign.clean_seconds
        print(f"{len(pages)} files, batch size {args.batch_size}, clean run {seconds:.1f} s, load {load:.1f}")
        print(table(campaign))
        print(f"final restart exit status {campaign.final_status}")
        for line in differing_rows(campaign):
            print(line)


if __name__ == "__main__":
    main()
