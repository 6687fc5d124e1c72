"""Many readers at once: the reading site, the Google Reader API and Fever under concurrent clients, per backend.

Builds a store as benchmarks/reading.py does (--articles articles in stories over --sources registered sources,
--users users each following 3-30 sources, a third of their stories read, some saved, one source marked read), gives
every user a site session, a Google Reader token and a Fever key, serves it with `newsfold serve` in its own process
on 127.0.0.1, and drives it for --seconds with --clients concurrent clients, each signed in as one of the users
(round robin), picking requests from the mix below by weight. Each backend gets the same store (same seed).

    PYTHONPATH=src python benchmarks/reader_load.py [--backend sqlite|postgresql|both] [--articles 20000]
        [--users 100] [--clients 100] [--seconds 30] [--json FILE]

PostgreSQL is a throwaway server started from Debian's binaries (tests/postgres_server.py), or --pg-url. The SQLite
store is kept in ~/.cache/newsfold-bench (keyed by its parameters) and reused. Logins (ClientLogin, the login form)
are not in the mix: each costs one argon2 verification by design and is rate-limited per address; the tests drive
them. It prints, per backend, requests, errors, p50/p95/p99 milliseconds per endpoint and the requests per second,
then PostgreSQL's p99 over SQLite's per endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.reading import add_users, build  # noqa: E402

from newsfold.accounts.tokens import new_token, token_digest  # noqa: E402
from newsfold.store import accounts, streams  # noqa: E402
from newsfold.store.backends import open_database  # noqa: E402
from newsfold.store.base import Backend  # noqa: E402
from newsfold.store.streams import StreamQuery  # noqa: E402
from newsfold.web.auth import SESSION_COOKIE  # noqa: E402
from newsfold.web.csrf import session_csrf  # noqa: E402
from newsfold.web.reading import enable_fever  # noqa: E402

CACHE = Path.home() / ".cache" / "newsfold-bench"
GREADER = "/api/greader/reader/api/0"
READING_LIST = "user/-/state/com.google/reading-list"
ITEM = "tag:google.com,2005:reader/item/{:016x}"


@dataclass(slots=True)
class Reader:
    """One user's credentials and a sample of their stories."""

    name: str
    session: str
    greader: str
    fever: str
    stories: list[str]
    items: list[int]


@dataclass(slots=True)
class Stats:
    """What one endpoint answered."""

    times: list[float] = field(default_factory=list)
    errors: int = 0

    def row(self) -> dict[str, float]:
        """Requests, errors and percentiles (milliseconds)."""
        ordered = sorted(self.times) or [0.0]

        def at(share: float) -> float:
            """The share-th percentile."""
            return ordered[min(len(ordered) - 1, int(len(ordered) * share))]

        return {
            "requests": len(self.times),
            "errors": self.errors,
            "p50": statistics.median(ordered),
            "p95": at(0.95),
            "p99": at(0.99),
        }


def credentials(db: Backend, user_names: list[str]) -> list[Reader]:
    """A session, a Google Reader token and a Fever key per user, and fifty of their stories."""
    readers = []
    now = datetime.now(UTC)
    with db.write() as conn:
        for name in user_names:
            user = accounts.user_by_name(conn, name)
            assert user is not None, name
            session, greader, password = new_token(), new_token(), new_token()
            expires = (now + timedelta(days=1)).isoformat()
            accounts.add_token(conn, user.id, "web", token_digest(session), now=now.isoformat(), expires=expires)
            accounts.add_token(conn, user.id, "greader", token_digest(greader), now=now.isoformat(), expires=None)
            enable_fever(conn, user, password)
            page = streams.stream(conn, StreamQuery(user_id=user.id, limit=50))
            fever = hashlib.md5(f"{name}:{password}".encode()).hexdigest()
            readers.append(Reader(name, session, greader, fever, [i.story_id for i in page], [i.item for i in page]))
    return readers


def build_store(location: str, articles: int, sources: int, users: int) -> list[Reader]:
    """Fill the store at location (if it is empty) and return its readers' credentials."""
    db = open_database(location)
    try:
        with db.read() as conn:
            known = accounts.count_users(conn)
        if known == 0:
            rng = random.Random(7)
            started = time.perf_counter()
            source_ids = build(db, articles, sources, rng)  # type: ignore[arg-type]
            add_users(db, users, source_ids, rng)  # type: ignore[arg-type]
            print(f"built {articles:,} articles and {users} users in {time.perf_counter() - started:.0f} s", flush=True)
        return credentials(db, [f"user{u}" for u in range(users)])
    finally:
        db.close()


@contextmanager
def served(location: str) -> Iterator[str]:
    """`newsfold serve` over location in its own process on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "newsfold.cli", "serve", "--db", location, "--port", str(port)]
    log = tempfile.TemporaryFile()  # noqa: SIM115  the server's stderr, open as long as the server runs
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"newsfold serve did not start: {log.read().decode(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def mix() -> list[tuple[str, int, Callable[[httpx.AsyncClient, Reader, random.Random], object]]]:
    """The endpoints, their weights, and how a client calls each."""

    def cookie(r: Reader) -> dict[str, str]:
        """The reader's session cookie."""
        return {"Cookie": f"{SESSION_COOKIE}={r.session}"}

    def gauth(r: Reader) -> dict[str, str]:
        """The reader's Google Reader header."""
        return {"Authorization": f"GoogleLogin auth={r.greader}"}

    def item(r: Reader, rng: random.Random) -> str:
        """One of the reader's items in Google Reader's long form."""
        return ITEM.format(rng.choice(r.items)) if r.items else ITEM.format(1)

    def story(r: Reader, rng: random.Random) -> str:
        """One of the reader's stories."""
        return rng.choice(r.stories) if r.stories else "none"

    return [
        ("site /reading/unread", 8, lambda c, r, g: c.get("/reading/unread", headers=cookie(r))),
        ("site /reading/stories/{id}", 6, lambda c, r, g: c.get(f"/reading/stories/{story(r, g)}", headers=cookie(r))),
        ("site /reading/subscriptions", 2, lambda c, r, g: c.get("/reading/subscriptions", headers=cookie(r))),
        (
            "site POST mark read",
            3,
            lambda c, r, g: c.post(
                f"/reading/stories/{story(r, g)}/read",
                headers={**cookie(r), "X-CSRF-Token": session_csrf(r.session)},
            ),
        ),
        ("site / (anonymous)", 4, lambda c, r, g: c.get("/")),
        ("site /stories/{id} (anonymous)", 4, lambda c, r, g: c.get(f"/stories/{story(r, g)}")),
        (
            "greader reading-list 20",
            10,
            lambda c, r, g: c.get(f"{GREADER}/stream/contents/{READING_LIST}?n=20", headers=gauth(r)),
        ),
        ("greader unread-count", 6, lambda c, r, g: c.get(f"{GREADER}/unread-count?output=json", headers=gauth(r))),
        (
            "greader item ids 1000",
            4,
            lambda c, r, g: c.get(f"{GREADER}/stream/items/ids?s={READING_LIST}&n=1000", headers=gauth(r)),
        ),
        (
            "greader edit-tag read",
            5,
            lambda c, r, g: c.post(
                f"{GREADER}/edit-tag", data={"i": item(r, g), "a": "user/-/state/com.google/read"}, headers=gauth(r)
            ),
        ),
        (
            "greader edit-tag starred",
            2,
            lambda c, r, g: c.post(
                f"{GREADER}/edit-tag", data={"i": item(r, g), "a": "user/-/state/com.google/starred"}, headers=gauth(r)
            ),
        ),
        ("fever items", 4, lambda c, r, g: c.post("/api/fever/?api&items", data={"api_key": r.fever})),
        ("fever unread ids", 3, lambda c, r, g: c.post("/api/fever/?api&unread_item_ids", data={"api_key": r.fever})),
        (
            "fever mark item read",
            2,
            lambda c, r, g: c.post(
                f"/api/fever/?api&mark=item&as=read&id={g.choice(r.items) if r.items else 1}",
                data={"api_key": r.fever},
            ),
        ),
    ]


@dataclass(slots=True)
class Run:
    """What the clients of one run share: when to stop, how many requests are left, and what they measured."""

    deadline: float
    left: int
    stats: dict[str, Stats] = field(default_factory=dict)


async def _client(base: str, reader: Reader, seed: int, run: Run) -> None:
    """One client: requests from the mix until the deadline (or the run's request budget is spent)."""
    rng = random.Random(seed)
    endpoints = mix()
    weights = [w for _, w, _ in endpoints]
    async with httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False) as client:
        while time.monotonic() < run.deadline and run.left > 0:
            run.left -= 1
            name, _, call = rng.choices(endpoints, weights)[0]
            started = time.perf_counter()
            try:
                reply = await call(client, reader, rng)  # type: ignore[misc]
                ok = reply.status_code < 400
            except httpx.HTTPError:
                ok = False
            entry = run.stats.setdefault(name, Stats())
            entry.times.append((time.perf_counter() - started) * 1000)
            entry.errors += 0 if ok else 1


def run_load(base: str, readers: list[Reader], clients: int, seconds: float, requests: int) -> dict[str, Stats]:
    """Drive the site with concurrent clients; the statistics per endpoint."""

    async def everyone() -> Run:
        """All clients at once."""
        run = Run(time.monotonic() + seconds, requests)
        await asyncio.gather(*(_client(base, readers[i % len(readers)], i, run) for i in range(clients)))
        return run

    return asyncio.run(everyone()).stats


def measure(location: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Build, serve and load one backend's store; its table as rows."""
    readers = build_store(location, args.articles, args.sources, args.users)
    with served(location) as base:
        started = time.perf_counter()
        stats = run_load(base, readers, args.clients, args.seconds, args.requests)
        wall = time.perf_counter() - started
    rows = {name: stats[name].row() for name, _, _ in mix() if name in stats}
    every = Stats([t for s in stats.values() for t in s.times], sum(s.errors for s in stats.values()))
    rows["all"] = {**every.row(), "per_second": len(every.times) / wall}
    return rows


def print_table(backend: str, rows: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    """One backend's table."""
    print(
        f"\n{backend}: {args.articles:,} articles, {args.users} users, {args.clients} clients, {args.seconds:g} s, "
        f"{rows['all']['per_second']:.0f} requests/s, {int(rows['all']['errors'])} errors"
    )
    print("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        print(
            f"| {name} | {int(row['requests'])} | {int(row['errors'])} | {row['p50']:.1f} | {row['p95']:.1f} "
            f"| {row['p99']:.1f} |"
        )


def sqlite_location(args: argparse.Namespace) -> str:
    """The cached SQLite store's path for these parameters."""
    CACHE.mkdir(parents=True, exist_ok=True)
    return str(CACHE / f"reader-load-{args.articles}-{args.sources}-{args.users}.db")


def main() -> None:
    """Measure each backend asked for, print the tables and the p99 ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--sources", type=int, default=300)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--requests", type=int, default=10**9, help="stop after this many requests in all")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database to fill (default: a throwaway server)")
    parser.add_argument("--json", type=Path, help="write the tables here as JSON")
    args = parser.parse_args()
    tables: dict[str, dict[str, dict[str, float]]] = {}
    if args.backend in ("sqlite", "both"):
        tables["sqlite"] = measure(sqlite_location(args), args)
        print_table("sqlite", tables["sqlite"], args)
    if args.backend in ("postgresql", "both"):
        if args.pg_url:
            tables["postgresql"] = measure(args.pg_url, args)
        else:
            from tests.postgres_server import PostgresServer, binaries  # noqa: PLC0415  only with PostgreSQL

            bin_dir = binaries()
            if bin_dir is None:
                sys.exit("reader_load: no PostgreSQL binaries (apt-get install postgresql) and no --pg-url")
            server = PostgresServer(bin_dir)
            try:
                tables["postgresql"] = measure(server.fresh(), args)
            finally:
                server.stop()
        print_table("postgresql", tables["postgresql"], args)
    if len(tables) == 2:
        print("\n| endpoint | p99 PostgreSQL / SQLite |\n|---|---:|")
        for name, row in tables["sqlite"].items():
            other = tables["postgresql"].get(name)
            if other and row["p99"]:
                print(f"| {name} | {other['p99'] / row['p99']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(tables, indent=1))


if __name__ == "__main__":
    main()
