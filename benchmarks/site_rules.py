"""What the reader-facing rules of issue 17 remove, on English Wikinews (never used to write them): datelines taken for
events, licence lines, shouted capitals and mistranslated places taken for entities. Prints counts and every
removed item's text, so each removal can be checked by eye.

    PYTHONPATH=src python benchmarks/site_rules.py [--show N]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newsfold.enrich import entities
from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import Mention, RuleRecognizer, _shouted, is_boilerplate
from newsfold.enrich.text import article_sentences
from newsfold.enrich.timeline import TimelineExtractor, is_dateline
from newsfold.model import Article, Entity, Origin, Paragraph

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "wikinews-en"


def articles() -> list[Article]:
    """The Wikinews articles as English articles published on their date."""
    out = []
    csv.field_size_limit(10_000_000)
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                paragraphs = [Paragraph(p.strip(), language="en") for p in row["text"].split("\n\n") if p.strip()]
                published = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC)
                out.append(
                    Article(
                        origin=Origin(row["url"]),
                        title=row["title"],
                        paragraphs=paragraphs,
                        published=published,
                        language="en",
                    )
                )
    return out


def _resolve_keeping_places(gazetteer: Gazetteer, mentions: list[Mention]) -> list[Entity]:
    """The entities as resolved without the mistranslated-place rule (the baseline it is measured against)."""
    rule = entities._without_mistranslated_places
    entities._without_mistranslated_places = lambda kept, _gazetteer: kept  # type: ignore[assignment]
    try:
        return EntityResolver(gazetteer).resolve(mentions)
    finally:
        entities._without_mistranslated_places = rule  # type: ignore[assignment]


def main() -> int:  # noqa: PLR0912  one branch per command-line option
    """Count and show what each rule removes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show", type=int, default=8, help="how many removed items of each rule to print")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent", file=sys.stderr)
        return 2
    found = articles()
    extractor = TimelineExtractor()
    gazetteer = Gazetteer.default()
    recognizer = RuleRecognizer()
    counts: Counter[str] = Counter()
    shown: dict[str, list[str]] = {"dateline": [], "boilerplate": [], "shouted": [], "mistranslated place": []}
    for article in found:
        resolver = extractor.resolver("en")
        published = article.published.date() if article.published else None
        for sentence in article_sentences(article):
            counts["sentences"] += 1
            if published is not None:
                matches = resolver.find(sentence.text, published)
                if matches:
                    counts["dated sentences"] += 1
                    if is_dateline(sentence.text, matches):
                        counts["dateline"] += 1
                        shown["dateline"].append(sentence.text)
            if is_boilerplate(sentence.text):
                counts["boilerplate"] += 1
                shown["boilerplate"].append(sentence.text)
            for run in re.findall(r"\b(?:[A-Z][A-Z'’-]+\b[\s,!]*){2,}", sentence.text):
                if _shouted(run.split()):
                    counts["shouted"] += 1
                    shown["shouted"].append(run.strip())
        mentions = recognizer.mentions(article, gazetteer)
        kept = {(e.name, e.kind) for e in EntityResolver(gazetteer).resolve(mentions)}
        with_all = {(e.name, e.kind) for e in _resolve_keeping_places(gazetteer, mentions)}
        for name, kind in sorted(with_all - kept):
            counts["mistranslated place"] += 1
            shown["mistranslated place"].append(f"{name} [{kind}] ({article.title})")
    print(
        f"English Wikinews: {len(found)} articles, {counts['sentences']} sentences, "
        f"{counts['dated sentences']} with a date"
    )
    print(f"{'rule':<22} {'removed':>8}")
    for rule in shown:
        print(f"{rule:<22} {counts[rule]:>8}")
    for rule, items in shown.items():
        print(f"\n{rule}: first {min(args.show, len(items))} of {len(items)}")
        for item in items[: args.show]:
            print(f"  {item[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
