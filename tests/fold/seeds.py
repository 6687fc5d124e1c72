"""The reference case built by hand from the seed files: two copies of one story and a press release."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from newsfold.model import Article, Origin, OriginalRef, Paragraph, SourceRef
from tests.conftest import SEED_ARTICLE, SEED_LIMITED

WAPO = "https://www.washingtonpost.com/world/2024/02/11/us-strikes-iraq-iran/"
_FURNITURE = re.compile(r"^(Read The Washington Post|My news|1 hour ago|•)")


def _block(path: Path, first: str, last: str) -> list[str]:
    """The non-empty lines of a seed from the line starting with first to the line ending with last."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if lines[i].endswith(last))
    return [line for line in lines[start : end + 1] if line and not _FURNITURE.match(line)]


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    """Lines as paragraphs; short lines without closing punctuation are crossheads."""
    out = []
    for line in lines:
        heading = len(line) < 90 and not line.rstrip("”\"'").endswith((".", "?", "!", ":"))
        out.append(Paragraph(line, role="heading" if heading else "body", language="en"))
    return out


def seed_articles() -> tuple[Article, Article, Article]:
    """The re-publisher's copy (seed 000), the aggregator's copy (seed 001) and the glued press release."""
    wapo = OriginalRef(name="The Washington Post", url=WAPO, language="en", published=datetime(2024, 2, 11, tzinfo=UTC))
    republished = Article(
        origin=Origin(str(SEED_ARTICLE), 0),
        title=None,
        paragraphs=_paragraphs(_block(SEED_ARTICLE, "KARBALA, Iraq", "shake hands.")),
        language="en",
        published=datetime(2024, 2, 12, tzinfo=UTC),
        dateline="Karbala, Iraq",
        original=wapo,
        machine_translated=True,
    )
    limited = Article(
        origin=Origin(str(SEED_LIMITED), 0),
        title="Retaliation for killed soldiers – US attacks anger key allies in Iraq",
        paragraphs=_paragraphs(_block(SEED_LIMITED, "Karbala - U.S. officials", "shake hands.”")),
        language="en",
        published=datetime(2024, 2, 12, 11, 44, 42, tzinfo=UTC),
        authors=["Kareem Fahim", "Mustafa Salim", "Abigail Hauslohner", "Missy Ryan"],
        source=SourceRef(name="merkur", url=None),
        original=wapo,
        machine_translated=True,
    )
    release_line = _block(SEED_ARTICLE, "LOS ANGELES, CA / ACCESSWIRE", "View photos")[0]
    release_body = release_line.split(" CONTACT:")[0]
    release = Article(
        origin=Origin(str(SEED_ARTICLE), 1),
        kind="press_release",
        title="What Are The Main Benefits Of Comparing Car Insurance Quotes Online",
        paragraphs=[Paragraph(release_body, language="en")],
        language="en",
        published=datetime(2020, 6, 24, tzinfo=UTC),
        dateline="Los Angeles",
        source=SourceRef(name="ACCESSWIRE", url="https://www.accesswire.com/"),
    )
    return republished, limited, release
