"""The LSH index's query cost as the index grows: microseconds per document to query and to add, and where it goes.

Run: PYTHONPATH=src python benchmarks/lsh_query.py --sizes 10000,1000000 [--profile]

Random band keys (the worst case for locality: every key lands anywhere in the sorted runs); the index is filled to
size - 20,000 in large batches, then the last 20,000 documents are queried (LshIndex.query_earlier) and added in
ingest's batches of 64. Times are CPU time of this process (the machine is shared; wall time moves with its load).
With --profile, the query's five costliest functions (cProfile, internal time).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np

from newsfold.fold.features.lsh import BANDS, LshIndex

TIMED = 20_000
BATCH = 64
CANDIDATES = 12


def measure(size: int, profile: bool) -> tuple[int, float, float]:
    """Runs in the index, and query and add CPU microseconds per document over the last TIMED documents."""
    rng = np.random.default_rng(1)
    index = LshIndex()
    warm = max(0, size - TIMED)
    for start in range(0, warm, 50_000):
        count = min(50_000, warm - start)
        index.add_many(list(range(start, start + count)), rng.integers(1, 2**63, (count, BANDS), dtype=np.uint64))
    profiler = cProfile.Profile()
    query = add = 0.0
    for start in range(warm, size, BATCH):
        docs = list(range(start, min(start + BATCH, size)))
        keys = rng.integers(1, 2**63, (len(docs), BANDS), dtype=np.uint64)
        began = time.process_time()
        if profile:
            profiler.enable()
        index.query_earlier(keys, docs, CANDIDATES)
        if profile:
            profiler.disable()
        queried = time.process_time()
        index.add_many(docs, keys)
        query, add = query + queried - began, add + time.process_time() - queried
    if profile:
        print(f"-- query profile at {size:,} documents")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(5)
    timed = size - warm
    return len(index.runs), query / timed * 1e6, add / timed * 1e6


def main() -> None:
    """Print one row per index size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    rows = [(size, *measure(size, args.profile)) for size in map(int, args.sizes.split(","))]
    print("| documents in the index | sorted runs | query us/doc (CPU) | add us/doc (CPU) |")
    print("|---:|---:|---:|---:|")
    for size, runs, query, add in rows:
        print(f"| {size:,} | {runs} | {query:.0f} | {add:.0f} |")


if __name__ == "__main__":
    main()
