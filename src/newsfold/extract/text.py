"""Plain scraped text to articles: furniture removed, glued documents split, metadata and provenance read."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfold.extract.classify import NEUTRAL, Block, Classifier
from newsfold.extract.datelines import find_dateline
from newsfold.extract.dates import parse_date
from newsfold.extract.furniture import FurnitureMemory
from newsfold.extract.kinds import classify_kind, clean_press_release, press_release_signals
from newsfold.extract.linemodel import LineModel, line_features
from newsfold.extract.lines import (
    ends_sentence,
    furniture_rule,
    is_credit,
    is_list_header,
    line_words,
    title_like,
)
from newsfold.extract.notices import WIRE_CREDIT, outlet_name, site_from_host
from newsfold.extract.split import Line, split_documents, to_lines
from newsfold.extract.textmeta import TextMeta, read_text_meta
from newsfold.language.identify import DocumentLanguage, label_article
from newsfold.model import Article, Origin, OriginalRef, Paragraph, Role, SourceRef
from newsfold.text.words import text_weight
from newsfold.urls import host_of

log = logging.getLogger(__name__)

_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?>")
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|header|footer)\b[^<>]{0,500}>", re.I
)
MIN_STRAY_TAGS = 3

Identify = Callable[[str], str | None]
# one identification of a whole document: its language, script and whether the model was sure of it
Sure = Callable[[str], DocumentLanguage]
MIN_BODY_CHARS = 200
# beyond these, a page is cut (bounds the time per page; a news page has a few hundred lines)
MAX_LINES = 10_000
MAX_TEXT_CHARS = 2_000_000
MAX_CAPTION = 180
# lines this close above the body may be its standfirst or a crosshead; further up they are page furniture
PRE_BODY_REACH = 8
# lines other than good ones allowed inside one run of body text, and between runs joined into one body
MAX_GAP = 3
MAX_JOIN_GAP = 16
MIN_JOIN_CHARS = 150
_HEADER_ZONE = 12
# documents shorter than this are decided by the rules: the line model learned from pages of 14 lines and more
MIN_MODEL_LINES = 12


@dataclass(slots=True)
class Layout:
    """Where a document's parts sit among its lines."""

    title: int | None = None
    site: int | None = None
    body_start: int | None = None
    body_end: int | None = None
    captions: set[int] = field(default_factory=set)
    # the lines the line model keeps (None: the rules decide)
    kept: set[int] | None = None


def line_key(text: str) -> str:
    """A line normalised for comparing across pages (case, digits and spacing ignored)."""
    return " ".join(re.sub(r"\d+", "0", text.lower()).split())


class TextExtractor:
    """Turns scraped text into documents; holds the classifier and language identifier it uses."""

    def __init__(
        self,
        identify: Identify,
        memory: FurnitureMemory | None = None,
        quick: Identify | None = None,
        sure: Sure | None = None,
        line_model: LineModel | None = None,
    ) -> None:
        """Use identify for documents' languages and quick (default: identify) for paragraphs' where sure (the
        document's language and script when the model is sure of it) does not answer; memory learns and gives the
        lines that recur on a source's pages."""
        self._identify = identify
        self._quick = quick or identify
        self._sure = sure
        self._classifier = Classifier()
        self._memory = memory
        self._line_model = line_model
        # when a list: every document's lines and line evidence are appended to it (for training the line model)
        self.evidence_log: list[tuple[list[Line], np.ndarray]] | None = None

    def extract(self, content: str, origin: Origin, url: str | None = None) -> list[Article]:
        """Every document in one page of scraped text."""
        lines = to_lines(strip_markup(content[:MAX_TEXT_CHARS]))
        if not lines:
            return [Article(origin=origin, kind="other")]
        if len(lines) > MAX_LINES or len(content) > MAX_TEXT_CHARS:
            log.warning("%s: only the first %d lines are read", origin.location, MAX_LINES)
            lines = lines[:MAX_LINES]
        segments = split_documents(lines, self._quick)
        return [
            self._document(segment, Origin(origin.location, i, origin.fetched, origin.media_type), url)
            for i, segment in enumerate(segments)
        ]

    def use_memory(self, memory: FurnitureMemory | None) -> None:
        """Learn and read recurring lines with memory from now on (None: none)."""
        self._memory = memory

    def use_line_model(self, model: LineModel | None) -> None:
        """Decide the article's lines with model from now on (None: by the rules alone)."""
        self._line_model = model

    def _furniture(
        self, lines: Sequence[Line], meta: TextMeta, source: str | None, keys: Sequence[str]
    ) -> list[str | None]:
        """Per line: the furniture rule it matches (lists of other headlines included), or None; keys are the
        lines' line_key."""
        known = self._memory.recurring(source, keys) if self._memory is not None else frozenset()
        verdicts: list[str | None] = []
        in_list = False
        for i, line in enumerate(lines):
            if i in meta.consumed:
                verdicts.append("metadata")
                continue
            rule = "date" if i in meta.teaser_dates else furniture_rule(line.text)
            if rule is None and known and keys[i] in known:
                rule = "recurring"
            if is_list_header(line.text):
                in_list = True
            elif in_list and not (line.bullet or line.indent >= 2 or len(line.text) < 60):
                in_list = False
            if rule is None and (in_list or (line.bullet and _headline_list(lines, i))):
                rule = "headline-list"
            verdicts.append(rule)
        return verdicts

    def _document(self, lines: list[Line], origin: Origin, url: str | None) -> Article:
        """One document from its lines."""
        meta = read_text_meta(lines)
        site_line = _site_line(lines, meta)
        # furniture belongs to the site that rendered the page: its host, else its name line, else the named source
        source_key = host_of(url) or (lines[site_line].text if site_line is not None else meta.source_name)
        keys = [line_key(line.text) for line in lines]
        verdicts = self._furniture(lines, meta, source_key, keys)
        if self._memory is not None and origin.index == 0:
            page = "\n".join(line.text for line in lines)
            self._memory.observe(source_key, keys, page)
        blocks = [Block(line.text, verdicts[i]) for i, line in enumerate(lines)]
        # the longest lines say the document's language best (menus and notices may be in another)
        sample = " ".join(sorted((b.text for b in blocks if not b.furniture), key=len, reverse=True)[:12])[:3000]
        document = self._sure(sample) if self._sure is not None and sample else None
        language = document.language if document else self._identify(sample) if sample else None
        initial = self._classifier.classify(blocks, language)
        for block in blocks[: _HEADER_ZONE * 2]:
            # a paragraph opening with a dateline is the story's first paragraph, whatever its stopwords say
            if not block.furniture and len(block.text) >= 80 and find_dateline(block.text) is not None:
                block.klass = "good"
                break
        layout = _layout(lines, blocks, meta, site_line)
        if self._line_model is not None or self.evidence_log is not None:
            layout = self._learned_layout(lines, blocks, meta, site_line, keys, initial, language, layout)
        paragraphs = _paragraphs(lines, blocks, layout)
        article = Article(origin=origin, title=lines[layout.title].text if layout.title is not None else None)
        article.paragraphs = paragraphs
        article.language = language
        _apply_meta(article, meta, lines, layout)
        signals = press_release_signals(lines[layout.body_start or 0 :] if lines else [])
        dateline = find_dateline(paragraphs[0].text) if paragraphs and paragraphs[0].role == "body" else None
        if dateline is None:
            dateline = next(
                (find_dateline(p.text) for p in paragraphs[:4] if p.role == "body" and find_dateline(p.text)), None
            )
        if dateline is not None:
            article.dateline = dateline.place
            if dateline.wire:
                article.source = SourceRef(dateline.wire, article.source.url)
                article.published = article.published or dateline.date
        article.kind = classify_kind(article, signals, dateline)
        if article.kind == "press_release":
            clean_press_release(article, dateline)
        _wire_credit(article)
        label_article(article, self._quick, document)
        if text_weight(article.text) < MIN_BODY_CHARS and not article.title:
            article.kind = "other"
        return article

    def _learned_layout(  # noqa: PLR0913  a document's lines, blocks and metadata the line model reads
        self,
        lines: list[Line],
        blocks: list[Block],
        meta: TextMeta,
        site_line: int | None,
        keys: Sequence[str],
        initial: Sequence[str],
        language: str | None,
        layout: Layout,
    ) -> Layout:
        """The layout from the line model's verdicts: a line is good where the model says so (furniture stays
        bad), and the body region is found again among the good lines."""
        evidence = line_features(
            [line.text for line in lines],
            [line.bullet for line in lines],
            [b.furniture for b in blocks],
            initial,
            [b.klass for b in blocks],
            [self._classifier.stopword_density(line.text, language) for line in lines],
            keys,
        )
        if self.evidence_log is not None:
            self.evidence_log.append((lines, evidence))
        if self._line_model is None or len(lines) < MIN_MODEL_LINES:
            return layout
        probability = self._line_model.probabilities(evidence)
        threshold = self._line_model.threshold
        kept = [i for i, p in enumerate(probability) if p >= threshold and not blocks[i].furniture]
        if not kept:
            # nothing the model knows as an article's (a document unlike any it learned from): the rules decide
            return layout
        for i in kept:
            blocks[i].klass = "good"
        return _kept_layout(lines, blocks, meta, site_line, kept, layout.captions)


def strip_markup(content: str) -> str:
    """Scraped text with stray HTML in it: block tags become line breaks, other tags go, entities are decoded."""
    if len(_ANY_TAG.findall(content[:100_000])) < MIN_STRAY_TAGS:
        return content
    content = _BLOCK_TAG.sub("\n", content)
    return html.unescape(_ANY_TAG.sub("", content))


def _headline_list(lines: Sequence[Line], i: int) -> bool:
    """True when a bullet line is part of a run of short headline-like items (links to other stories)."""
    run = [line for line in lines[max(0, i - 3) : i + 4] if line.bullet]
    if len(run) < 2:
        return False
    unfinished = sum(1 for line in run if not ends_sentence(line.text) or len(line.text) < 60)
    return unfinished >= len(run) / 2


def _site_line(lines: Sequence[Line], meta: TextMeta) -> int | None:
    """The site's name on the first line, when the page opens with a short name before its title."""
    if len(lines) < 3 or 0 in meta.consumed:
        return None
    first = lines[0].text
    words = first.split()
    capitalised = all(w[:1].isupper() or not w[:1].isalpha() for w in words)
    letters = sum(1 for c in first if c.isalpha())
    if 1 <= len(words) <= 5 and letters >= 3 and not ends_sentence(first) and capitalised and not furniture_rule(first):
        return 0
    return None


def _layout(lines: Sequence[Line], blocks: Sequence[Block], meta: TextMeta, site: int | None) -> Layout:
    """Find the title, the body's first and last lines, and captions."""
    layout = Layout(site=site)
    for i in range(1, len(lines)):
        caption = lines[i - 1].text
        if _photo_credit(lines[i].text) and len(caption) <= MAX_CAPTION and not blocks[i - 1].furniture:
            layout.captions.add(i - 1)
    good = [i for i, b in enumerate(blocks) if b.klass == "good" and i not in layout.captions and not b.furniture]
    if not good:
        layout.title = _title(lines, blocks, meta, len(lines), site)
        return layout
    chosen = _main_region(blocks, good)
    start = chosen[0]
    earlier = [i for i in good if i < start and start - i <= _HEADER_ZONE]
    for i in [*earlier[-3:], *chosen[:4]]:
        if find_dateline(lines[i].text) is not None:
            start = i
            break
    ends = [m for m in meta.end_markers if m > start]
    limit = min(ends) if ends else len(lines)
    inside = [i for i in chosen if start <= i < limit]
    layout.body_start = start
    layout.body_end = inside[-1] if inside else start
    layout.title = _title(lines, blocks, meta, start, site)
    if layout.title is None and site is not None and start - site <= _HEADER_ZONE:
        # a short first line with no other title after it is the title, not the site's name
        layout.title, layout.site = site, None
    return layout


def _kept_layout(  # noqa: PLR0913  a document's lines, blocks and metadata the kept layout is read from
    lines: Sequence[Line],
    blocks: Sequence[Block],
    meta: TextMeta,
    site: int | None,
    kept: list[int],
    captions: set[int],
) -> Layout:
    """The layout of the lines the line model keeps: the body from the first kept line (or a dateline paragraph
    among the first kept ones) to the last one; kept lines above the body are its standfirst and headings."""
    layout = Layout(site=site, captions=captions, kept=set(kept))
    body = [i for i in kept if i not in captions]
    if not body:
        layout.title = _title(lines, blocks, meta, len(lines), site)
        return layout
    start = next((i for i in body if not _crosshead(lines[i].text)), body[0])
    for i in body[: body.index(start) + 4]:
        if find_dateline(lines[i].text) is not None:
            start = i
            break
    layout.body_start = start
    layout.body_end = body[-1]
    layout.title = _title(lines, blocks, meta, body[0], site)
    if layout.title is None and site is not None and body[0] - site <= _HEADER_ZONE:
        layout.title, layout.site = site, None
    return layout


def _clusters(blocks: Sequence[Block], good: Sequence[int]) -> list[list[int]]:
    """Runs of good blocks with at most MAX_GAP other lines (crossheads, captions, credits) between them;
    the header of a list of other stories always ends a run."""
    clusters: list[list[int]] = []
    for i in good:
        if clusters:
            between = blocks[clusters[-1][-1] + 1 : i]
            gap = [b for b in between if b.furniture != NEUTRAL]
            if len(gap) <= MAX_GAP and not any(is_list_header(b.text) for b in between):
                clusters[-1].append(i)
                continue
        clusters.append([i])
    return clusters


def _main_region(blocks: Sequence[Block], good: Sequence[int]) -> list[int]:
    """The good blocks of the article: the largest cluster, joined by dense neighbours (a list may cut a story)."""
    clusters = _clusters(blocks, good)

    def chars(cluster: list[int]) -> int:
        return sum(len(blocks[i].text) for i in cluster)

    def dense(cluster: list[int]) -> bool:
        span = sum(len(b.text) for b in blocks[cluster[0] : cluster[-1] + 1])
        lengths = sorted(len(blocks[i].text) for i in cluster)
        return chars(cluster) >= MIN_JOIN_CHARS and chars(cluster) >= 0.75 * span and lengths[len(lengths) // 2] >= 80

    best = max(range(len(clusters)), key=lambda k: chars(clusters[k]))
    first = last = best
    while first > 0 and dense(clusters[first - 1]) and clusters[first][0] - clusters[first - 1][-1] <= MAX_JOIN_GAP:
        first -= 1
    while (
        last + 1 < len(clusters)
        and dense(clusters[last + 1])
        and clusters[last + 1][0] - clusters[last][-1] <= MAX_JOIN_GAP
    ):
        last += 1
    return [i for cluster in clusters[first : last + 1] for i in cluster]


def _photo_credit(text: str) -> bool:
    """True for a photo credit under a caption ("© Agency/Photographer"), not a copyright footer ("© 2024 Site")."""
    return is_credit(text) and re.search(r"\b(?:19|20)\d\d\b", text) is None and len(text) < 100


def _title(lines: Sequence[Line], blocks: Sequence[Block], meta: TextMeta, before: int, site: int | None) -> int | None:
    """The title line: a title-like line before the body, best when a date line or the highlights follow it."""
    best: tuple[float, int] | None = None
    for i in range(max(0, before - _HEADER_ZONE - 3), before):
        text = lines[i].text
        if i == site or i in meta.consumed or blocks[i].furniture or not title_like(text):
            continue
        words = line_words(text)
        if words <= 8 and parse_date(text) is not None:
            continue
        score = min(words, 15) / 15
        if meta.published_line is not None and meta.published_line == i + 1:
            score += 2
        if any(h.startswith(text[:40]) for h in meta.highlights):
            score += 1
        if text.endswith("..."):
            score -= 2
        if best is None or score >= best[0]:
            best = (score, i)
    return best[1] if best and best[0] > 0.2 else None


def _paragraphs(lines: Sequence[Line], blocks: Sequence[Block], layout: Layout) -> list[Paragraph]:  # noqa: PLR0912  one branch per paragraph role the layout gives a line
    """The document's paragraphs with roles: standfirst and captions before the body, crossheads inside it."""
    out: list[Paragraph] = []
    start, end = layout.body_start, layout.body_end
    if start is None or end is None:
        return out
    first_lead = True
    for i, line in enumerate(lines):
        if i > end:
            break
        block = blocks[i]
        if block.furniture or i in (layout.title, layout.site):
            continue
        role: Role | None
        if layout.kept is not None:
            if i not in layout.kept:
                continue
            if i in layout.captions:
                role = "caption"
            elif i < start:
                role = "standfirst" if first_lead and ends_sentence(line.text) else "heading"
                first_lead = first_lead and role != "standfirst"
            else:
                role = "heading" if _crosshead(line.text) else "body"
        elif i in layout.captions:
            role = "caption"
        elif i < start:
            if (layout.title is not None and i < layout.title) or start - i > PRE_BODY_REACH:
                continue
            role = "standfirst" if first_lead and ends_sentence(line.text) else "heading"
            first_lead = first_lead and role != "standfirst"
        elif block.klass == "good" and not _crosshead(line.text):
            role = "body"
        elif title_like(line.text, min_words=2) and _opens_paragraph(blocks, i + 1, end):
            role = "heading"
        else:
            role = None
        if role is not None:
            out.append(Paragraph(line.text, role))
    return out


def _opens_paragraph(blocks: Sequence[Block], i: int, end: int) -> bool:
    """True when the next non-furniture block (up to end) is a body paragraph: a crosshead leads into text."""
    while i <= end and blocks[i].furniture:
        i += 1
    return i <= end and blocks[i].klass == "good" and len(blocks[i].text) >= 80 and not _crosshead(blocks[i].text)


def _crosshead(text: str) -> bool:
    """True for a crosshead inside the body: a short line that does not end a sentence, or a headline question."""
    if len(text) > 150:
        return False
    if not ends_sentence(text):
        return True
    return text.endswith("?") and len(text.split()) <= 15 and ": " in text


def _apply_meta(article: Article, meta: TextMeta, lines: Sequence[Line], layout: Layout) -> None:
    """Copy what the text said about itself onto the article."""
    article.published = meta.published
    article.updated = meta.updated
    article.authors = list(meta.authors)
    article.contributors = list(meta.contributors)
    article.highlights = list(meta.highlights)
    article.machine_translated = meta.machine_translated
    site_name = lines[layout.site].text if layout.site is not None else None
    if meta.source_name or meta.source_url:
        article.source = SourceRef(meta.source_name, meta.source_url)
        if site_name:
            article.via = SourceRef(site_name, None)
    elif site_name:
        article.source = SourceRef(site_name, None)
    if meta.original_url or meta.original_site or meta.original_language:
        everything = "\n".join(line.text for line in lines)
        stem = None
        if meta.original_url:
            stem = site_from_host(host_of(meta.original_url) or "")
        elif meta.original_site:
            stem = site_from_host(meta.original_site.lower()) if "." in meta.original_site else meta.original_site
        name = outlet_name(stem, everything) if stem else None
        if name is None and meta.original_site and "." not in meta.original_site:
            name = meta.original_site
        article.original = OriginalRef(
            name=name, url=meta.original_url, language=meta.original_language, published=meta.original_published
        )


def _wire_credit(article: Article) -> None:
    """A story that opens with an agency credit ("(AP) —") is that agency's copy: note it as the original."""
    body = [p for p in article.paragraphs if p.role == "body"]
    if not body or article.original is not None:
        return
    match = WIRE_CREDIT.match(body[0].text)
    if match:
        article.original = OriginalRef(name=match.group(1))
