"""Extraction quality and speed on the development pages: newsfold against trafilatura (default and fast), same run.

    python benchmarks/extract.py [--data DIR] [--limit N] [--no-kinds] [--per-page OUT.jsonl] [--compare OLD.jsonl]

For every page of ../shared/data/extraction-dev (HTML with expected bodies) it scores the body text (token-level
precision, recall, F1 against summary + crossheads + paragraphs; captions excluded) and times the extraction:
trafilatura.extract with its defaults, with fast=True, and newsfold on the same bytes, page by page in turn. It
prints the scores per page set (language by the page's <html lang>, country, short pages under 1,500 characters of
expected body, long pages), empty bodies and the share of pages on which newsfold ran trafilatura's cascade. It then
turns each page into a scraped-text dump (all visible text, one block a line, as scrapers save it) and scores
newsfold's plain-text cleaner on it, with its line model (newsfold.extract.linemodel, trained by
benchmarks/train_lines.py, which reports it held out by publisher parts) and with the rules alone. Last, the
document kinds on the labelled kind set (newsfold.extract.kindset): the shipped model's confusion matrix, and the
held-out ones of benchmarks/train_kinds.py (fitted on one part of the publishers, scored on the other).

With --per-page it writes each page's F1 per extractor as JSON lines; with --compare (such a file from another
commit) it prints the pages whose newsfold F1 changed and the mean F1 of both runs: how a rule written while looking
at some pages is checked on the others.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from newsfold.extract import html as html_extractor
from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import DevPage, Score, load_dev_pages, mean_score, score, scored_text, text_dump
from newsfold.extract.kindmodel import KindModel
from newsfold.extract.kindset import build_kind_set, part_of, publisher
from newsfold.extract.linemodel import LineModel
from newsfold.model import Origin, Paragraph, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
# a dump that lacks half of the expected words was rendered by scripts: no cleaner can find the article in it
MIN_DUMP_RECALL = 0.5
SHORT_PAGE = 1500
_LANG = re.compile(rb"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
EXTRACTORS = ("trafilatura (default)", "trafilatura (fast)", "newsfold")


@dataclass(slots=True)
class Tally:
    """Per extractor: scores, empty bodies and seconds spent, over one run of the pages."""

    scores: dict[str, list[Score]] = field(default_factory=lambda: defaultdict(list))
    empty: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def _raw(page: DevPage, data: bytes, media_type: str) -> RawInput:
    """A page's bytes as an input."""
    return RawInput(Origin(page.name, media_type=media_type), data, media_type=media_type, url=page.url)


def subsets(page: DevPage) -> list[str]:
    """The page sets a page belongs to: all, its language, its country, short or long, its publisher part (the
    kind set's halves: extraction's learned models and rules are checked on the part they were not fitted on)."""
    found = _LANG.search(page.html[:5000])
    language = found.group(1).decode().lower() if found else "?"
    size = "short (< 1,500 chars)" if sum(len(p) for p in page.body) < SHORT_PAGE else "long"
    part = f"publisher part {part_of(publisher(page))}"
    return ["all", f"language {language}", f"country {page.name.split('/')[0]}", size, part]


def run_html(pages: list[DevPage], extractor: Extractor) -> tuple[dict[str, Tally], int]:
    """The three extractors on the same bytes, page by page in turn (so that load on the machine weighs on all
    alike): tallies per page set, and on how many pages newsfold ran trafilatura's cascade."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    cascades = 0
    calls: list[int] = []
    original = html_extractor._trafilatura

    def counted(markup: str, url: str | None) -> list[Paragraph]:
        """trafilatura's cascade, counted."""
        calls.append(1)
        return original(markup, url)

    html_extractor._trafilatura = counted
    runs: list[tuple[str, Callable[[DevPage], str]]] = [
        (EXTRACTORS[0], lambda p: trafilatura.extract(p.html, url=p.url) or ""),
        (EXTRACTORS[1], lambda p: trafilatura.extract(p.html, url=p.url, fast=True) or ""),
        (EXTRACTORS[2], lambda p: scored_text([q for d in extractor(_raw(p, p.html, "text/html")) for q in d.paragraphs
                                               if d.kind != "other"])),
    ]  # fmt: skip
    try:
        for page in pages:
            expected = "\n".join(page.body)
            before = len(calls)
            for name, run in runs:
                start = time.perf_counter()
                text = run(page)
                elapsed = time.perf_counter() - start
                for subset in subsets(page):
                    tally = tallies[subset]
                    tally.scores[name].append(score(text, expected))
                    tally.empty[name] += not text.strip()
                    tally.seconds[name] += elapsed
            cascades += len(calls) > before
    finally:
        html_extractor._trafilatura = original
    return tallies, cascades


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


def print_html(tallies: dict[str, Tally], pages: int, cascades: int) -> None:
    """The per page set table, then the summary line."""
    print("| page set | pages | extractor | precision | recall | F1 | empty bodies | pages/s |\n|" + "---|" * 8)
    order = sorted(tallies, key=lambda s: (s != "all", not s.startswith(("short", "long", "publisher")), s))
    for subset in order:
        tally = tallies[subset]
        for name in EXTRACTORS:
            result = mean_score(tally.scores[name])
            speed = len(tally.scores[name]) / tally.seconds[name] if tally.seconds[name] else 0.0
            print(
                f"| {subset} | {len(tally.scores[name])} | {name} | {result.precision:.3f} | {result.recall:.3f} "
                f"| {result.f1:.3f} | {tally.empty[name]} | {speed:.1f} |"
            )
    whole = tallies["all"]
    ours, theirs = mean_score(whole.scores[EXTRACTORS[2]]), mean_score(whole.scores[EXTRACTORS[0]])
    ratio = whole.seconds[EXTRACTORS[0]] / whole.seconds[EXTRACTORS[2]]
    fast = whole.seconds[EXTRACTORS[1]] / whole.seconds[EXTRACTORS[2]]
    below = [
        s
        for s in order
        if mean_score(tallies[s].scores[EXTRACTORS[2]]).f1
        < max(mean_score(tallies[s].scores[n]).f1 for n in EXTRACTORS[:2])
    ]
    print(
        f"\nnewsfold HTML: F1 {ours.f1 - theirs.f1:+.3f} against trafilatura (default), {ratio:.1f}x its speed, "
        f"{fast:.1f}x trafilatura fast's; trafilatura's cascade ran on {cascades} of {pages} pages "
        f"({cascades / pages:.1%}); page sets where newsfold's F1 is below trafilatura's: {', '.join(below) or 'none'}"
    )


def print_kinds(pages: list[DevPage]) -> None:
    """The kind set's confusion matrices: the shipped model on every page, and held out per part."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import train_kinds  # the training script's own measuring and cross-fitting  # noqa: PLC0415  the kind model's training script (scikit-learn), only for this table

    rows = train_kinds.measure(build_kind_set(pages))
    model = KindModel.packaged()
    shipped = ["other" if r.before == "other" or model.other_probability_of(r.vector) >= model.threshold else r.before
               for r in rows]  # fmt: skip
    print(f"\n### Document kinds: the shipped model on the {len(rows)} pages of the kind set\n")
    print(train_kinds.confusion(rows, shipped))
    for held, test, predicted in train_kinds.cross_fit(rows):
        print(f"\n### Document kinds held out: part {held} ({len(test)} pages), model fitted on the other part\n")
        print(train_kinds.confusion(test, predicted))


def per_page(pages: list[DevPage], tallies: dict[str, Tally]) -> list[dict[str, object]]:
    """Each page's F1 per extractor (the "all" set holds every page, in order)."""
    scores = tallies["all"].scores
    return [{"page": page.name, **{name: round(scores[name][i].f1, 4) for name in EXTRACTORS}}
            for i, page in enumerate(pages)]  # fmt: skip


def print_changes(rows: list[dict[str, object]], old_path: Path) -> None:
    """The pages whose newsfold F1 differs from an earlier run's file, and both runs' means over their pages."""
    with old_path.open(encoding="utf-8") as handle:
        old = {str(r["page"]): float(r["newsfold"]) for r in map(json.loads, handle) if r}
    now = {str(r["page"]): float(r["newsfold"]) for r in rows}  # type: ignore[arg-type]
    both = sorted(old.keys() & now.keys())
    changed = [p for p in both if old[p] != now[p]]
    print(f"\n### newsfold F1 against {old_path}: {len(changed)} of {len(both)} pages changed\n")
    print("| page | before | now |\n|---|---:|---:|")
    for page in changed:
        print(f"| {page} | {old[page]:.4f} | {now[page]:.4f} |")
    if both:
        print(f"| mean | {sum(old[p] for p in both) / len(both):.4f} | {sum(now[p] for p in both) / len(both):.4f} |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    parser.add_argument("--no-kinds", action="store_true", help="skip the document-kind tables")
    parser.add_argument("--per-page", type=Path, default=None, help="write each page's F1 per extractor (JSON lines)")
    parser.add_argument("--compare", type=Path, default=None, help="a --per-page file of another run to compare with")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"development data {args.data} is absent: nothing to measure", file=sys.stderr)
        return 2
    pages = list(load_dev_pages(args.data))
    if args.limit:
        pages = pages[: args.limit]
    extractor = Extractor()
    extractor(_raw(pages[0], pages[0].html, "text/html"))  # warm up: models and stoplists load once
    tallies, cascades = run_html(pages, extractor)
    print_html(tallies, len(pages), cascades)
    rows = per_page(pages, tallies)
    if args.per_page:
        args.per_page.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    if args.compare:
        print_changes(rows, args.compare)
    text, text_speed, text_pages = run_newsfold_text(pages, extractor)
    model = LineModel.packaged()
    extractor.text.use_line_model(None)
    rules, rules_speed, _ = run_newsfold_text(pages, extractor)
    extractor.text.use_line_model(model)
    print(f"\n| extractor | input | pages | precision | recall | F1 | pages/s |\n|{'---|' * 7}")
    for name, result, speed in (("newsfold", text, text_speed), ("newsfold, rules alone", rules, rules_speed)):
        print(f"| {name} | scraped text | {text_pages} | {result.precision:.3f} | {result.recall:.3f} | "
              f"{result.f1:.3f} | {speed:.1f} |")  # fmt: skip
    if not args.no_kinds:
        print_kinds(pages)
    return 0


if __name__ == "__main__":
    sys.exit(main())
