"""Short scraped-text stories in 30-odd languages, made from itn-dev blurbs: how much of each does newsfold keep?

    python benchmarks/blurb_documents.py [--data DIR] [--size N]

Each language's blurbs of ../shared/data/itn-dev (one blurb per topic, the first in time order) are cut into
documents of N blurbs (default 4), the first blurb's topic keyword as the title line, blank lines between, as a
scraper saves a short story. newsfold reads each as plain text; jusText (the document's stoplist where it has one,
else its language-free mode) and trafilatura read the same lines as an HTML page of one paragraph per line. The
table prints, per language, the documents, the share newsfold calls an article, and the share of the blurbs' words
each kept. Languages with fewer than 8 blurbs are left out. The blurbs are one sentence each on different topics,
so a list of teasers is a fair reading of some documents: the table is for finding scripts that lose everything,
not a score to maximise.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import justext
import trafilatura

from newsfold.extract.classify import Classifier
from newsfold.extract.dispatch import Extractor
from newsfold.model import Origin, RawInput

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "itn-dev"
MIN_BLURBS = 8
_TAG = re.compile(r"<[^>]+>")


def blurbs_by_language(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """Each language's (keyword, blurb text) pairs, one per topic, in the corpus's order."""
    data = json.loads(corpus.read_text(encoding="utf-8"))
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for versions in data.values():
        seen: set[str] = set()
        for _, blurb in sorted(versions.items()):
            if blurb["lang"] in seen:
                continue
            seen.add(blurb["lang"])
            out[blurb["lang"]].append((blurb["keyword"], html.unescape(_TAG.sub("", blurb["blurb"])).strip()))
    return out


def kept(body: list[str], text: str) -> tuple[int, int]:
    """Words of the body found in text, and the body's words (as sets of whitespace-parted words)."""
    words = set(" ".join(body).split())
    return len(words & set(text.split())), len(words)


def justext_text(lines: list[str], language: str, classifier: Classifier) -> str:
    """jusText's good paragraphs of the lines as a page, with the language's stoplist or none."""
    page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    stoplist = classifier.stopwords(language)
    if stoplist:
        paragraphs = justext.justext(page, stoplist)
    else:
        paragraphs = justext.justext(page, frozenset(), stopwords_low=0, stopwords_high=0)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="itn-dev folder")
    parser.add_argument("--size", type=int, default=4, help="blurbs a document")
    args = parser.parse_args()
    corpus = args.data / "corpus-dev.json"
    if not corpus.exists():
        print(f"skipped: {corpus} is absent (itn-dev development data)")
        return 0
    extractor, classifier = Extractor(), Classifier()
    print("| language | documents | newsfold article | newsfold words kept | jusText | trafilatura |")
    print("|---|---:|---:|---:|---:|---:|")
    totals = [0.0, 0.0, 0.0]
    rows = 0
    for language, items in sorted(blurbs_by_language(corpus).items()):
        if len(items) < MIN_BLURBS:
            continue
        documents = [items[i : i + args.size] for i in range(0, len(items) - args.size + 1, args.size)]
        articles = 0
        counts = [[0, 0], [0, 0], [0, 0]]
        for document in documents:
            body = [text for _, text in document]
            lines = [document[0][0], *body]
            data = "\n\n".join(lines).encode("utf-8")
            (article, *_) = extractor(RawInput(Origin("blurbs.txt", media_type="text/plain"), data, "text/plain"))
            articles += article.kind == "article"
            page = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
            texts = (
                article.text if article.kind == "article" else "",
                justext_text(lines, language, classifier),
                trafilatura.extract(page) or "",
            )
            for count, text in zip(counts, texts, strict=True):
                found, total = kept(body, text)
                count[0] += found
                count[1] += total
        shares = [found / total if total else 0.0 for found, total in counts]
        for k, share in enumerate(shares):
            totals[k] += share
        rows += 1
        print(f"| {language} | {len(documents)} | {articles / len(documents):.2f} | "
              + " | ".join(f"{share:.2f}" for share in shares) + " |")  # fmt: skip
    if rows:
        print("| mean over languages | | | " + " | ".join(f"{t / rows:.3f}" for t in totals) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
