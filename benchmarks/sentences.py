"""How far apart newsfold's sentence splitters are: paragraphs each pair splits differently, and what one
abbreviation list (the union of the two) would change, over development paragraphs nobody here wrote.

The anchor is the multilingual splitter (text.sentences.split_sentences); the table says how many paragraphs the
older rules (highlights, difference view) split otherwise, so that moving them to it is measured, not guessed.

    python benchmarks/sentences.py [--examples 3]

Reads English Wikinews (../shared/data/wikinews-en) and the two seed pages; paragraphs as split_paragraphs cuts them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

from newsfold.text import sentences  # noqa: E402
from newsfold.text.abbreviations import ABBREVIATIONS, ENGLISH_ABBREVIATIONS  # noqa: E402
from newsfold.text.words import folded_words, plain_words, written_words  # noqa: E402

Splitter = Callable[[str], list[str]]


def paragraphs() -> list[str]:
    """The development paragraphs: Wikinews texts and the seed pages, cut by split_paragraphs."""
    texts: list[str] = []
    csv.field_size_limit(1 << 30)
    for path in sorted((DATA / "wikinews-en").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts.extend(row.get("text") or "" for row in csv.DictReader(handle))
    texts.extend(path.read_text(encoding="utf-8") for path in sorted((ROOT / "src/newsfold/data/sample").glob("*.txt")))
    return [p for text in texts for p in sentences.split_paragraphs(text)]


def differ(items: list[str], a: Splitter, b: Splitter) -> list[str]:
    """The paragraphs a and b split differently."""
    return [p for p in items if a(p) != b(p)]


def with_union(items: list[str]) -> tuple[int, int]:
    """Paragraphs each splitter would split otherwise with one abbreviation list (the union of both)."""
    english = [sentences.split_english_sentences(p) for p in items]
    multilingual = [sentences.split_sentences(p) for p in items]
    union = ABBREVIATIONS | ENGLISH_ABBREVIATIONS
    saved = sentences.ABBREVIATIONS, sentences.ENGLISH_ABBREVIATIONS
    sentences.ABBREVIATIONS = sentences.ENGLISH_ABBREVIATIONS = union
    try:
        changed_english = sum(sentences.split_english_sentences(p) != s for p, s in zip(items, english, strict=True))
        changed_multi = sum(sentences.split_sentences(p) != s for p, s in zip(items, multilingual, strict=True))
    finally:
        sentences.ABBREVIATIONS, sentences.ENGLISH_ABBREVIATIONS = saved
    return changed_english, changed_multi


def digest(items: list[str]) -> str:
    """A digest of every splitter's and tokeniser's output over the paragraphs (unchanged by a pure move)."""
    h = hashlib.sha256()
    for p in items:
        split = (sentences.split_english_sentences(p), sentences.split_sentences(p), sentences.alignment_sentences(p))
        h.update(repr((split, plain_words(p), written_words(p))).encode())
    return h.hexdigest()[:16]


def folding_digest(items: list[str]) -> str:
    """A digest of folding's splitter and tokeniser (stop_sentences, folded_words) over the paragraphs."""
    h = hashlib.sha256()
    for p in items:
        h.update(repr((sentences.stop_sentences(p), folded_words(p))).encode())
    return h.hexdigest()[:16]


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=0, help="print this many differing paragraphs per pair")
    args = parser.parse_args()
    items = paragraphs()
    if not (DATA / "wikinews-en").is_dir():
        print(f"{DATA / 'wikinews-en'} is absent: the seed pages alone", file=sys.stderr)
    pairs: list[tuple[str, Splitter, Splitter]] = [
        ("split_english_sentences vs split_sentences", sentences.split_english_sentences, sentences.split_sentences),
        ("alignment_sentences vs split_sentences", sentences.alignment_sentences, sentences.split_sentences),
        (
            "alignment_sentences vs split_english_sentences",
            sentences.alignment_sentences,
            sentences.split_english_sentences,
        ),
        ("stop_sentences vs split_sentences", sentences.stop_sentences, sentences.split_sentences),
    ]
    print(f"{len(items)} paragraphs")
    print(f"{'pair':<50} {'split otherwise':>16}")
    for name, a, b in pairs:
        found = differ(items, a, b)
        print(f"{name:<50} {len(found):>16}")
        for paragraph in found[: args.examples]:
            print(f"    {paragraph[:160]!r}\n      a: {a(paragraph)[:3]}\n      b: {b(paragraph)[:3]}")
    english, multilingual = with_union(items)
    print(f"{'one abbreviation list: split_english_sentences':<50} {english:>16}")
    print(f"{'one abbreviation list: split_sentences':<50} {multilingual:>16}")
    print(f"digest of every splitter's and tokeniser's output: {digest(items)}")
    print(f"digest of folding's splitter and tokeniser: {folding_digest(items)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
