"""Pages rendered by their scripts: the story carried as HTML in a JSON payload is read; nothing else changes."""

from __future__ import annotations

import json

import pytest

from newsfold.extract.dispatch import Extractor
from newsfold.extract.embedded import embedded_body
from newsfold.model import Article, Origin, RawInput
from tests.extract.test_html import PARAGRAPHS, page

SHELL = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council expands the bus network | Example News</title>
<meta property="og:type" content="article"></head><body><div id="__next"><header><nav><a href="/">Home</a>
<a href="/city">City</a></nav></header><main></main></div>
<script>self.__app = self.__app || []; self.__app.push({payload});</script></body></html>"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module."""
    return Extractor()


def _read(extractor: Extractor, markup: str) -> Article:
    """The one document of a page."""
    (article,) = extractor(
        RawInput(Origin("page.html"), markup.encode(), media_type="text/html", url="https://x.org/a")
    )
    return article


def _payload(html_body: str) -> str:
    """A hydration payload holding an article's HTML among other data."""
    data = {"route": "/city/buses", "user": None, "article": {"id": 7, "contentHtml": html_body, "tags": ["city"]}}
    return json.dumps(data)


def test_a_story_carried_in_a_script_payload_is_read_as_the_article(extractor: Extractor) -> None:
    """The markup's body is empty; the payload's HTML paragraphs become the article, ad markers and tags left out."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3]) + "$$AD$$<p>" + PARAGRAPHS[3] + "</p>"
    article = _read(extractor, SHELL.replace("{payload}", _payload(body)))
    assert article.kind == "article"
    assert article.text == "\n\n".join(PARAGRAPHS)


def test_without_the_payload_the_shell_is_no_article(extractor: Extractor) -> None:
    """The same shell without the story in its scripts stays an empty 'other' document."""
    article = _read(extractor, SHELL.replace("{payload}", _payload("<p>Menu</p><p>Sign in</p>")))
    assert article.kind == "other"
    assert article.text == ""


def test_a_page_with_its_story_in_the_markup_ignores_its_scripts(extractor: Extractor) -> None:
    """A page whose markup holds the story keeps it, even when a script carries other HTML prose."""
    other = "".join(f"<p>{p} Read more about it in the next issue of our magazine.</p>" for p in PARAGRAPHS)
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    markup = page(body, head=f"<script>window.__related = {_payload(other)};</script>")
    article = _read(extractor, markup)
    assert article.text == "\n\n".join(PARAGRAPHS)


def test_only_json_string_literals_of_html_paragraphs_count() -> None:
    """Short literals, literals without paragraphs, external and JSON-LD scripts hold no body; a broken escape is
    skipped, not an error."""
    prose = " ".join(PARAGRAPHS)
    assert embedded_body(SHELL.replace("{payload}", json.dumps({"text": prose}))) is None  # prose, no <p>
    assert embedded_body(SHELL.replace("{payload}", json.dumps({"html": "<p>a</p><p>b</p>"}))) is None  # too short
    ld = f'<script type="application/ld+json">{_payload("<p>" + prose + "</p><p>" + prose + "</p>")}</script>'
    assert embedded_body(f"<html><body>{ld}</body></html>") is None
    broken = '"' + "<p>" + prose + "</p><p>" + prose + '\\x</p>"'
    assert embedded_body(SHELL.replace("{payload}", broken)) is None
    found = embedded_body(SHELL.replace("{payload}", _payload(f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>")))
    assert found is not None
    assert [p.text for p in found.paragraphs] == PARAGRAPHS[:2]
