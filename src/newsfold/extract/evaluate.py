"""Measuring extraction: development pages with expected bodies, scraped-text dumps and token-level scores."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from newsfold.model import Paragraph
from newsfold.text.words import PLAIN

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "head", "object", "canvas")
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "button",
        "option",
        "select",
        "label",
    ]
)


@dataclass(slots=True, frozen=True)
class DevPage:
    """One development page: its HTML, where it was found and the expected fields."""

    name: str
    url: str | None
    html: bytes
    title: str | None
    body: list[str]


@dataclass(slots=True, frozen=True)
class Score:
    """Token-level precision, recall and F1 of extracted text against the expected text."""

    precision: float
    recall: float
    f1: float


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; Chinese, Japanese and Korean runs split into single characters. The runs are re's
    \\w+ (marks split a word), as every figure of docs/extraction.md was scored: the metric stays what it was when
    plain_words learned to keep marks."""
    lowered = text.lower()
    words: list[str] = PLAIN.findall(lowered)
    if _CJK.search(lowered) is None:
        return words  # no word to split (the words are pieces of the lowered text)
    out: list[str] = []
    for word in words:
        if _CJK.search(word):
            out.extend(word)
        else:
            out.append(word)
    return out


def score(predicted: str, expected: str) -> Score:
    """Bag-of-tokens precision, recall and F1 (the measure of the article-extraction benchmarks)."""
    got = Counter(tokens(predicted))
    want = Counter(tokens(expected))
    common = sum((got & want).values())
    precision = common / sum(got.values()) if got else (1.0 if not want else 0.0)
    recall = common / sum(want.values()) if want else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def mean_score(scores: list[Score]) -> Score:
    """The mean of per-page scores (each page counts once, whatever its length)."""
    if not scores:
        return Score(0.0, 0.0, 0.0)
    n = len(scores)
    return Score(sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n, sum(s.f1 for s in scores) / n)


def _expected_body(fields: dict[str, object]) -> list[str]:
    """The expected body paragraphs of a fundus-style record: summary, crossheads and paragraphs."""
    body = fields.get("body")
    if not isinstance(body, dict):
        return []
    out = [str(s) for s in body.get("summary") or []]
    for section in body.get("sections") or []:
        out.extend(str(h) for h in section.get("headline") or [])
        out.extend(str(p) for p in section.get("paragraphs") or [])
    return out


def load_dev_pages(root: Path) -> Iterator[DevPage]:
    """Every page of an extraction-dev folder (country/Publisher.json plus Publisher_DATE.html.gz files)."""
    for record in sorted(root.glob("*/*.json")):
        publisher = record.stem
        meta_path = record.parent / "meta.info"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
        pages = sorted(
            p
            for p in record.parent.glob(f"{publisher}_*.html.gz")
            if p.name[len(publisher) + 1 : len(publisher) + 2].isdigit()
        )
        versions = json.loads(record.read_text("utf-8"))
        for fields, page in zip(versions.values(), pages, strict=False):
            body = _expected_body(fields)
            if not body:
                continue
            yield DevPage(
                name=f"{record.parent.name}/{page.name}",
                url=(meta.get(page.name) or {}).get("url"),
                html=gzip.decompress(page.read_bytes()),
                title=fields.get("title"),
                body=body,
            )


def _visible_lines(root: Node, lines: list[str], current: list[str]) -> None:
    """Walk the tree, starting a new line at every block element (what a scraper's text dump does)."""
    stack: list[Node | None] = [root.child]
    while stack:
        node = stack.pop()
        if node is None:
            _flush(lines, current)
            continue
        if node.next is not None:
            stack.append(node.next)
        tag = node.tag
        if tag == "-text":
            current.append(node.text_content or "")
        elif tag not in _INVISIBLE and tag != "-comment":
            if tag in BLOCK_TAGS:
                _flush(lines, current)
                stack.append(None)
            if node.child is not None:
                stack.append(node.child)


def _flush(lines: list[str], current: list[str]) -> None:
    """End the current line (whitespace collapsed), if it holds any text."""
    line = " ".join("".join(current).split())
    if line:
        lines.append(line)
    current.clear()


def text_dump(html: bytes | str) -> str:
    """All visible text of a page, one block a line: the plain text a scraper saves."""
    tree = HTMLParser(html)
    root = tree.body or tree.root
    lines: list[str] = []
    current: list[str] = []
    if root is not None:
        _visible_lines(root, lines, current)
        _flush(lines, current)
    return "\n".join(lines)


def scored_text(paragraphs: list[Paragraph]) -> str:
    """The text scored against a page's expected body: everything but captions (crossheads and standfirst count)."""
    return "\n".join(p.text for p in paragraphs if p.role != "caption")
