"""Model downloads through the fetcher: streamed to disk (what `models install NAME` does) vs read into memory.

Run: PYTHONPATH=src python benchmarks/models_download.py [--mb 256]
Serves a file of random bytes from a local server on 127.0.0.1 and fetches it both ways, printing seconds, MB/s and
the peak of Python's allocations (tracemalloc) while fetching; then installs the tiny test model by name from a
local hub end to end (listing, three checked files, install, one load) and prints its time."""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsfold.ingest.fetch import Fetcher, FetchSettings  # noqa: E402
from newsfold.language.hub import HubClient, HubFile, HubModel, download_install  # noqa: E402
from newsfold.language.models import ModelStore  # noqa: E402

TINY = ROOT / "tests" / "fixtures" / "tiny-marian-xx-en"
MB = 1024 * 1024


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Log nothing."""


def serve(folder: Path) -> ThreadingHTTPServer:
    """A threaded server for folder on 127.0.0.1 (port chosen by the system), started in the background."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(action: Callable[[], object]) -> tuple[float, float]:
    """Seconds and peak traced MB while running action."""
    tracemalloc.start()
    start = time.perf_counter()
    action()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / MB
    tracemalloc.stop()
    return seconds, peak


def main() -> None:
    """Build the files, serve them, fetch both ways, install the tiny model by name; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=256, help="size of the big file, in MiB")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsfold-bench-"))
    try:
        repo = work / "hub" / "bench" / "big" / "resolve" / "main"
        repo.mkdir(parents=True)
        digest = hashlib.sha256()
        with (repo / "model.bin").open("wb") as out:
            for _ in range(args.mb):
                block = os.urandom(MB)
                digest.update(block)
                out.write(block)
        tiny_repo = work / "hub" / "bench" / "opus-mt-en-de" / "resolve" / "main"
        shutil.copytree(TINY, tiny_repo)
        api = work / "hub" / "api" / "models" / "bench"
        api.mkdir(parents=True)
        siblings = [{"rfilename": p.name, "size": p.stat().st_size} for p in sorted(TINY.iterdir())]
        (api / "opus-mt-en-de").write_text(json.dumps({"siblings": siblings}), encoding="utf-8")
        server = serve(work / "hub")
        base = f"http://127.0.0.1:{server.server_address[1]}"
        settings = FetchSettings(
            allowed_networks=("127.0.0.1/32",),
            host_delay=0.0,
            obey_robots=False,
            timeout=600.0,
            max_bytes=(args.mb + 1) * MB,
        )
        rows: list[tuple[str, float, float, float]] = []
        with Fetcher(settings) as fetcher:
            client = HubClient(base, fetcher, (args.mb + 1) * MB)
            model = HubModel("big", "bench/big", files=(HubFile("model.bin", args.mb * MB, digest.hexdigest()),))
            into = work / "down"
            into.mkdir()
            seconds, peak = measure(lambda: client.fetch_into(model, model.files[0], into, None))
            rows.append(("streamed to disk, size+sha256 checked", args.mb, seconds, peak))
            seconds, peak = measure(lambda: fetcher.fetch(f"{base}/bench/big/resolve/main/model.bin"))
            rows.append(("Fetcher.fetch into memory", args.mb, seconds, peak))
            store = ModelStore(work / "models")
            tiny = HubModel("opus-mt-en-de", "bench/opus-mt-en-de", source="en", target="de")
            size = sum(p.stat().st_size for p in TINY.iterdir()) / MB
            seconds, peak = measure(lambda: download_install(store, tiny, client))
            rows.append(("install tiny model by name (end to end)", size, seconds, peak))
        server.shutdown()
        print(f"model downloads from a local server on 127.0.0.1, {args.mb} MiB file of random bytes")
        print(f"{'method':<42} {'MiB':>7} {'seconds':>8} {'MiB/s':>8} {'peak MiB':>9}")
        for label, size_mb, seconds, peak in rows:
            print(f"{label:<42} {size_mb:>7.1f} {seconds:>8.2f} {size_mb / seconds:>8.1f} {peak:>9.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
