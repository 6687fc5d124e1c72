"""Train the fast path's container choice (newsfold/data/containers.json) from the extraction-dev pages, by halves.

Run: PYTHONPATH=src python benchmarks/train_containers.py            (report both halves, write the shipped model)
     PYTHONPATH=src python benchmarks/train_containers.py --check    (report only; write nothing)

For each page, every candidate container of the fast path (extract/dom.py: container_candidates) is read as the fast
path would read it (the article scope, cleaned of furniture, its blocks) and scored against the page's expected body
(token F1). A candidate is positive when its F1 is within TOLERANCE of the page's best candidate's. A logistic
regression (scikit-learn, standardised features, classes balanced) learns which candidates are; at run time the
candidate of highest score is read. Pages are split in two halves by publisher (a publisher's pages never straddle
the halves): the report fits on one half and scores the other (held-out), beside the hand-set rule it replaced
(most paragraph text less 0.7 times the other text) and the best candidate (oracle), for both halves.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from selectolax.lexbor import LexborHTMLParser

from extract_training import DEFAULT_DATA, ROOT, extraction_scores, half_of, logistic_weights
from newsfold.extract import dom
from newsfold.extract.containers import FEATURES, ContainerModel, HandSetRule, candidate_rows, rule_score
from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import DevPage, load_dev_pages, score, scored_text
from newsfold.extract.markup import bound_markup

OUTPUT = ROOT / "src" / "newsfold" / "data" / "containers.json"
TOLERANCE = 0.005
C = 1.0


@dataclass(slots=True)
class PageCandidates:
    """One page's candidates: features, each candidate's F1, the rule's choice, the page's half."""

    name: str
    rows: NDArray[np.float64]
    f1: NDArray[np.float64]
    rule: int
    half: int


def _tree(markup: str) -> LexborHTMLParser:
    """The page parsed and stripped as the fast path strips it."""
    tree = LexborHTMLParser(markup)
    dom._drop_invisible(tree)
    return tree


def measure(pages: list[DevPage]) -> list[PageCandidates]:
    """Every dev page's candidates, read and scored one by one."""
    out = []
    for page in pages:
        markup = bound_markup(page.html.decode("utf-8", "replace") if isinstance(page.html, bytes) else page.html)
        tree = _tree(markup)
        if tree.body is None:
            continue
        nodes, candidates, voting = dom.container_candidates(tree.body)
        if len(nodes) < 2:
            continue
        where = {node.mem_id: i for i, node in enumerate(tree.body.traverse())}
        places = [where[node.mem_id] for node in nodes]
        expected = "\n".join(page.body)
        f1 = []
        for place in places:
            fresh = _tree(markup)
            assert fresh.body is not None
            node = list(fresh.body.traverse())[place]
            scope = dom.article_scope(node)
            dom._clean_container(scope)
            f1.append(score(scored_text(dom._blocks(scope)), expected).f1)
        rule = max(range(len(candidates)), key=lambda i: rule_score(candidates[i]))
        out.append(
            PageCandidates(
                page.name,
                candidate_rows(candidates, dom._text_len(tree.body), voting),
                np.asarray(f1),
                rule,
                half_of(page),
            )
        )
    return out


def fit(pages: list[PageCandidates]) -> dict[str, object]:
    """The logistic model over these pages' candidates, as the package stores it."""
    x = np.concatenate([p.rows for p in pages])
    y = np.concatenate([(p.f1 >= p.f1.max() - TOLERANCE).astype(int) for p in pages])
    weights = logistic_weights(x, y, FEATURES, c=C, max_iter=2000, balanced=True)
    return {**weights, "made_by": "benchmarks/train_containers.py"}


def report(pages: list[PageCandidates]) -> None:
    """Mean F1 of the chosen candidate per half: the rule, the model fit on the other half, the same fit on its own
    half (tuned), and the oracle."""
    print("| half | pages | hand-set rule | model (held-out) | model (tuned) | best candidate | pages better | worse |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for half in (0, 1):
        test = [p for p in pages if p.half == half]
        held = ContainerModel(fit([p for p in pages if p.half != half]))
        tuned = ContainerModel(fit(test))
        rule = np.array([p.f1[p.rule] for p in test])
        out = np.array([p.f1[int(np.argmax(held.scores(p.rows)))] for p in test])
        own = np.array([p.f1[int(np.argmax(tuned.scores(p.rows)))] for p in test])
        best = np.array([p.f1.max() for p in test])
        better, worse = int(np.sum(out > rule + 0.005)), int(np.sum(out < rule - 0.005))
        print(
            f"| {half} | {len(test)} | {rule.mean():.4f} | {out.mean():.4f} | {own.mean():.4f} | {best.mean():.4f} "
            f"| {better} | {worse} |"
        )


def end_to_end(dev: list[DevPage], pages: list[PageCandidates]) -> None:
    """newsfold's whole HTML extraction (loose reading and cascade included) of each half's pages, with the rule and
    with the model fit on the other half: mean token F1."""
    print("\n| half | pages | newsfold, hand-set rule | newsfold, model fit on the other half |")
    print("|---|---:|---:|---:|")
    for half in (0, 1):
        test = [page for page in dev if half_of(page) == half]
        held = ContainerModel(fit([p for p in pages if p.half != half]))
        figures = [
            float(np.mean([s.f1 for s in extraction_scores(Extractor(containers=chooser), test)]))
            for chooser in (HandSetRule(), held)
        ]
        print(f"| {half} | {len(test)} | {figures[0]:.4f} | {figures[1]:.4f} |")


def main(argv: list[str] | None = None) -> int:
    """Measure, report both halves, and write the model fit on every page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where the model fit on all pages is written")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"train_containers: {args.data} is absent (the extraction-dev pages are needed)", file=sys.stderr)
        return 2
    dev = list(load_dev_pages(args.data))
    pages = measure(dev)
    print(f"{len(pages)} pages with two candidates or more, {sum(len(p.f1) for p in pages)} candidates\n")
    report(pages)
    end_to_end(dev, pages)
    if not args.check:
        args.out.write_text(json.dumps(fit(pages), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
