"""A page's own summary shown outside the story's element (a dek in its header) is the story's standfirst."""

from __future__ import annotations

import pytest

from newsfold.extract.dispatch import Extractor
from newsfold.model import Article, Origin, RawInput
from tests.extract.test_html import PARAGRAPHS

SUMMARY = "Buses will reach the northern districts by the autumn, and fares are frozen for two years after the launch."


def _page(dek: str, description: str | None = SUMMARY, inside: str = "") -> str:
    """A story page whose header (outside the text's container) holds dek, its meta description description."""
    meta = f'<meta name="description" content="{description}">' if description else ""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f"""<!DOCTYPE html><html lang="en"><head><title>Council expands the bus network</title>{meta}
<meta property="og:type" content="article"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li></ul></nav>
<header class="story-header"><h1>Council expands the bus network</h1>{dek}</header>
<div class="story-text">{inside}{body}</div>
<footer><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module."""
    return Extractor()


def _article(extractor: Extractor, markup: str) -> Article:
    """The page's one document."""
    raw = RawInput(Origin("page.html"), markup.encode(), media_type="text/html", url="https://news.example.org/x")
    (article,) = extractor(raw)
    return article


def test_a_dek_outside_the_container_is_the_standfirst(extractor: Extractor) -> None:
    """The summary the header shows (spaced as the page writes it) opens the story as its standfirst."""
    article = _article(extractor, _page(f"<p class='dek'>  {SUMMARY.replace(' ', chr(10) + '  ', 3)} </p>"))
    assert article.kind == "article"
    assert article.paragraphs[0].role == "standfirst"
    assert article.paragraphs[0].text == SUMMARY
    assert article.paragraphs[0].language == article.language == "en"
    assert [p.text for p in article.paragraphs[1:]] == PARAGRAPHS


def test_a_summary_the_page_does_not_show_is_not_added(extractor: Extractor) -> None:
    """A description found only in the head, or shown as part of a longer text, adds nothing."""
    for dek in ("", f"<p>Read more: {SUMMARY} And more besides, in a teaser that says much else.</p>"):
        article = _article(extractor, _page(dek))
        assert SUMMARY not in [p.text for p in article.paragraphs]


def test_a_summary_already_read_is_not_repeated(extractor: Extractor) -> None:
    """A dek inside the story's element is read there once, not added again."""
    article = _article(extractor, _page("", inside=f"<p class='lead'>{SUMMARY}</p>"))
    assert [p.text for p in article.paragraphs].count(SUMMARY) == 1


def test_a_short_summary_is_a_label_not_a_standfirst(extractor: Extractor) -> None:
    """A description under 40 characters shown in the header is not taken."""
    article = _article(extractor, _page("<p>Buses for the north.</p>", description="Buses for the north."))
    assert "Buses for the north." not in [p.text for p in article.paragraphs]
