"""The two seed articles built straight from the seed files, independent of the extraction stage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newsfold.model import Article, Origin, Paragraph, Role, SourceRef
from tests.conftest import SEED_ARTICLE, SEED_LIMITED

PUBLISHED = datetime(2024, 2, 12, 11, 44, 42, tzinfo=UTC)
# Site furniture inside seed 001's body range: the "My news" list and an advertisement.
_FURNITURE_START = ("My news", "Read The Washington Post for free")
_FURNITURE_END = ("Attacks on U.S. facilities", "Mohammed Qadim Abed Hamza")


def _between(text: str, first: str, last: str) -> list[str]:
    """The non-empty lines from the one starting with first to the one ending with last."""
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return [line.strip() for line in text[start:end].splitlines() if line.strip()]


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    """Lines as paragraphs: lines without end punctuation are crossheads, furniture blocks are left out."""
    out: list[Paragraph] = []
    skipping = False
    for line in lines:
        if line.startswith(_FURNITURE_START):
            skipping = True
        if skipping and line.startswith(_FURNITURE_END):
            skipping = False
        if skipping:
            continue
        role: Role = "body" if line.rstrip()[-1:] in '.!?"”’' else "heading"
        out.append(Paragraph(text=line, role=role, language="en"))
    return out


def seed_article(path: Path = SEED_ARTICLE) -> Article:
    """Seed 000's article: its body from 'KARBALA, Iraq' to 'shake hands.'."""
    text = path.read_text(encoding="utf-8")
    return Article(
        origin=Origin(location=str(path)),
        title="US strikes on Iran-backed militias in Iraq",
        paragraphs=_paragraphs(_between(text, "KARBALA, Iraq", "shake hands.")),
        language="en",
        published=datetime(2024, 2, 12, tzinfo=UTC),
        dateline="Karbala, Iraq",
        source=SourceRef(name="re-publisher"),
    )


def seed_limited(path: Path = SEED_LIMITED) -> Article:
    """Seed 001's article: its body from 'Karbala - U.S. officials' to 'shake hands.'."""
    text = path.read_text(encoding="utf-8")
    return Article(
        origin=Origin(location=str(path)),
        title="Retaliation for killed soldiers – US attacks anger key allies in Iraq",
        paragraphs=_paragraphs(_between(text, "Karbala - U.S. officials", "shake hands.”")),
        language="en",
        published=PUBLISHED,
        source=SourceRef(name="merkur"),
        machine_translated=True,
        highlights=[_between(text, "Highlights:", "partnership with Baghdad.")[0].removeprefix("Highlights: ")],
    )
