"""Web latency under load: the site served by uvicorn on loopback, driven by 100 concurrent keep-alive clients.

Run: PYTHONPATH=src python benchmarks/make_db.py            (once: benchmarks/out/web-100k.db, 100,000 articles)
     PYTHONPATH=src python benchmarks/web.py [--db PATH] [--clients 100] [--seconds 8]

For each endpoint it prints requests/s, the client-side p50/p99 (socket to socket: queueing in the kernel and the
event loop included), the server-side p50/p99 (Server-Timing "app": from the request entering the ASGI app to its
response start, so it includes the wait for a worker thread and for the event loop) and the handler p50/p99
(Server-Timing "handler": the page's own work, i.e. its stamp read, cache look-up and, on a miss, the build on the
worker thread's read connection, database and template, without any wait). Story rows: "warm" cycles over 300
stories, each visited once before the measured run (the response cache holds them); "cold" asks for a story never
asked before on every request (not in the response cache: the page the story hook rendered ahead is read from
story_pages while its stamp holds), once with all clients and once with one; "cold, live build" asks cold stories
with ?lang=original, a page nothing rendered ahead (database, stored differences and cards, template, at most
`web.live_builds` at once). The run is bounded: each endpoint stops after --seconds or --max-requests (cold rows
after --cold-requests, so that every request finds a story not asked before).

With --ingest DIR, `newsfold ingest DIR` runs into the same store while the endpoints are driven (started once the
server is up; the "ingest" column says whether it was still running when the row ended). Generate pages for it with
`benchmarks/ingest.py --keep-pages DIR --generated N`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "benchmarks" / "out" / "web-100k.db"


@dataclass(slots=True)
class Result:
    """Latencies of one endpoint's run."""

    name: str
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)
    handler_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    ingesting: bool = False


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def fetch(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> tuple[int, float | None, float | None]:
    """One keep-alive HTTP/1.1 GET: the status and the Server-Timing app and handler durations."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: */*\r\n\r\n".encode("ascii"))
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length, server, handler = 0, None, None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "server-timing":
            for metric in value.split(","):
                label, _, duration = metric.strip().partition(";dur=")
                if label == "app" and duration:
                    server = float(duration.split(";")[0])
                elif label == "handler" and duration:
                    handler = float(duration.split(";")[0])
    await reader.readexactly(length)
    return status, server, handler


async def drive(port: int, name: str, paths: Callable[[int], str], clients: int, seconds: float, cap: int) -> Result:  # noqa: PLR0913  one load run's endpoint and limits, as the command line gives them
    """Run clients concurrent connections against one endpoint until the time or request cap is reached."""
    result = Result(name)
    counter = iter(range(cap))
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        """One connection issuing requests back to back."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for n in counter:
                if time.perf_counter() > deadline:
                    break
                started = time.perf_counter()
                status, server, handler = await fetch(reader, writer, paths(n))
                result.client_ms.append((time.perf_counter() - started) * 1000)
                if status != 200:
                    result.errors += 1
                if server is not None:
                    result.server_ms.append(server)
                if handler is not None:
                    result.handler_ms.append(handler)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


SERVE = """
import sys, uvicorn
from newsfold.store.db import Database
from newsfold.web.app import create_app
db, port, loop, http = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
uvicorn.run(create_app(Database(db)), host="127.0.0.1", port=port, loop=loop, http=http, log_level="warning")
"""


def start_server(db: Path, port: int, loop: str, http: str) -> subprocess.Popen[bytes]:
    """The site under uvicorn on loopback (as `newsfold serve` runs it), waited for until it accepts connections."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-c", SERVE, str(db), str(port), loop, http]
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return process
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def start_ingest(db: Path, pages: Path) -> subprocess.Popen[bytes]:
    """`newsfold ingest pages --db db` in the background (its output discarded)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [sys.executable, "-m", "newsfold.cli", "ingest", str(pages), "--db", str(db)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def sample(db: Path) -> tuple[list[str], list[str], int]:
    """Story ids to visit (recent ones first, as readers do), a few search words, and the article count."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        recent = [
            r[0] for r in conn.execute("SELECT id FROM stories WHERE size > 0 ORDER BY last_updated DESC LIMIT 5000")
        ]
        others = [r[0] for r in conn.execute("SELECT id FROM stories WHERE size > 0 ORDER BY random()")]
        titles = [r[0] for r in conn.execute("SELECT title FROM stories ORDER BY random() LIMIT 50")]
        count = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    finally:
        conn.close()
    words = [t.split()[0].lower() for t in titles if t]
    rng = random.Random(3)
    rng.shuffle(recent)
    return recent + [i for i in others if i not in set(recent)], words, count


def main() -> int:
    """Start the server, drive each endpoint, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--only", default="", help="run only the endpoints whose name contains this text")
    parser.add_argument("--cold-requests", type=int, default=8_000, help="cap of each cold row (stories not reused)")
    parser.add_argument("--loop", default="auto", help="uvicorn event loop: auto (uvloop when installed) or asyncio")
    parser.add_argument("--http", default="auto", help="uvicorn HTTP parser: auto (httptools when installed) or h11")
    parser.add_argument("--ingest", type=Path, default=None, help="ingest this folder into the store meanwhile")
    args = parser.parse_args()
    if not args.db.exists():
        print(
            f"{args.db}: no such database; make one with: PYTHONPATH=src python benchmarks/make_db.py", file=sys.stderr
        )
        return 2
    stories, words, count = sample(args.db)
    warm = stories[:300]
    cold = stories[300:]
    fresh = itertools.count()
    port = free_port()
    server = start_server(args.db, port, args.loop, args.http)
    plan: list[tuple[str, Callable[[int], str]]] = [
        ("/ (latest)", lambda n: "/"),
        ("/stories/{id} warm", lambda n: f"/stories/{warm[n % len(warm)]}"),
        ("/stories/{id} cold", lambda n: f"/stories/{cold[next(fresh) % len(cold)]}"),
        ("/stories/{id} cold, 1 client", lambda n: f"/stories/{cold[next(fresh) % len(cold)]}"),
        ("/stories/{id} cold, live build", lambda n: f"/stories/{cold[next(fresh) % len(cold)]}?lang=original"),
        ("/api/stories", lambda n: "/api/stories"),
        ("/api/stories/{id} warm", lambda n: f"/api/stories/{warm[n % len(warm)]}"),
        ("/api/stories/{id} cold", lambda n: f"/api/stories/{cold[next(fresh) % len(cold)]}"),
        ("/trending", lambda n: "/trending"),
        ("/search?q= (20 words)", lambda n: f"/search?q={words[n % 20]}"),
        ("/feeds/latest.atom", lambda n: "/feeds/latest.atom"),
    ]
    plan = [(name, paths) for name, paths in plan if args.only in name]
    results = []
    ingest = start_ingest(args.db, args.ingest) if args.ingest else None
    started = time.monotonic()
    try:
        for name, paths in plan:
            # a first pass loads every code path; warm rows first visit each of their stories once
            prewarm = len(warm) if name.endswith("warm") else 20
            asyncio.run(drive(port, name, paths, 2, 120.0, prewarm))
            clients = 1 if name.endswith("1 client") else args.clients
            cap = args.cold_requests if " cold" in name else args.max_requests
            results.append(asyncio.run(drive(port, name, paths, clients, args.seconds, cap)))
            results[-1].ingesting = ingest is not None and ingest.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=20)
        if ingest is not None:
            running = ingest.poll() is None
            status = "still running (stopped)" if running else f"done after {time.monotonic() - started:.0f} s"
            ingest.terminate()
            ingest.wait(timeout=60)
            print(f"ingest of {args.ingest} into the store: {status}")
    setup = f"one uvicorn worker (loop {args.loop}, http {args.http})"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nweb: {count:,} articles, {args.clients} concurrent clients, {setup}, {os.cpu_count()} cores")
    print(f"load average at the end (1, 5, 15 min): {load}; cold pool {len(cold):,} stories, {next(fresh):,} used\n")
    print(
        f"| {'endpoint':<31} | {'requests':>8} | {'req/s':>7} | {'client p50':>10} | {'client p99':>10} | "
        f"{'server p50':>10} | {'server p99':>10} | {'handler p50':>11} | {'handler p99':>11} | errors | ingest |"
    )
    print(
        f"|{'-' * 33}|{'-' * 10}|{'-' * 9}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 12}|{'-' * 13}|{'-' * 13}|"
        "--------|--------|"
    )
    for r in results:
        print(
            f"| {r.name:<31} | {len(r.client_ms):>8} | {len(r.client_ms) / r.seconds:>7.0f} | "
            f"{percentile(r.client_ms, 50):>7.1f} ms | {percentile(r.client_ms, 99):>7.1f} ms | "
            f"{percentile(r.server_ms, 50):>7.2f} ms | {percentile(r.server_ms, 99):>7.2f} ms | "
            f"{percentile(r.handler_ms, 50):>8.2f} ms | {percentile(r.handler_ms, 99):>8.2f} ms | {r.errors:>6} | "
            f"{'yes' if r.ingesting else 'no':>6} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
