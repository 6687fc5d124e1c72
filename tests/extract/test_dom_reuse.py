"""The DOM pass reuses what it measured once (the body's and the container's text lengths, each block's links):
on random pages it reads exactly what the pass that measures everything again reads."""

from __future__ import annotations

import random

from selectolax.lexbor import LexborHTMLParser

from newsfold.extract import dom
from newsfold.extract.blockmodel import Block, BlockModel
from newsfold.extract.containers import ContainerModel

WORDS = ("council", "river", "vote", "budget", "school", "mayor", "bridge", "report", "said", "on", "the", "of")
NAMES = ("story-body", "related", "share-bar", "article-content", "promo", "x", "sidebar", "entry", "")
TAGS = ("div", "section", "div", "article", "aside", "span", "ul", "li", "figure", "p", "a", "nav")


def _sentence(rng: random.Random) -> str:
    """A sentence of 4 to 30 words."""
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))).capitalize() + "."


def _element(rng: random.Random, depth: int) -> str:
    """A random element: paragraphs, headings, links and nested containers, some named like furniture."""
    if depth > 4 or rng.random() < 0.3:
        kind = rng.random()
        if kind < 0.5:
            return f"<p>{_sentence(rng)}</p>"
        if kind < 0.65:
            return f'<p><a href="/x">{_sentence(rng)}</a> {_sentence(rng)}</p>'
        if kind < 0.8:
            return f"<h2>{_sentence(rng)[:40]}</h2>"
        if kind < 0.9:
            return f"<blockquote><p>{_sentence(rng)}</p></blockquote>"
        return f'<a href="/y">{_sentence(rng)}</a>'
    tag = rng.choice(TAGS)
    name = rng.choice(NAMES)
    inner = "".join(_element(rng, depth + 1) for _ in range(rng.randint(1, 5)))
    return f'<{tag} class="{name}">{inner}</{tag}>'


def _page(rng: random.Random) -> str:
    """A random page."""
    return "<html><body>" + "".join(_element(rng, 0) for _ in range(rng.randint(1, 6))) + "</body></html>"


def _measured_again(markup: str, model: ContainerModel, blocks: BlockModel) -> tuple[list[str], int, list[Block]]:
    """The DOM pass as it read before it reused its measures: every length and link count asked for again."""
    tree = LexborHTMLParser(markup)
    dom._drop_invisible(tree)
    body = tree.body
    assert body is not None
    container = dom._best_container(body, False, model, dom._text_len(body))
    if container is None:
        return [], 0, []
    scope = dom.article_scope(container)
    page_text = dom._text(body)
    dom._clean_container(scope)
    read = dom._read_blocks(scope)
    evidence = dom.block_evidence(read, scope, page_text)
    keep = blocks.keeps(evidence)
    return [p.text for (p, _), kept in zip(read, keep, strict=True) if kept], dom._text_len(scope), evidence


def test_reused_measures_read_what_measuring_again_reads() -> None:
    """read_dom against the pass that measures again, on 200 random pages with furniture inside their articles
    (so the container's length after cleaning is not its length before)."""
    model, blocks = ContainerModel.packaged(), BlockModel.packaged()
    rng = random.Random(1616)
    cleaned = 0
    for _ in range(200):
        markup = _page(rng)
        texts, container_chars, evidence = _measured_again(markup, model, blocks)
        found = dom.read_dom(LexborHTMLParser(markup), model=model, blocks=blocks)
        assert [p.text for p in found.paragraphs] == texts, markup
        assert found.container_chars == container_chars, markup
        tree = LexborHTMLParser(markup)
        dom._drop_invisible(tree)
        assert tree.body is not None
        chosen = dom._choose_container(tree.body, False, model, dom._text_len(tree.body))
        if chosen is not None:
            scope, scope_chars = dom._article_scope(*chosen)
            assert scope_chars == dom._text_len(scope)
            links: dom.LinkMemo = {}
            page_text = dom._text(tree.body)
            removed = dom._clean_container(scope, scope_chars)
            cleaned += removed
            assert removed or dom._text_len(scope) == scope_chars
            read = dom._read_blocks(scope, False, links)
            assert dom.block_evidence(read, scope, page_text, links) == evidence
    assert cleaned > 20


def test_the_body_length_given_is_the_one_measured() -> None:
    """container_candidates told the body's length gives the candidates it gives when it measures the body."""
    rng = random.Random(16)
    for _ in range(150):
        tree = LexborHTMLParser(_page(rng))
        dom._drop_invisible(tree)
        body = tree.body
        assert body is not None
        nodes, candidates, voting = dom.container_candidates(body, False, dom._text_len(body))
        again = dom.container_candidates(body)
        assert [n.mem_id for n in nodes] == [n.mem_id for n in again[0]]
        assert (candidates, voting) == again[1:]
