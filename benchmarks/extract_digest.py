"""A digest of everything extraction outputs over the development pages and the seeds: kept identical by exact changes.

    python benchmarks/extract_digest.py [--data DIR] [--seeds DIR] [--limit N] [--dumps] [--save OUT.jsonl]
                                        [--compare OLD.jsonl]

Each input (the 258 extraction-dev pages as HTML, the seeds as plain text and, with --dumps, each page's
scraped-text dump) is extracted by one Extractor, page by page, and every document it gives (kind, language,
title, dates, authors, dateline, source, original, metadata, paragraphs with their roles and languages) is
digested. It prints the number of inputs and documents and one digest of them all; --save writes each input's
digest as JSON lines, and --compare (such a file from another commit) names the inputs whose digest differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from newsfold.errors import InputError
from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import load_dev_pages, text_dump
from newsfold.model import Article, Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"


def article_record(article: Article) -> dict[str, object]:
    """Every field of a document that extraction sets, as plain values (the fetch time left out)."""
    record = dataclasses.asdict(article)
    record["origin"] = {"location": article.origin.location, "index": article.origin.index}
    return record


def inputs(data: Path, seeds: Path, limit: int, dumps: bool) -> Iterator[tuple[str, RawInput]]:
    """The inputs digested, each with its name: the pages as HTML, the seeds, and each page's dump if asked."""
    pages = list(load_dev_pages(data))
    if limit:
        pages = pages[:limit]
    for page in pages:
        origin = Origin(page.name, media_type="text/html")
        yield page.name, RawInput(origin, page.html, media_type="text/html", url=page.url)
    for seed in sorted(seeds.glob("*.txt")):
        yield f"seed/{seed.name}", RawInput(Origin(seed.name, media_type="text/plain"), seed.read_bytes(),
                                            media_type="text/plain")  # fmt: skip
    if dumps:
        for page in pages:
            dump = text_dump(page.html).encode("utf-8")
            origin = Origin(page.name + ".txt", media_type="text/plain")
            yield page.name + ".txt", RawInput(origin, dump, media_type="text/plain", url=page.url)


def digest_of(documents: list[Article]) -> str:
    """One input's documents digested."""
    text = json.dumps([article_record(d) for d in documents], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    """Print the digest of every input's documents (and the inputs that differ from an earlier run's)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="extraction-dev folder")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="the seeds' folder")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N pages")
    parser.add_argument("--dumps", action="store_true", help="also each page's scraped-text dump")
    parser.add_argument("--save", type=Path, default=None, help="write each input's digest (JSON lines)")
    parser.add_argument("--compare", type=Path, default=None, help="a --save file of another run to compare with")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"{args.data}: no such folder", file=sys.stderr)
        return 2
    extractor = Extractor()
    rows: list[dict[str, object]] = []
    documents = 0
    for name, raw in inputs(args.data, args.seeds, args.limit, args.dumps):
        try:
            found = extractor(raw)
        except InputError as error:
            rows.append({"input": name, "documents": 0, "digest": f"error: {error}"})
            continue
        documents += len(found)
        rows.append({"input": name, "documents": len(found), "digest": digest_of(found)})
    whole = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:16]
    print(f"{len(rows)} inputs, {documents} documents: digest {whole}")
    if args.save:
        args.save.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    if args.compare:
        old = {r["input"]: r["digest"] for r in map(json.loads, args.compare.read_text("utf-8").splitlines()) if r}
        differ = [r["input"] for r in rows if old.get(r["input"]) != r["digest"]]
        print(f"{len(differ)} of {len(rows)} inputs differ from {args.compare}")
        for name in differ:
            print(f"  {name}")
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
