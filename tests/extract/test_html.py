"""HTML pages: main text with roles, metadata from JSON-LD / Open Graph / meta tags, provenance, bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from newsfold.errors import InputError
from newsfold.extract import dom, html
from newsfold.extract.dispatch import Extractor
from newsfold.ingest.files import read_file
from newsfold.model import Article, Origin, Paragraph, RawInput

PARAGRAPHS = [
    "The city council voted on Tuesday to expand the bus network, a decision that officials said would bring service "
    "to thousands of residents who have waited for years for a reliable connection to the centre of town.",
    "The plan, which will cost about 40 million euros over five years, was approved after a long debate in which "
    "several members of the opposition said the money should have been spent on the repair of old roads instead.",
    "Residents of the northern districts, where many people do not own a car, welcomed the decision and said they "
    "hoped that the first new lines would be running before the start of the next school year in September.",
    "The transport authority said it would publish the new timetables in the summer, after a round of public "
    "consultations in every district, and that fares would not rise for at least two years after the launch.",
]


def page(
    body: str, *, head: str = "", url: str = "https://news.example.org/city/2024/05/03/buses", charset: str = "utf-8"
) -> str:
    """A news page around an article body: menus, a related-stories box, comments and a footer."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council expands the bus network",
        "datePublished": "2024-05-03T17:47:00+02:00",
        "dateModified": "2024-05-04T08:00:00+02:00",
        "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Organization", "name": "Example News"}],
        "publisher": {"@type": "Organization", "name": "Example News"},
        "articleSection": "City",
    }
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>Council expands the bus network | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Council expands the bus network">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{json.dumps(ld)}</script>{head}</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/city">City</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article><h1>Council expands the bus network</h1>
<p class="article-lead">A new plan brings buses to the northern districts by the autumn.</p>
<figure><img src="a.jpg"><figcaption>Buses at the central station. Photo: John Roe</figcaption></figure>
<div class="article-body">{body}</div>
<div class="share-buttons"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
</article>
<aside class="related-stories"><h3>Related</h3>
<ul><li><a href="/a">Another story about the council and its plans</a></li>
<li><a href="/b">Weather: sun all weekend long in the city and the region around it</a></li></ul></aside>
<section id="comments"><p>Great news for everybody who lives up north and has waited for years, finally!</p></section>
</main><footer><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module."""
    return Extractor()


def _html(extractor: Extractor, markup: str | bytes, url: str | None = "https://news.example.org/x") -> list[Article]:
    """Documents of one HTML page."""
    data = markup.encode("utf-8") if isinstance(markup, str) else markup
    return extractor(RawInput(Origin("page.html"), data, media_type="text/html", url=url))


def test_main_text_roles_and_metadata(extractor: Extractor) -> None:
    """The article's paragraphs only, a crosshead marked, standfirst and caption kept apart; metadata read."""
    body = f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p><h2>What comes next</h2><p>{PARAGRAPHS[2]}</p>"
    body += f"<blockquote><p>{PARAGRAPHS[3]}</p></blockquote>"
    (article,) = _html(extractor, page(body))
    assert article.kind == "article"
    assert article.title == "Council expands the bus network"
    assert article.text == "\n\n".join(PARAGRAPHS)
    roles = [(p.role, p.text[:20]) for p in article.paragraphs]
    assert ("heading", "What comes next") in roles
    assert ("quote", PARAGRAPHS[3][:20]) in roles
    assert all("Related" not in p.text and "Share on" not in p.text and "Great news" not in p.text
               for p in article.paragraphs)  # fmt: skip
    assert article.published is not None and article.published.isoformat() == "2024-05-03T17:47:00+02:00"
    assert article.updated is not None and article.updated.isoformat() == "2024-05-04T08:00:00+02:00"
    assert article.authors == ["Jane Doe"]
    assert article.source.name == "Example News"
    assert article.section == "City"
    assert article.canonical_url == "https://news.example.org/city/2024/05/03/buses"
    assert article.language == "en"
    assert all(p.language == "en" for p in article.paragraphs if p.role == "body")
    assert article.original is None


def test_canonical_on_another_site_is_the_original(extractor: Extractor) -> None:
    """A copy whose rel=canonical points to another site names that page as its original."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    markup = page(body, url="https://www.origin-paper.example.com/story/123")
    (article,) = _html(extractor, markup, url="https://aggregator.example.net/copy/9")
    assert article.original is not None and article.original.url == "https://www.origin-paper.example.com/story/123"


def test_notices_in_html(extractor: Extractor) -> None:
    """'Originally published at' and machine-translation notices become provenance, not body text."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body += "<p>This article was originally published in German on 2 May 2024 at Example Zeitung.</p>"
    body += "<p>This article was automatically translated from German into English.</p>"
    (article,) = _html(extractor, page(body))
    assert article.machine_translated is True
    assert article.original is not None and article.original.language == "de"
    assert article.original.name == "Example Zeitung"
    assert "originally published" not in article.text


def test_fallback_on_pages_without_paragraph_tags(extractor: Extractor) -> None:
    """A page whose text sits in divs and line breaks still gives its article (trafilatura's cascade)."""
    body = "<div>" + "<br><br>".join(PARAGRAPHS) + "</div>"
    markup = f"<html><head><title>Buses</title></head><body><div id='story'>{body}</div></body></html>"
    (article,) = _html(extractor, markup)
    assert article.kind == "article"
    assert "northern districts" in article.text and "timetables" in article.text


def test_story_in_divs_is_read_without_the_cascade(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Text standing in divs and line breaks, between menus and a widget repeated under every paragraph, is read by
    the loose fast path: paragraph by paragraph, the widget left out, trafilatura's cascade never run."""

    def no_cascade(markup: str, url: str | None) -> list[object]:
        """The cascade must not run."""
        raise AssertionError("cascade ran")

    monkeypatch.setattr(html, "_trafilatura", no_cascade)
    widget = "<div class='react'>Reactions are open to registered members only.</div>"
    body = "".join(
        f"<div class='t'>{p[:90]}<br><a href='/x'>{p[90:110]}</a>{p[110:]}{widget}</div>" for p in PARAGRAPHS
    )
    menu = "<ul>" + "".join(f"<li><a href='/{i}'>Section number {i}</a></li>" for i in range(8)) + "</ul>"
    markup = f"<html><head><title>Buses</title></head><body>{menu}<div id='story'>{body}</div></body></html>"
    (article,) = _html(extractor, markup)
    assert article.kind == "article"
    assert [p.text for p in article.paragraphs][:2] == [PARAGRAPHS[0][:90].strip(), PARAGRAPHS[0][90:].strip()]
    assert "timetables" in article.text and "Reactions" not in article.text and "Section number" not in article.text


def test_page_without_article_is_other(extractor: Extractor) -> None:
    """A menu page is an 'other' document."""
    markup = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><p>Page not found.</p></body></html>"
    (document,) = _html(extractor, markup)
    assert document.kind == "other"


def test_broken_and_truncated_html(extractor: Extractor) -> None:
    """Unclosed tags and a page cut mid-way still give the text that is there."""
    body = "".join(f"<p>{p}" for p in PARAGRAPHS)
    markup = page(body)[: len(page(body)) // 2 + 400]
    documents = _html(extractor, markup)
    assert len(documents) == 1
    assert PARAGRAPHS[0][:40] in documents[0].full_text


def test_mislabelled_charset_is_detected(extractor: Extractor) -> None:
    """A Latin-1 page that declares UTF-8 is still read correctly."""
    text = "Die Bürgerinnen und Bürger der nördlichen Viertel begrüßten die Entscheidung des Stadtrats sehr. " * 4
    body = "".join(f"<p>{text} {i}</p>" for i in range(5))
    markup = page(body, charset="utf-8").replace('lang="en"', 'lang="de"').encode("latin-1", errors="replace")
    (article,) = _html(extractor, markup)
    assert "Bürgerinnen" in article.text and "begrüßten" in article.text


def test_binary_file_named_html_is_an_error(tmp_path: Path, extractor: Extractor) -> None:
    """Binary data gives one InputError naming the file, not a crash."""
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with pytest.raises(InputError, match="binary"):
        extractor(read_file(path))


def test_plain_text_inside_an_html_file(extractor: Extractor) -> None:
    """A .html file that holds scraped text (a tag or two at most) is read as text."""
    text = "\n\n".join(["Home", "News", "Council expands the bus network", *PARAGRAPHS, "© Example News"])
    (article,) = _html(extractor, text)
    assert article.text == "\n\n".join(PARAGRAPHS)
    assert article.title == "Council expands the bus network"


def test_html_inside_plain_text(extractor: Extractor) -> None:
    """A .txt file holding a whole HTML page is read as HTML (no tags leak into the body)."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    documents = extractor(RawInput(Origin("page.txt"), page(body).encode("utf-8"), media_type="text/plain"))
    assert documents[0].text == "\n\n".join(PARAGRAPHS)


@pytest.mark.slow
def test_a_20_mb_page_is_bounded(extractor: Extractor) -> None:
    """A 20 MB page gives its article in bounded time."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    filler = "<div class='teaser'><a href='/x'>Another headline for the list</a></div>" * 300_000
    markup = page(body + filler)
    assert len(markup) > 20_000_000
    start = time.perf_counter()
    documents = _html(extractor, markup)
    assert time.perf_counter() - start < 60
    assert PARAGRAPHS[0] in documents[0].full_text


def test_authors_and_time_from_the_visible_page(extractor: Extractor) -> None:
    """Without metadata, the byline and the <time> element on the page give authors and the publication time."""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    markup = (
        "<html><head><title>Buses</title></head><body><article><h1>Council expands the bus network</h1>"
        "<div class='byline'>By <a rel='author' href='/a/jd'>Jane Doe</a> and <a rel='author'>John Smith</a>,"
        " Staff</div><time datetime='2024-05-03T17:47:00+02:00'>3 May</time>"
        f"<div class='story-text'>{body}</div></article></body></html>"
    )
    (article,) = _html(extractor, markup)
    assert article.authors == ["Jane Doe", "John Smith"]
    assert article.published is not None and article.published.isoformat() == "2024-05-03T17:47:00+02:00"


def test_listing_page_is_other(extractor: Extractor) -> None:
    """A section front (headlines linking to stories, a line of teaser each) is an 'other' document."""
    teasers = "".join(
        f"<div class='card'><h3><a href='/story/{i}'>Council debates the plan number {i} for the northern districts"
        f"</a></h3><p>Short teaser {i} of the story.</p></div>"
        for i in range(20)
    )
    markup = f"<html><head><title>City news</title></head><body><main>{teasers}</main></body></html>"
    (document,) = _html(extractor, markup)
    assert document.kind == "other"


def test_a_paragraph_repeating_an_images_alt_text_is_a_caption(extractor: Extractor) -> None:
    """A gallery's caption written out beside its image (the same text as the image's alt) is not body text; a
    short alt text (a label) marks nothing."""
    caption = "Riders board one of the new buses at the central station on Monday, the first day of the new lines."
    body = f'<p>{PARAGRAPHS[0]}</p><div class="slide"><img src="b.jpg" alt="{caption}"><p>{caption}</p></div>'
    body += f'<img src="c.jpg" alt="Bus"><p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p><p>Bus</p><p>{PARAGRAPHS[3]}</p>'
    (article,) = _html(extractor, page(body))
    roles = {p.text: p.role for p in article.paragraphs}
    assert roles[caption] == "caption"
    assert caption not in article.text
    assert all(roles[p] == "body" for p in PARAGRAPHS)


def test_class_names_mark_furniture_unless_a_part_says_content() -> None:
    """A furniture word in any class or id name marks an element, unless another name says content; the verdict is
    the same when the same names are asked again (it is remembered) and names differing in case split the same."""
    page = LexborHTMLParser(
        '<div id="a" class="related-links">x</div><div id="b" class="article-body has-sidebar">x</div>'
        '<div id="c" class="RelatedLinks">x</div><div id="d" class="plain">x</div><main class="ads">x</main>'
    )
    verdicts = {
        node.attributes["id"]: dom._is_noise(node) for node in page.css("div, main") if node.attributes.get("id")
    }
    verdicts |= {"main": dom._is_noise(page.css_first("main"))}
    assert verdicts == {"a": True, "b": False, "c": True, "d": False, "main": False}
    assert dom.name_marks("article-body has-sidebar") == (True, True)
    assert dom.name_marks("article-body has-sidebar") == (True, True)


def test_a_short_cjk_story_needs_no_cascade(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three Japanese paragraphs of about 140 characters each carry what 700 characters of a spaced script do: the
    fast reading is kept and trafilatura's cascade does not run."""
    sentence = "気象庁は十三日夜、日向灘を震源とする地震があったと発表し、高知県と宮崎県に津波注意報を出した。"
    paragraphs = [sentence * 3, sentence * 3, sentence * 3]
    assert 700 / 2 <= sum(map(len, paragraphs)) < 700

    def refuse(markup: str, url: str | None) -> list[Paragraph]:
        raise AssertionError("the cascade ran")

    monkeypatch.setattr(html, "_trafilatura", refuse)
    (article,) = _html(extractor, page("".join(f"<p>{p}</p>" for p in paragraphs)))
    assert article.kind == "article"
    assert [p.text for p in article.paragraphs if p.role == "body"] == paragraphs
