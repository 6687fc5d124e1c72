"""Highlight quality on English Wikinews: newsfold's extractive highlights vs the lead-3 baseline, ROUGE-1/2/L.

Proxy: a Wikinews article's first paragraph is, by the project's style guide, a summary of the story written by
its editors; the rest of the article is the text it summarises. So each case is (body without its lead, lead),
and both systems see only the body. It rewards sentences that carry the story's who/what/where, which is what a
highlight should do; it is not a gold summary of the whole article.

ROUGE is computed by newsfold.enrich.evaluate (F1, lower-cased alphanumeric tokens, no stemming), the definition
of rouge-score without its nltk/absl dependencies.

Run: PYTHONPATH=src python benchmarks/highlights.py [--limit N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsfold.enrich.evaluate import rouge_l, rouge_n, wikinews_cases  # noqa: E402
from newsfold.enrich.highlights import HighlightSelector, lead  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "wikinews-en"


def main() -> int:
    """Score newsfold and lead-3 on every usable Wikinews article and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"development data {DATA} is absent: nothing to measure", file=sys.stderr)
        return 1
    cases = wikinews_cases(DATA, limit=args.limit)
    systems = {
        "lead-3 (baseline)": lambda article: lead(article, 3),
        "newsfold highlights (3)": lambda article: HighlightSelector(count=3).select([article]).sentences,
        "newsfold highlights (3-5)": lambda article: HighlightSelector().select([article]).sentences,
    }
    print(f"highlights: {len(cases)} Wikinews articles (reference: the lead paragraph; input: the rest)")
    print(f"{'system':<28} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'sentences':>9} {'seconds':>8}")
    for label, system in systems.items():
        start = time.perf_counter()
        outputs = [" ".join(system(case.article)) for case in cases]
        seconds = time.perf_counter() - start
        r1 = mean(rouge_n(o, c.reference, 1) for o, c in zip(outputs, cases, strict=True))
        r2 = mean(rouge_n(o, c.reference, 2) for o, c in zip(outputs, cases, strict=True))
        rl = mean(rouge_l(o, c.reference) for o, c in zip(outputs, cases, strict=True))
        count = mean(len(system(c.article)) for c in cases[:50])
        print(f"{label:<28} {r1:>8.4f} {r2:>8.4f} {rl:>8.4f} {count:>9.1f} {seconds:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
