"""Train the fast path's block filter (newsfold/data/paragraphs.json) from the extraction-dev pages, by halves.

Run: PYTHONPATH=src python benchmarks/train_paragraphs.py            (report both halves, write the shipped model)
     PYTHONPATH=src python benchmarks/train_paragraphs.py --check    (report only; write nothing)

For each page, the blocks the fast path reads from its chosen container (extract/dom.py, the packaged container
model) are labelled from the page's expected body: a block is story when at least LABEL_SHARE of its tokens are
found in the expected body (bag of tokens, the measure extraction is scored with). A logistic regression
(scikit-learn, standardised features) learns which blocks are story. The operating point (the probability below
which a block is dropped) is chosen on the training half only, from predictions made by publisher-grouped folds
within it, as the lowest threshold of the best mean reading F1 there (ties drop less). Pages are split in two
halves by publisher (as benchmarks/train_containers.py splits them): the report fits on one half and scores the
other, both ways: the fast reading alone, and newsfold's whole HTML extraction with and without the filter.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from selectolax.lexbor import LexborHTMLParser
from sklearn.model_selection import GroupKFold

from extract_training import DEFAULT_DATA, ROOT, extraction_scores, half_of, logistic_weights
from newsfold.extract import dom
from newsfold.extract.blockmodel import FEATURES, BlockModel, KeepEveryBlock, block_rows
from newsfold.extract.containers import ContainerModel
from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import DevPage, load_dev_pages, score, tokens
from newsfold.extract.markup import bound_markup

OUTPUT = ROOT / "src" / "newsfold" / "data" / "paragraphs.json"
LABEL_SHARE = 0.5
C = 1.0
THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
FOLDS = 4


@dataclass(slots=True)
class PageBlocks:
    """One page's fast reading: its blocks' features and labels, their texts and roles, the expected body."""

    name: str
    rows: NDArray[np.float64]
    labels: NDArray[np.int_]
    texts: list[str]
    captions: list[bool]
    expected: str
    half: int
    publisher: str


def measure(pages: list[DevPage]) -> list[PageBlocks]:
    """Every dev page's fast reading, as blocks with evidence and labels."""
    containers = ContainerModel.packaged()
    out = []
    for page in pages:
        markup = bound_markup(page.html.decode("utf-8", "replace"))
        tree = LexborHTMLParser(markup)
        dom._drop_invisible(tree)
        body = tree.body
        if body is None:
            continue
        page_text = dom._text(body)
        container = dom._best_container(body, False, containers, dom._text_len(body))
        if container is None:
            continue
        scope = dom.article_scope(container)
        dom._clean_container(scope)
        read = dom._read_blocks(scope)
        if not read:
            continue
        blocks = dom.block_evidence(read, scope, page_text)
        expected = "\n".join(page.body)
        want = Counter(tokens(expected))
        labels = []
        for block in blocks:
            got = Counter(tokens(block.text))
            share = sum((got & want).values()) / sum(got.values()) if got else 0.0
            labels.append(int(share >= LABEL_SHARE))
        out.append(
            PageBlocks(
                page.name,
                block_rows(blocks),
                np.asarray(labels),
                [p.text for p, _ in read],
                [p.role == "caption" for p, _ in read],
                expected,
                half_of(page),
                page.name.split("_")[0],
            )
        )
    return out


def _weights(pages: list[PageBlocks], threshold: float) -> dict[str, object]:
    """The model fit on these pages, as the package stores it, with its operating point."""
    x = np.concatenate([p.rows for p in pages])
    y = np.concatenate([p.labels for p in pages])
    weights = logistic_weights(x, y, FEATURES, c=C, max_iter=3000)
    return {**weights, "threshold": threshold, "made_by": "benchmarks/train_paragraphs.py"}


def reading_f1(page: PageBlocks, keep: NDArray[np.bool_]) -> float:
    """F1 of the kept blocks of a page's fast reading (captions not scored, as scored_text does)."""
    text = "\n".join(t for t, k, c in zip(page.texts, keep, page.captions, strict=True) if k and not c)
    return score(text, page.expected).f1


def choose_threshold(pages: list[PageBlocks]) -> float:
    """The operating point, from publisher-grouped out-of-fold predictions on these pages only."""
    groups = [p.publisher for p in pages]
    probabilities: list[NDArray[np.float64]] = [np.zeros(0)] * len(pages)
    for train, test in GroupKFold(n_splits=FOLDS).split(pages, groups=groups):
        fitted = BlockModel(_weights([pages[i] for i in train], 0.0))
        for i in test:
            probabilities[i] = fitted.probabilities(pages[i].rows)
    means = [
        float(np.mean([reading_f1(p, prob >= t) for p, prob in zip(pages, probabilities, strict=True)]))
        for t in THRESHOLDS
    ]
    best = max(means)
    return next(t for t, m in zip(THRESHOLDS, means, strict=True) if m >= best - 1e-9)


def fit(pages: list[PageBlocks]) -> dict[str, object]:
    """The model fit on these pages with the operating point chosen on them."""
    return _weights(pages, choose_threshold(pages))


def report(pages: list[PageBlocks]) -> dict[int, BlockModel]:
    """Per half: the fast reading's mean F1 with every block, with the model fit on the other half (held out),
    pages better and worse; the models fit on each half are returned."""
    print("| half | pages | blocks | story share | threshold (from the other half) | reading, all blocks "
          "| reading, filtered (held out) | dropped | story dropped | pages better | worse |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    models = {}
    for half in (0, 1):
        test = [p for p in pages if p.half == half]
        weights = fit([p for p in pages if p.half != half])
        held = BlockModel(weights)
        models[half] = held
        before = np.array([reading_f1(p, np.ones(len(p.texts), dtype=bool)) for p in test])
        kept = [held.probabilities(p.rows) >= held.threshold for p in test]
        after = np.array([reading_f1(p, k) for p, k in zip(test, kept, strict=True)])
        labels = np.concatenate([p.labels for p in test])
        dropped = np.concatenate([~k for k in kept])
        better, worse = int(np.sum(after > before + 0.005)), int(np.sum(after < before - 0.005))
        print(
            f"| {half} | {len(test)} | {len(labels)} | {labels.mean():.3f} | {held.threshold:.2f} "
            f"| {before.mean():.4f} | {after.mean():.4f} | {int(dropped.sum())} "
            f"| {int((dropped & (labels == 1)).sum())} | {better} | {worse} |"
        )
    return models


def end_to_end(dev: list[DevPage], models: dict[int, BlockModel]) -> None:
    """newsfold's whole HTML extraction of each half's pages, without the filter and with the one fit on the other
    half: mean token precision, recall and F1."""
    print("\n| half | pages | newsfold P / R / F1 | with the filter fit on the other half P / R / F1 |")
    print("|---|---:|---:|---:|")
    plain = Extractor(blocks=KeepEveryBlock())
    for half in (0, 1):
        test = [page for page in dev if half_of(page) == half]
        figures = []
        for extractor in (plain, Extractor(blocks=models[1 - half])):
            found = extraction_scores(extractor, test)
            figures.append(
                " / ".join(f"{np.mean([getattr(s, k) for s in found]):.4f}" for k in ("precision", "recall", "f1"))
            )
        print(f"| {half} | {len(test)} | {figures[0]} | {figures[1]} |")


def main(argv: list[str] | None = None) -> int:
    """Measure, report both halves, and write the model fit on every page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where the model fit on all pages is written")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    parser.add_argument("--no-end-to-end", action="store_true", help="skip the whole extraction's figures")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"train_paragraphs: {args.data} is absent (the extraction-dev pages are needed)", file=sys.stderr)
        return 2
    dev = list(load_dev_pages(args.data))
    pages = measure(dev)
    print(f"{len(pages)} pages, {sum(len(p.texts) for p in pages)} blocks\n")
    models = report(pages)
    if not args.no_end_to_end:
        end_to_end(dev, models)
    if not args.check:
        args.out.write_text(json.dumps(fit(pages), indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
