"""Extraction quality and speed on the development pages: newsfold against trafilatura's default, same run.

    python benchmarks/extract.py [--data DIR] [--limit N]

For every page of ../shared/data/extraction-dev (HTML with expected bodies) it scores the body text (token-level
precision, recall, F1 against summary + crossheads + paragraphs; captions excluded) and times the extraction:
trafilatura.extract with its defaults, and newsfold on the same bytes. It then turns each page into a scraped-text
dump (all visible text, one block a line, as scrapers save it) and scores newsfold's plain-text cleaner on it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import trafilatura

from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import DevPage, Score, load_dev_pages, mean_score, score, scored_text, text_dump
from newsfold.model import Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
# a dump that lacks half of the expected words was rendered by scripts: no cleaner can find the article in it
MIN_DUMP_RECALL = 0.5


def _raw(page: DevPage, data: bytes, media_type: str) -> RawInput:
    """A page's bytes as an input."""
    return RawInput(Origin(page.name, media_type=media_type), data, media_type=media_type, url=page.url)


def run_html(pages: list[DevPage], extractor: Extractor) -> tuple[Score, float, Score, float]:
    """trafilatura.extract (defaults) and newsfold on the same bytes, page by page in turn (so that load on the
    machine weighs on both alike): mean scores and pages per second of each."""
    theirs: list[Score] = []
    ours: list[Score] = []
    their_time = our_time = 0.0
    for page in pages:
        expected = "\n".join(page.body)
        start = time.perf_counter()
        text = trafilatura.extract(page.html, url=page.url) or ""
        middle = time.perf_counter()
        documents = extractor(_raw(page, page.html, "text/html"))
        end = time.perf_counter()
        their_time += middle - start
        our_time += end - middle
        theirs.append(score(text, expected))
        ours.append(score(scored_text([p for d in documents for p in d.paragraphs]), expected))
    return mean_score(theirs), len(pages) / their_time, mean_score(ours), len(pages) / our_time


def run_newsfold_text(pages: list[DevPage], extractor: Extractor) -> tuple[Score, float, int]:
    """newsfold's cleaner on scraped-text dumps of the pages: mean score, pages per second, pages scored."""
    scores = []
    elapsed = 0.0
    for page in pages:
        dump = text_dump(page.html)
        expected = "\n".join(page.body)
        if score(dump, expected).recall < MIN_DUMP_RECALL:
            continue
        start = time.perf_counter()
        documents = extractor(_raw(page, dump.encode("utf-8"), "text/plain"))
        elapsed += time.perf_counter() - start
        paragraphs = [p for d in documents if d.kind != "other" for p in d.paragraphs]
        scores.append(score(scored_text(paragraphs), expected))
    return mean_score(scores), len(scores) / elapsed if elapsed else 0.0, len(scores)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"development data {args.data} is absent: nothing to measure", file=sys.stderr)
        return 2
    pages = list(load_dev_pages(args.data))
    if args.limit:
        pages = pages[: args.limit]
    extractor = Extractor()
    extractor(_raw(pages[0], pages[0].html, "text/html"))  # warm up: models and stoplists load once
    traf, traf_speed, ours, our_speed = run_html(pages, extractor)
    text, text_speed, text_pages = run_newsfold_text(pages, extractor)
    rows = [
        ("trafilatura 2 (default)", "HTML", len(pages), traf, traf_speed),
        ("newsfold", "HTML", len(pages), ours, our_speed),
        ("newsfold", "scraped text", text_pages, text, text_speed),
    ]
    print(f"| extractor | input | pages | precision | recall | F1 | pages/s |\n|{'---|' * 7}")
    for name, kind, count, result, speed in rows:
        print(
            f"| {name} | {kind} | {count} | {result.precision:.3f} | {result.recall:.3f} | {result.f1:.3f} "
            f"| {speed:.1f} |"
        )
    print(f"\nnewsfold HTML: F1 {ours.f1 - traf.f1:+.3f} against trafilatura, {our_speed / traf_speed:.1f}x its speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
