"""Fetching and WARC ingest speed: a local server with thousands of feeds and pages, and a generated WARC.

Prints a table: pages per second end to end (fetch + extract + fold + store) through `newsfold`'s fetch pass with
politeness off, the guarded fetcher against plain httpx (the anchor) on the same pages, peak memory, and WARC
records per second (newsfold's reader against a bare warcio loop, then end to end). Run:

    PYTHONPATH=src python benchmarks/fetch.py [--feeds 1000] [--per-feed 3] [--warc-records 20000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from tests.ingest.helpers import WORDS  # noqa: E402  (the vocabulary of the ingest tests' synthetic pages)
from warcio.archiveiterator import ArchiveIterator  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from newsfold.engine import ingest  # noqa: E402
from newsfold.ingest import registry  # noqa: E402
from newsfold.ingest.collect import Collector  # noqa: E402
from newsfold.ingest.fetch import Fetcher, FetchSettings  # noqa: E402
from newsfold.ingest.scheduler import SourcePoller  # noqa: E402
from newsfold.ingest.warc import iter_warc  # noqa: E402
from newsfold.model import RawInput  # noqa: E402
from newsfold.store.db import Database  # noqa: E402


def page(feed: int, item: int) -> bytes:
    """A news page of about 3 KB of distinct text, the same for the same (feed, item)."""
    rng = random.Random(feed * 100_003 + item)
    paras = [" ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + "." for _ in range(6)]
    title = f"Report {feed}-{item}: " + " ".join(rng.choice(WORDS) for _ in range(5))
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Bench Gazette</footer></body></html>"
    ).encode()


def feed(base: str, feed_id: int, per_feed: int) -> bytes:
    """An RSS feed of per_feed entries leading to pages."""
    items = "".join(
        f"<item><title>Item {feed_id}-{i}</title><link>{base}/page/{feed_id}/{i}</link>"
        "<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>"
        for i in range(per_feed)
    )
    channel = f"<channel><title>Feed {feed_id}</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def serve(per_feed: int) -> tuple[ThreadingHTTPServer, str]:
    """A threaded local server of feeds (/feed/N.xml) and pages (/page/N/M), bound to 127.0.0.1."""

    class Handler(BaseHTTPRequestHandler):
        """Feeds and pages made on request from their paths."""

        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            """Answer one GET."""
            parts = self.path.strip("/").split("/")
            if parts[0] == "feed":
                body, kind = feed(base, int(parts[1].split(".")[0]), per_feed), "application/rss+xml"
            elif parts[0] == "page":
                body, kind = page(int(parts[1]), int(parts[2])), "text/html; charset=utf-8"
            else:
                body, kind = b"not found", "text/plain"
            self.send_response(200 if parts[0] in ("feed", "page") else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Stay quiet."""
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_rate(fn: Callable[[], int], runs: int = 2) -> float:
    """Items per second of fn, the best of a few runs (the first pays for warm caches)."""
    best = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        count = fn()
        best = max(best, count / (time.perf_counter() - start))
    return best


def bench_fetch_only(base: str, urls: list[str], workers: int) -> tuple[float, float]:
    """Pages per second: the guarded fetcher and plain httpx, same pages, same threads."""
    settings = FetchSettings(allowed_networks=("127.0.0.1/32",), host_delay=0.0, host_concurrency=workers)
    settings = FetchSettings(**{**{k: getattr(settings, k) for k in settings.__slots__}, "obey_robots": False})
    with Fetcher(settings) as fetcher, ThreadPoolExecutor(workers) as pool:
        ours = best_rate(lambda: len(list(pool.map(lambda u: fetcher.fetch(u).body, urls))))
    with httpx.Client(limits=httpx.Limits(max_connections=64)) as client, ThreadPoolExecutor(workers) as pool:
        anchor = best_rate(lambda: len(list(pool.map(lambda u: client.get(u).content, urls))))
    return ours, anchor


def bench_end_to_end(base: str, feeds: int, workers: int, tmp: Path) -> tuple[int, int, float]:
    """A fetch pass over every feed into a fresh database: (sources, new articles, seconds)."""
    db = Database(tmp / "bench.db")
    with db.write() as conn:
        for i in range(feeds):
            registry.add_source(conn, f"{base}/feed/{i}.xml", name=f"Feed {i}")
    settings = FetchSettings(
        allowed_networks=("127.0.0.1/32",), host_delay=0.0, host_concurrency=workers, obey_robots=False
    )
    with Fetcher(settings) as fetcher:
        poller = SourcePoller(db, Collector(fetcher, max_items=1000), ingest=ingest, workers=workers, batch_size=64)
        start = time.perf_counter()
        results = poller.run_pass()
        seconds = time.perf_counter() - start
    db.close()
    failed = sum(r.failed for r in results)
    if failed:
        print(f"warning: {failed} failures in the fetch pass", file=sys.stderr)
    return len(results), sum(r.new for r in results), seconds


def write_warc(path: Path, records: int) -> None:
    """A gzipped WARC of HTML responses (each preceded by its request record)."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i in range(records):
            url = f"http://warc.example/page/{i}"
            body = page(i // 10, i % 10)
            request = writer.create_warc_record(
                url,
                "request",
                payload=BytesIO(b""),
                length=0,
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "warc.example")], is_http_request=True),
            )
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
            writer.write_record(record)


def bench_warc(tmp: Path, records: int, ingest_records: int) -> dict[str, float]:
    """WARC records/s: newsfold's reader vs a bare warcio loop; reader memory; records/s ingested end to end."""
    path = tmp / "bench.warc.gz"
    write_warc(path, records)

    def bare() -> int:
        """Response records read by a bare warcio loop."""
        with path.open("rb") as handle:
            return sum(1 for r in ArchiveIterator(handle) if r.rec_type == "response" and r.content_stream().read())

    def ours() -> int:
        """HTML pages read by newsfold's reader."""
        return sum(1 for item in iter_warc(path) if isinstance(item, RawInput))

    anchor, reader = best_rate(bare), best_rate(ours)
    tracemalloc.start()
    sum(1 for _ in iter_warc(path))
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    small = tmp / "small.warc.gz"
    write_warc(small, ingest_records)
    db = Database(tmp / "warc.db")
    start = time.perf_counter()
    report = ingest(db, iter_warc(small))
    e2e = report.new / (time.perf_counter() - start)
    db.close()
    return {"reader": reader, "anchor": anchor, "peak_mb": peak, "e2e": e2e, "records": records, "new": report.new}


def main() -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--per-feed", type=int, default=3)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--warc-records", type=int, default=20000)
    parser.add_argument("--warc-ingest", type=int, default=1000)
    args = parser.parse_args()
    server, base = serve(args.per_feed)
    rows: list[tuple[str, str, str, str]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="newsfold-bench-") as folder:
            tmp = Path(folder)
            urls = [f"{base}/page/{i}/{j}" for i in range(args.feeds) for j in range(args.per_feed)][:2000]
            ours, anchor = bench_fetch_only(base, urls, args.workers)
            rows.append(("fetch only, pages/s", f"{ours:.0f}", f"{anchor:.0f} (httpx)", f"{ours / anchor:.2f}"))
            rss_before = rss_mb()
            sources, new, seconds = bench_end_to_end(base, args.feeds, args.workers, tmp)
            rows.append((f"end to end, {sources} feeds -> {new} pages, pages/s", f"{new / seconds:.1f}", "", ""))
            rows.append(("end to end, seconds", f"{seconds:.1f}", "", ""))
            rows.append(("peak RSS during the pass, MB", f"{rss_mb():.0f}", f"{rss_before:.0f} before", ""))
            warc = bench_warc(tmp, args.warc_records, args.warc_ingest)
            rows.append(
                (
                    f"WARC read, {warc['records']:.0f} records/s",
                    f"{warc['reader']:.0f}",
                    f"{warc['anchor']:.0f} (bare warcio)",
                    f"{warc['reader'] / warc['anchor']:.2f}",
                )
            )
            rows.append(("WARC read, peak traced memory, MB", f"{warc['peak_mb']:.1f}", "", ""))
            rows.append((f"WARC ingest end to end ({warc['new']:.0f} new), records/s", f"{warc['e2e']:.1f}", "", ""))
    finally:
        server.shutdown()
    widths = [max(len(r[i]) for r in [*rows, ("measure", "newsfold", "anchor", "ratio")]) for i in range(4)]
    header = ("measure", "newsfold", "anchor", "ratio")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
