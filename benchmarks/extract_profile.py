"""Where newsfold's HTML extraction spends its time on the development pages: a table per stage, and cProfile's.

    python benchmarks/extract_profile.py [--data DIR] [--rounds N] [--cprofile N]

One Extractor reads every page of ../shared/data/extraction-dev in turn (trafilatura's stoplists loaded first, as
they are in benchmarks/extract.py). The stage table times each step of HtmlExtractor.read (wrapped for the run, CPU
seconds per pass over the pages, averaged over --rounds passes); with --cprofile N it then profiles one pass and
prints the N functions of most own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura

from newsfold.extract import dom, html
from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import load_dev_pages
from newsfold.model import Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
# the steps timed: (module or class, attribute, label); nested ones are shares of the step they run in (the
# document's language, a method the extractor holds bound, is timed on the extractor)
STAGES: tuple[tuple[Any, str, str], ...] = (
    (html, "bound_markup", "markup bound (extract/markup.py)"),
    (html, "LexborHTMLParser", "lexbor parse"),
    (html, "read_meta", "metadata (extract/htmlmeta.py)"),
    (html, "shown_summaries", "standfirst search"),
    (html, "read_dom", "DOM pass (extract/dom.py)"),
    (dom, "container_candidates", "  of it: container candidates"),
    (dom, "_clean_container", "  of it: furniture removed"),
    (dom, "_read_blocks", "  of it: blocks read"),
    (dom, "block_evidence", "  of it: block evidence"),
    (html, "_trafilatura", "trafilatura's cascade"),
    (html, "embedded_body", "embedded payloads"),
    (html, "_alt_captions", "alt-text captions"),
    (html.HtmlExtractor, "_article", "article (metadata, kinds, languages)"),
    (html, "label_article", "  of it: paragraph languages"),
    (None, "", "  of it: document language"),
    (html, "_page_counts", "page counts (kind evidence)"),
    (html.HtmlExtractor, "_suspicious", "fast result checked"),
    (html, "missing_standfirst", "standfirst added"),
)


def _timed(spent: dict[str, float], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """function, adding its CPU seconds to spent[label]."""

    def run(*args: Any, **kwargs: Any) -> Any:
        """Call function and count its time."""
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - start

    return run


def stage_table(extractor: Extractor, raws: list[RawInput], rounds: int) -> None:
    """Print the CPU seconds per pass spent in each stage and its share of the whole."""
    spent: dict[str, float] = defaultdict(float)
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in STAGES if owner is not None]
    sure = extractor._html._sure
    try:
        extractor._html._sure = _timed(spent, "  of it: document language", sure) if sure is not None else None
        for owner, name, label in STAGES:
            if owner is None:
                continue
            function = owner.__dict__[name]
            wrapped = _timed(spent, label, function.__func__ if isinstance(function, staticmethod) else function)
            setattr(owner, name, staticmethod(wrapped) if isinstance(function, staticmethod) else wrapped)
        start = time.process_time()
        for _ in range(rounds):
            for raw in raws:
                extractor(raw)
        total = (time.process_time() - start) / rounds
    finally:
        extractor._html._sure = sure
        for owner, name, function in saved:
            setattr(owner, name, function)
    print(f"{len(raws)} pages, {total:.2f} CPU s per pass ({len(raws) / total:.0f} pages/s), {rounds} passes\n")
    print("| stage | s per pass | share |\n|---|---:|---:|")
    for _, _, label in STAGES:
        print(f"| {label} | {spent[label] / rounds:.3f} | {spent[label] / rounds / total:.1%} |")


def main(argv: list[str] | None = None) -> int:
    """Print the stage table and, if asked, cProfile's table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the pages for the stage table")
    parser.add_argument("--cprofile", type=int, default=0, help="then profile one pass: print N functions")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data}: no such folder", file=sys.stderr)
        return 2
    pages = list(load_dev_pages(args.data))
    raws = [RawInput(Origin(p.name, media_type="text/html"), p.html, media_type="text/html", url=p.url) for p in pages]
    extractor = Extractor()
    trafilatura.extract(pages[0].html)  # its stoplists load once, as in benchmarks/extract.py
    for raw in raws[:3]:
        extractor(raw)
    stage_table(extractor, raws, args.rounds)
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        for raw in raws:
            extractor(raw)
        profile.disable()
        print()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
