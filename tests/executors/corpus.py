"""A corpus of a few thousand articles for folding tests: wikinews-en stories, edited and exact copies of them,
synthetic multi-report stories (dated, some undated), a few press releases."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta

from newsfold.model import Article, Origin, Paragraph, SourceRef
from tests.conftest import data_dir

T0 = datetime(2019, 3, 1, tzinfo=UTC)
TOWNS = ["Harbourton", "Millbrook", "Eastfield", "Kingsbay", "Westmere", "Oakridge", "Lakeside", "Stonebridge"]
PEOPLE = ["Ana Lopez", "Piotr Nowak", "Grace Okafor", "Li Wei", "Sara Berg", "Omar Haddad", "Jon Moss", "Eva Kral"]
EVENTS = ["storm closes the pier", "fire at the mill", "bridge reopens", "school strike", "flood warning"]


def _article(outlet: str, number: int, title: str, text: str, when: datetime | None, kind: str = "article") -> Article:  # noqa: PLR0913  a test article's fields
    """One article from an outlet (its URL, and so its id, unique by number)."""
    return Article(
        origin=Origin(f"test:{outlet}/{number}"),
        kind=kind,  # type: ignore[arg-type]
        title=title,
        paragraphs=[Paragraph(p.strip()) for p in text.split("\n") if p.strip()],
        language="en",
        published=when,
        source=SourceRef(name=outlet, url=f"https://{outlet}.example/{number}"),
    )


def _real(count: int) -> list[Article]:
    """wikinews-en articles (2019 and 2020) with an edited copy of every third and an exact copy of every tenth."""
    csv.field_size_limit(1 << 28)
    rows: list[dict[str, str]] = []
    for name in ("wikinews_2019.csv", "wikinews_2020.csv"):
        with (data_dir("wikinews-en") / name).open(newline="", encoding="utf-8") as handle:
            rows += [r for r in csv.DictReader(handle) if r["text"].strip()]
    out: list[Article] = []
    for i, row in enumerate(rows[:count]):
        when = datetime.fromisoformat(row["date"]).replace(tzinfo=UTC) + timedelta(minutes=i % 600)
        out.append(_article("wikinews", i, row["title"], row["text"], when))
        if i % 3 == 0:
            edited = row["text"].replace(" the ", " the the ", 2) + "\nThis article was republished from Wikinews."
            out.append(_article("mirror", i, row["title"], edited, when + timedelta(hours=5)))
        if i % 10 == 0:
            out.append(_article("scraper", i, row["title"], row["text"], when + timedelta(days=1)))
    return out


VOCAB = [f"{a}{b}{c}" for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou") for c in "lnrst"]


def _synthetic(count: int, seed: int = 11) -> list[Article]:
    """Stories of five reports (names, numbers, places and words in common; copies of every seventh report);
    every ninth undated, every 25th a press release."""
    rng = random.Random(seed)
    out: list[Article] = []
    for i in range(count):
        story = i // 5
        topic = random.Random(story)
        town, person, event = topic.choice(TOWNS), topic.choice(PEOPLE), topic.choice(EVENTS)
        words = topic.sample(VOCAB, 30)
        when = T0 + timedelta(hours=9 * story + i % 5) if i % 9 else None
        sentences = " ".join(
            f"{rng.choice([person, town, 'The council'])} said the {' '.join(rng.choices(words, k=8))}."
            for _ in range(rng.randint(3, 8))
        )
        text = (
            f"{person} of {town} said that the {event} affected {story % 40 + 3} families on day {story}.\n"
            f"{sentences}\nReport {i} adds that {rng.randint(2, 90)} volunteers helped."
        )
        kind = "press_release" if i % 25 == 0 else "article"
        title = f"{town}: {event} ({story})"
        out.append(_article(f"outlet{i % 13}", i, title, text, when, kind))
        if i % 7 == 0:
            copy = text.replace("said that", "says that", 1) + "\nCopyright the agency."
            out.append(_article("agency", i, title, copy, when + timedelta(hours=2) if when else None))
    return out


def mixed_articles(real: int, synthetic: int) -> list[Article]:
    """Real and synthetic articles interleaved in a fixed order."""
    first, second = _real(real), _synthetic(synthetic)
    out: list[Article] = []
    for i in range(max(len(first), len(second))):
        out += first[i : i + 1] + second[i : i + 1]
    return out
