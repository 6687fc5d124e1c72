"""Measuring the enrich stage: ROUGE for highlights, precision and recall for entities, on development data."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfold.enrich.entities import EntityResolver
from newsfold.enrich.gazetteer import Gazetteer
from newsfold.enrich.recognize import Mention, Recognizer
from newsfold.enrich.text import article_sentences
from newsfold.model import Article, Entity, Origin, Paragraph
from newsfold.text.names import span_key

_TOKENS = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    """ROUGE tokens: lower-cased letters and digits, as rouge-score tokenises (no stemming)."""
    return _TOKENS.findall(text.lower())


def _f1(overlap: int, candidate: int, reference: int) -> float:
    """The F-measure of an overlap count."""
    if not overlap or not candidate or not reference:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def rouge_n(candidate: str, reference: str, n: int) -> float:
    """ROUGE-N F1: clipped n-gram overlap."""
    c, r = _tokens(candidate), _tokens(reference)
    cg = Counter(tuple(c[i : i + n]) for i in range(len(c) - n + 1))
    rg = Counter(tuple(r[i : i + n]) for i in range(len(r) - n + 1))
    return _f1(sum((cg & rg).values()), sum(cg.values()), sum(rg.values()))


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1: longest common subsequence of the token sequences."""
    c, r = _tokens(candidate), _tokens(reference)
    if not c or not r:
        return 0.0
    previous = [0] * (len(r) + 1)
    for x in c:
        current = [0]
        for j, y in enumerate(r):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return _f1(previous[-1], len(c), len(r))


@dataclass(slots=True, frozen=True)
class SummaryCase:
    """A text to summarise and a human-written summary of it."""

    article: Article
    reference: str


def wikinews_cases(folder: Path, limit: int | None = None, min_body_paragraphs: int = 3) -> list[SummaryCase]:
    """Wikinews articles as (body without its lead, lead): the lead paragraph summarises what follows."""
    cases: list[SummaryCase] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                paragraphs = [p.strip() for p in re.split(r"\n\s*\n", row["text"]) if p.strip()]
                paragraphs = [p for p in paragraphs if not re.fullmatch(r"\w+day, \w+ \d{1,2}, \d{4}", p)]
                if len(paragraphs) < 1 + min_body_paragraphs or len(paragraphs[0].split()) < 15:
                    continue
                article = Article(
                    origin=Origin(location=row["url"]),
                    title=row["title"],
                    paragraphs=[Paragraph(text=p, language="en") for p in paragraphs[1:]],
                    language="en",
                    published=datetime.fromisoformat(row["date"]).replace(tzinfo=UTC),
                )
                cases.append(SummaryCase(article, paragraphs[0]))
                if limit and len(cases) >= limit:
                    return cases
    return cases


@dataclass(slots=True, frozen=True)
class LabelledPage:
    """An extraction-dev page's expected body and the entities labelled in it."""

    file: str
    article: Article
    gold: list[dict[str, Any]]


def labelled_pages(folder: Path, labels: Path, part: str = "pages") -> list[LabelledPage]:
    """Labelled pages ('pages' or 'held_out'), their text read from the expected bodies in folder."""
    data = json.loads(labels.read_text(encoding="utf-8"))
    pages: list[LabelledPage] = []
    for page in data[part]:
        file = str(page["file"])
        publisher = re.sub(r"_\d{4}_\d{2}_\d{2}\.html\.gz$", ".json", file)
        expected = json.loads((folder / publisher).read_text(encoding="utf-8"))[page["version"]]
        paragraphs = [Paragraph(text=p, language="en") for s in expected["body"]["sections"] for p in s["paragraphs"]]
        published = expected.get("publishing_date")
        article = Article(
            origin=Origin(location=file),
            title=expected.get("title"),
            paragraphs=paragraphs,
            language="en",
            published=datetime.fromisoformat(published) if published else None,
        )
        pages.append(LabelledPage(file, article, list(page["entities"])))
    return pages


@dataclass(slots=True)
class Tally:
    """Matched and total counts for precision and recall."""

    predicted: int = 0
    gold: int = 0
    correct_predicted: int = 0
    correct_gold: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted entities that are labelled."""
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Share of labelled entities that were found."""
        return self.correct_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _keys(names: Iterable[str]) -> set[str]:
    """The name keys of a set of spellings."""
    return {span_key(n) for n in names if span_key(n)}


def score_entities(predicted: Sequence[Entity], gold: Sequence[dict[str, Any]], tally: Tally, typed: bool) -> None:
    """Add one page's matches: an entity matches when a spelling agrees (and, typed, the kind too)."""
    gold_sets = [(_keys([str(g["name"]), *[str(a) for a in g.get("aliases", [])]]), g["kind"]) for g in gold]
    tally.predicted += len(predicted)
    tally.gold += len(gold_sets)
    found: set[int] = set()
    for entity in predicted:
        keys = _keys([entity.name, *entity.aliases])
        hits = [i for i, (g, kind) in enumerate(gold_sets) if keys & g and (not typed or kind == entity.kind)]
        if hits:
            tally.correct_predicted += 1
            found.update(hits)
    tally.correct_gold += len(found)


def page_entities(recognizer: Recognizer, article: Article, gazetteer: Gazetteer) -> list[Entity]:
    """The person, organisation and place entities found in one article ('other' is not scored)."""
    mentions = recognizer.mentions(article, gazetteer)
    return [e for e in EntityResolver(gazetteer).resolve(mentions) if e.kind != "other"]


class CapitalisedBaseline:
    """The naive baseline: every run of capitalised words not opening a sentence, one entity per spelling."""

    name = "capitalised spans"

    def mentions(self, article: Article, gazetteer: Gazetteer) -> list[Mention]:
        """Runs of capitalised words."""

        out: list[Mention] = []
        for sentence in article_sentences(article):
            for match in re.finditer(r"(?<!^)(?<![.!?:\"“] )\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*", sentence.text):
                out.append(Mention(match[0], article.id, sentence.text, Counter({"other": 1})))
        return out


def baseline_entities(article: Article) -> list[Entity]:
    """The baseline's entities of one article, each spelling on its own, untyped."""
    seen: dict[str, Entity] = {}
    for mention in CapitalisedBaseline().mentions(article, Gazetteer()):
        key = span_key(mention.name)
        if key and key not in seen:
            seen[key] = Entity(id=key, name=mention.name, kind="other")
    return list(seen.values())
