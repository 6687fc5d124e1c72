"""HTML pages to articles: a lexbor fast path for the common case, trafilatura's full cascade where it looks wrong."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from itertools import islice

import trafilatura
from selectolax.lexbor import LexborHTMLParser

from newsfold.extract.blockmodel import BlockModel
from newsfold.extract.containers import ContainerModel
from newsfold.extract.datelines import find_dateline
from newsfold.extract.dom import HEADLINE_CHARS, DomResult, prose_chars, read_dom, visible_html
from newsfold.extract.embedded import embedded_body
from newsfold.extract.evaluate import tokens
from newsfold.extract.htmlmeta import PageMeta, read_meta, same_site
from newsfold.extract.kindmodel import KindEvidence, KindModel, PageCounts, evidence
from newsfold.extract.kinds import press_release_signals, release_or_article
from newsfold.extract.markup import bound_markup
from newsfold.extract.notices import FIRST_PUBLISHED, MACHINE_TRANSLATED, WIRE_CREDIT, first_published
from newsfold.extract.split import Line
from newsfold.extract.standfirst import missing_standfirst, shown_summaries
from newsfold.extract.text import Sure, TextExtractor
from newsfold.language.identify import label_article
from newsfold.model import Article, OriginalRef, Paragraph, RawInput, SourceRef
from newsfold.text.words import text_weight

log = logging.getLogger(__name__)

Identify = Callable[[str], str | None]
# characters of the body the document's language is identified from
DOCUMENT_SAMPLE = 1000
# the fast result is trusted when it has this much body text in enough paragraphs
MIN_FAST_CHARS = 700
MIN_FAST_PARAGRAPHS = 3
# ... and holds this share of the words of the page's own JSON-LD articleBody
MIN_AGREEMENT = 0.8
# the cascade's result replaces the fast one when it holds this much more body text
FALLBACK_GAIN = 1.15
# trafilatura's cascade runs only on pages up to this size (bounds the time per page)
MAX_FALLBACK_CHARS = 3_000_000
# markup beyond this is not parsed at all (a 20 MB page is cut, not choked on)
MAX_MARKUP_CHARS = 8_000_000
_TAG = re.compile(r"<[a-zA-Z/!]")
# an image's alt text long enough to be a caption (shorter ones are labels: "Image", "Logo", a name)
# an image's start tag up to its '>', and the first alt of a caption's length in it (two passes in C: one lazy
# pattern over every tag was slower)
_IMG = re.compile(r"<img\b[^>]*", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"<>]{40,})"|'([^'<>]{40,})')""", re.IGNORECASE)
# more opening than closing tags by this much means pathological nesting: container tags are then dropped
MAX_UNCLOSED = 10_000
_UNCLOSED_PRONE = re.compile(r"</?(?:div|span|section|font|b|i|u|em|strong|small|big|center|table|tr|td)\b[^>]*>", re.I)


class HtmlExtractor:
    """Extracts the article of an HTML page with its metadata and provenance."""

    def __init__(  # noqa: PLR0913  the extractor's models, each optional and injected by tests
        self,
        identify: Identify,
        text: TextExtractor,
        quick: Identify | None = None,
        kinds: KindModel | None = None,
        sure: Sure | None = None,
        containers: ContainerModel | None = None,
        blocks: BlockModel | None = None,
    ) -> None:
        """Use identify for documents' languages, sure for a document's language and script where the model is
        sure of it (its paragraphs in that script then take it), quick (default: identify) for the other
        paragraphs', the text extractor for pages that are text inside a tag or two, kinds (default: the
        packaged model) to tell pages without an article, and containers (default: the packaged model) to choose the
        element that holds the article, and blocks (default: the packaged model) to drop the container's blocks that
        are not the story."""
        self._identify = identify
        self._quick = quick or identify
        self._sure = sure
        self._text = text
        self._kinds = kinds or KindModel.packaged()
        self._containers = containers or ContainerModel.packaged()
        self._blocks = blocks or BlockModel.packaged()

    def extract(self, markup: str, raw: RawInput) -> list[Article]:
        """The page's article (or an 'other' document when it has none)."""
        return [self.read(markup, raw)[0]]

    def read(self, markup: str, raw: RawInput) -> tuple[Article, KindEvidence | None]:
        """The page's document and the evidence its kind was decided on (None where it was read as plain text)."""
        if len(markup) > MAX_MARKUP_CHARS:
            log.warning("%s: markup cut to %d characters", raw.origin.location, MAX_MARKUP_CHARS)
            markup = markup[:MAX_MARKUP_CHARS]
        if sum(1 for _ in islice(_TAG.finditer(markup, 0, 20000), 3)) < 3:  # the first three tags are enough
            # "HTML" that is plain text with hardly a tag: read it as scraped text (its first document)
            return self._text.extract(markup, raw.origin, raw.url)[0], None
        if (opening := markup.count("<")) > MAX_UNCLOSED and opening - 2 * markup.count("</") > MAX_UNCLOSED:
            # thousands of unclosed elements nest ever deeper: parsers slow down with the square of the depth
            log.warning("%s: deeply nested markup flattened", raw.origin.location)
            markup = _UNCLOSED_PRONE.sub(" ", markup)
        markup = bound_markup(markup)  # parsers are quadratic in nesting depth and in a tag's attributes
        tree = LexborHTMLParser(markup)
        meta = read_meta(tree, raw.url)
        shown = shown_summaries(tree, markup, meta.summaries)  # before read_dom cleans the tree
        found = read_dom(tree, model=self._containers, blocks=self._blocks)
        paragraphs = found.paragraphs
        if self._suspicious(found, meta):
            # next to nothing in <p>: the story may stand in divs, cells or list items (read loosely); only where
            # that reading looks wrong too does trafilatura's cascade run
            loose_tree = LexborHTMLParser(markup)
            loose = read_dom(loose_tree, loose=True)
            if not self._suspicious(loose, meta) and prose_chars(loose.paragraphs) > FALLBACK_GAIN * prose_chars(
                found.paragraphs
            ):
                tree, found, paragraphs = loose_tree, loose, loose.paragraphs
            elif len(markup) <= MAX_FALLBACK_CHARS:
                fallback = _trafilatura(visible_html(markup), raw.url)
                if prose_chars(fallback) > FALLBACK_GAIN * prose_chars(found.paragraphs):
                    paragraphs = fallback
        if prose_chars(paragraphs) < MIN_FAST_CHARS:
            # a page rendered by its scripts may carry the story as HTML in a JSON payload, the markup's body empty
            carried = embedded_body(markup, self._containers)
            if carried is not None and prose_chars(carried.paragraphs) > FALLBACK_GAIN * prose_chars(paragraphs):
                paragraphs = carried.paragraphs
        if not paragraphs and meta.article_body:
            paragraphs = [Paragraph(p.strip()) for p in meta.article_body.split("\n") if p.strip()]
        paragraphs = _alt_captions(paragraphs, markup)
        article = self._article(raw, meta, paragraphs)
        found_evidence = evidence(
            article.paragraphs,
            _page_counts(tree, found),
            article_type=meta.article_type,
            og_type=meta.og_type,
            published=meta.published is not None,
            dateline=article.dateline is not None,
        )
        if article.kind == "article" and not self._kinds.is_article(found_evidence):
            # no text that reads as an article: a section front, a tag or search page, an index, an error page
            article.kind = "other"
        elif (standfirst := missing_standfirst(article.paragraphs, shown)) is not None:
            # the page shows its summary outside the story's element (a dek in the header): the story's standfirst;
            # added after the kind is decided, which it does not change
            standfirst.language = article.language
            article.paragraphs.insert(0, standfirst)
        return article, found_evidence

    @staticmethod
    def _suspicious(found: DomResult, meta: PageMeta) -> bool:
        """True when the fast result looks wrong: too little text (CJK characters count double), or far from the
        page's own articleBody."""
        body = [p for p in found.paragraphs if p.role in ("body", "quote")]
        if sum(text_weight(p.text) for p in body) < MIN_FAST_CHARS or len(body) < MIN_FAST_PARAGRAPHS:
            return True
        if meta.article_body:
            expected = set(tokens(meta.article_body))
            got = set(tokens(" ".join(p.text for p in body)))
            if expected and len(expected & got) / len(expected) < MIN_AGREEMENT:
                return True
        return False

    def _article(self, raw: RawInput, meta: PageMeta, paragraphs: list[Paragraph]) -> Article:
        """Assemble the article: text, metadata, provenance, kind and languages."""
        article = Article(origin=raw.origin, title=meta.title, paragraphs=_drop_title(paragraphs, meta.title))
        article.published, article.updated = meta.published, meta.updated
        outlets = {(meta.site_name or "").casefold(), (meta.publisher or "").casefold()}
        article.authors = [a for a in meta.authors if a.casefold() not in outlets]
        article.section = meta.section
        own = raw.url or meta.page_url
        syndicated = bool(meta.canonical_url and own and not same_site(meta.canonical_url, own))
        if syndicated:
            # syndication: the canonical link names the original on another site; this page is a copy of it
            # (_provenance), stored under its own URL, so it never takes the original's place or id
            article.canonical_url = own
        else:
            article.canonical_url = meta.canonical_url
        article.source = SourceRef(meta.site_name, raw.url or article.canonical_url)
        _provenance(article, meta, own, syndicated)
        body = [p for p in article.paragraphs if p.role == "body"]
        dateline = find_dateline(body[0].text) if body else None
        article.dateline = dateline.place if dateline else None
        signals = press_release_signals([Line(p.text) for p in article.paragraphs])
        article.kind = "other" if not article.text else release_or_article(signals, dateline)
        text = article.text
        document = self._sure(text[:DOCUMENT_SAMPLE]) if text and self._sure is not None else None
        found = document.language if document else self._identify(text[:DOCUMENT_SAMPLE]) if text else None
        article.language = found or meta.language
        label_article(article, self._quick, document)
        return article


def _alt_captions(paragraphs: list[Paragraph], markup: str) -> list[Paragraph]:
    """The paragraphs with those that repeat an image's alt text marked as captions (a gallery's or carousel's
    caption written out beside its image is not the story's text)."""
    alts = set()
    position = 0
    while (tag := _IMG.search(markup, position)) is not None:
        found = _ALT.search(markup, tag.start(), tag.end())
        position = tag.end() if found is None else found.end()
        if found is not None:
            alts.add(" ".join(html.unescape(found.group(1) or found.group(2)).split()).casefold())
    if not alts:
        return paragraphs
    return [
        Paragraph(p.text, "caption", p.language)
        if p.role == "body" and " ".join(p.text.split()).casefold() in alts
        else p
        for p in paragraphs
    ]


def _page_counts(tree: LexborHTMLParser, found: DomResult) -> PageCounts:
    """Counts of the page's markup for its kind: characters of text and in links, headline links."""
    link_chars = headlines = 0
    for link in tree.css("a"):
        chars = len(link.text(deep=True, strip=True) or "")
        link_chars += chars
        headlines += chars >= HEADLINE_CHARS
    return PageCounts(
        page_chars=found.page_chars,
        link_chars=link_chars,
        headline_links=headlines,
        container_links=found.container_links,
    )


def _drop_title(paragraphs: list[Paragraph], title: str | None) -> list[Paragraph]:
    """The paragraphs without a repeat of the title at their head (never all of them: a page whose one
    paragraph repeats its title keeps it)."""
    if title and len(paragraphs) > 1 and paragraphs[0].text.strip() == title.strip():
        return paragraphs[1:]
    return paragraphs


def _provenance(article: Article, meta: PageMeta, url: str | None, syndicated: bool) -> None:
    """The original a page names: canonical on another site (syndicated: the page's canonical URL and url are on
    different sites, as _article found), isBasedOn, notices, agency credits."""
    original: OriginalRef | None = None
    if syndicated:
        original = OriginalRef(url=meta.canonical_url)
    elif meta.based_on and meta.based_on.startswith("http") and not same_site(meta.based_on, url):
        original = OriginalRef(url=meta.based_on)
    kept: list[Paragraph] = []
    for paragraph in article.paragraphs:
        text = paragraph.text
        lowered = text.lower()
        if not any(word in lowered for word in _NOTICE_WORDS):
            kept.append(paragraph)
            continue
        if len(text.split()) <= 60 and FIRST_PUBLISHED.search(text):
            found = first_published(text)
            if found:
                site, date, language = found
                original = OriginalRef(site, original.url if original else None, language, date)
                continue
        if len(text.split()) <= 40 and MACHINE_TRANSLATED.search(text):
            article.machine_translated = True
            continue
        kept.append(paragraph)
    article.paragraphs = kept
    body = [p for p in kept if p.role == "body"]
    if original is None and body:
        credit = WIRE_CREDIT.match(body[0].text)
        if credit:
            original = OriginalRef(name=credit.group(1))
    article.original = original


# words one of which every provenance notice holds (a cheap test before the notice patterns)
_NOTICE_WORDS = ("publish", "appeared", "ran ", "translat", "übersetz", "tradu")


def _trafilatura(markup: str, url: str | None) -> list[Paragraph]:
    """trafilatura's full cascade: paragraphs of its text output (headings marked from its markdown)."""
    result = trafilatura.extract(markup, url=url, output_format="markdown", include_comments=False)
    if not result:
        return []
    out: list[Paragraph] = []
    for line in result.split("\n"):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            out.append(Paragraph(text.lstrip("#").strip(), "heading"))
        elif text.startswith(">"):
            out.append(Paragraph(text.lstrip(">").strip(), "quote"))
        else:
            out.append(Paragraph(text.lstrip("-*").strip() if text[:2] in ("- ", "* ") else text))
    return [p for p in out if p.text]
