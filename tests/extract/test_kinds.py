"""Document kinds: a page whose main text reads as an article is an article, however many links surround it."""

from __future__ import annotations

from collections import Counter

import pytest

from newsfold.extract.dispatch import Extractor
from newsfold.extract.evaluate import load_dev_pages, score
from newsfold.extract.kindmodel import FEATURES, KindModel
from newsfold.extract.kindset import build_kind_set
from newsfold.model import Article, Origin, RawInput
from newsfold.text.words import text_weight
from tests.conftest import data_dir
from tests.extract.test_html import page

# measured (benchmarks/train_kinds.py --check, model fitted on one part, scored on the other): 18 of 1,780 articles
# hidden (1.0%), 108 of 554 non-article pages shown; the shipped model on every fourth page of the set:
MAX_HIDDEN_SHARE = 0.005
MIN_OTHER_RECALL = 0.9
MAX_REPLACED_RECALL = 0.3

BRIEF = (
    "BERLIN (dpa) -- The German government on Wednesday approved a plan to cut the red tape for new wind farms, "
    "a step that the economy minister said would halve the time it takes to build one. Operators have complained "
    "for years that permits take longer than the turbines themselves. The plan now goes to parliament, where the "
    "coalition holds a majority, and could take effect before the summer."
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module."""
    return Extractor()


def _html(extractor: Extractor, markup: str) -> list[Article]:
    """Documents of one HTML page."""
    raw = RawInput(Origin("page.html"), markup.encode(), media_type="text/html", url="https://news.example.org/x")
    return extractor(raw)


def test_one_paragraph_page_is_an_article(extractor: Extractor) -> None:
    """A <title> and one short <p>: an article with that paragraph as its body."""
    text = "A fire destroyed a barn near Ulm on Tuesday night, the police said. Nobody was hurt."
    markup = f"<html><head><title>Fire destroys barn near Ulm</title></head><body><p>{text}</p></body></html>"
    (article,) = _html(extractor, markup)
    assert article.kind == "article"
    assert article.text == text


def test_a_paragraph_repeating_the_title_keeps_the_body(extractor: Extractor) -> None:
    """The one paragraph that repeats the title is not dropped: the body never goes empty for it."""
    title = "Council votes to expand the bus network to the northern districts by the autumn"
    markup = f"<html><head><title>{title}</title></head><body><p>{title}</p></body></html>"
    (article,) = _html(extractor, markup)
    assert article.text == title


def test_wire_brief_in_a_busy_page_is_an_article(extractor: Extractor) -> None:
    """A 400-character brief in a page of menus, related boxes and two dozen headline links is an article."""
    links = "".join(
        f"<li><a href='/s/{i}'>Another headline about the region and its people, number {i}</a></li>" for i in range(24)
    )
    markup = page(f"<p>{BRIEF}</p>").replace("</main>", f"</main><aside><h2>Latest</h2><ul>{links}</ul></aside>")
    (article,) = _html(extractor, markup)
    assert article.kind == "article"
    assert "wind farms" in article.text


# the packaged model hid 174 of the kind set's 504 short briefs (35%) before it learned them; held out by publisher
# part, the model fitted on the other part hides 8 of 226 and 6 of 278 (benchmarks/train_kinds.py --check)
MAX_HIDDEN_SHORT_SHARE = 0.05


def test_short_briefs_in_a_page_chrome_are_articles(extractor: Extractor) -> None:
    """A story of one or two paragraphs (150-400 characters) in a real page's chrome, alone or beside dozens of
    headline links, is an article: every second short brief of the kind set."""
    pages = [
        p for p in build_kind_set(list(load_dev_pages(data_dir("extraction-dev")))) if p.variant.startswith("short")
    ]
    hidden = []
    for labelled in pages[::2]:
        raw = RawInput(Origin(labelled.name), labelled.html.encode(), media_type="text/html", url=labelled.url)
        (document,) = extractor(raw)
        if document.kind == "other":
            hidden.append(labelled.name)
    assert len(pages[::2]) > 200
    assert len(hidden) <= MAX_HIDDEN_SHORT_SHARE * len(pages[::2]), hidden


def test_packaged_model_fits_the_evidence() -> None:
    """The shipped weights load and name the evidence the extractor computes."""
    model = KindModel.packaged()
    assert 0.5 <= model.threshold < 1.0
    assert len(FEATURES) > 10


def test_kind_set_confusion(extractor: Extractor) -> None:
    """On every fourth page of the labelled kind set (built from the development pages), hardly any article is
    hidden and most non-article pages are told apart."""
    pages = build_kind_set(list(load_dev_pages(data_dir("extraction-dev"))))[::4]
    counts: Counter[tuple[str, str]] = Counter()
    for labelled in pages:
        raw = RawInput(Origin(labelled.name), labelled.html.encode(), media_type="text/html", url=labelled.url)
        (document,) = extractor(raw)
        if labelled.replaced and score(document.text, labelled.replaced).recall > MAX_REPLACED_RECALL:
            continue  # the page still holds the replaced article elsewhere: not a clean non-article page
        counts[labelled.label, "other" if document.kind == "other" else "article"] += 1
    articles = counts["article", "article"] + counts["article", "other"]
    others = counts["other", "article"] + counts["other", "other"]
    assert articles > 250 and others > 100
    assert counts["article", "other"] <= MAX_HIDDEN_SHARE * articles, counts
    assert counts["other", "other"] >= MIN_OTHER_RECALL * others, counts


def test_no_development_article_is_hidden(extractor: Extractor) -> None:
    """Every page of extraction-dev is a news article: none comes out as 'other' (the issue's first condition;
    the one that did, a page rendered by its scripts, is read from its payload now)."""
    hidden = []
    for dev in load_dev_pages(data_dir("extraction-dev")):
        raw = RawInput(Origin(dev.name), dev.html, media_type="text/html", url=dev.url)
        if any(document.kind == "other" for document in extractor(raw)):
            hidden.append(dev.name)
    assert hidden == []


JAPANESE_BRIEF = (
    "気象庁は13日夜、日向灘を震源とする地震があったと発表した。震源の深さは約30キロで、地震の規模は6.9と推定される。"
    "気象庁は高知県と宮崎県に津波注意報を出し、海岸から離れるよう呼びかけている。けが人の情報は入っていない。"
)


def test_short_cjk_article_in_scraped_text_is_an_article(extractor: Extractor) -> None:
    """A scraped-text brief of about 110 Japanese characters (as much as 200 of a spaced script) is an article."""
    menu = "\n".join(["トップ", "社会", "経済", "政治", "国際", "ランキング", "ログイン"])
    text = f"{menu}\n\n日向灘で震度5弱の地震\n\n{JAPANESE_BRIEF}\n"
    raw = RawInput(Origin("brief.txt", media_type="text/plain"), text.encode(), media_type="text/plain")
    (article,) = extractor(raw)
    assert len(JAPANESE_BRIEF) < 200
    assert article.kind == "article"
    assert "津波注意報" in article.text


def test_text_weight_counts_cjk_double() -> None:
    """Spaced scripts count their characters; text opening in kana, hanzi or hangul counts them double."""
    assert text_weight("The council voted.") == 18
    assert text_weight("気象庁は発表した。") == 18
    assert text_weight("서울시는 발표했다") == 18
