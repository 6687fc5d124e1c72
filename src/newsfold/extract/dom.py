"""The fast path for HTML: find the article's container with lexbor (selectolax) and read its blocks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from newsfold.extract.blockmodel import Block, BlockModel
from newsfold.extract.containers import Candidate, ContainerModel, HandSetRule
from newsfold.extract.lines import ends_sentence
from newsfold.model import Paragraph, Role

# elements that never hold article text
_DROP_TAGS = (
    "script, style, noscript, template, svg, iframe, button, select, input, textarea, object, embed, canvas, "
    "video, audio, dialog, menu"
)
# elements that are furniture unless they wrap most of the text (some sites wrap everything in a form)
_FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "form", "header"})
# parts of class and id names that mark page furniture (readability's "unlikely candidates", extended)
_NOISE_WORDS = frozenset(
    [
        "comment",
        "comments",
        "share",
        "sharing",
        "sharebar",
        "social",
        "related",
        "newsletter",
        "newsletters",
        "promo",
        "promotion",
        "advert",
        "adverts",
        "advertisement",
        "advertising",
        "ad",
        "ads",
        "adslot",
        "cookie",
        "cookies",
        "consent",
        "banner",
        "subscribe",
        "subscription",
        "teaser",
        "teasers",
        "recommend",
        "recommended",
        "recommendations",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "menu",
        "navigation",
        "nav",
        "navbar",
        "popup",
        "modal",
        "outbrain",
        "taboola",
        "sponsor",
        "sponsored",
        "bio",
        "tags",
        "tag",
        "toolbar",
        "byline",
        "timestamp",
        "caption",
        "credit",
        "credits",
        "copyright",
        "trending",
        "widget",
        "login",
        "signup",
        "skip",
        "sr",
        "footer",
        "masthead",
        "rating",
        "poll",
        "gallery",
        "more",
        "also",
        "popular",
        "author",
        "authors",
        "meta",
        "dateline",
        "print",
        "disclaimer",
    ]
)
# parts of names that keep an element even when another part looks like furniture ("article-body has-sidebar")
_KEEP_WORDS = frozenset(
    ["article", "body", "content", "main", "story", "entry", "text", "prose", "richtext", "paragraph", "post"]
)
_NAME_PART = re.compile(r"[a-z]+|[A-Z][a-z]+|[A-Z]+(?![a-z])")
# distinct class-and-id strings remembered by name_marks (a page has a few hundred)
NAMES_REMEMBERED = 16384
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# text blocks read from the container (text sitting directly in divs and list items is, on news pages, mostly
# teasers and link lists: pages that hold their story that way go to the cascade)
_BLOCKS = "p, h2, h3, h4, h5, h6, blockquote, pre, figcaption"
# the loose reading (only where the strict one finds next to nothing) also takes text standing in these elements
_LOOSE_TAGS = frozenset({"div", "section", "td", "li", "article", "main", "font", "center"})
_LOOSE_BLOCKS = _BLOCKS + ", " + ", ".join(sorted(_LOOSE_TAGS))
# elements whose text runs on inside a loose element's own text (anything else ends a piece of it)
_INLINE_TAGS = frozenset(
    {"a", "b", "i", "em", "strong", "span", "font", "sup", "sub", "small", "u", "mark", "time", "abbr", "cite", "q",
     "s", "del", "ins", "code", "bdi", "bdo", "wbr", "-comment"}
)  # fmt: skip
MIN_PARAGRAPH = 25
# a link with this many characters of text is a headline (a teaser of another page)
HEADLINE_CHARS = 40
# how far up the tree a paragraph's text counts (bounds the work on pathologically deep pages)
MAX_DEPTH = 40


def prose_chars(paragraphs: list[Paragraph]) -> int:
    """Characters of body text in sentences (a list of headlines a reading kept is not text gained)."""
    return sum(len(p.text) for p in paragraphs if p.role in ("body", "quote") and ends_sentence(p.text))


@dataclass(slots=True)
class DomResult:
    """The fast path's reading of a page: paragraphs with roles and how sure it is."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    container_chars: int = 0
    page_chars: int = 0
    # links of a headline's length inside the container (a listing's container is made of them)
    container_links: int = 0


def _attrs(node: LexborNode) -> str:
    """An element's class and id, joined, for furniture matching."""
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def _name_parts(name: str) -> set[str]:
    """The lower-cased words of one class or id token ("ArticleBody-x_ad" -> article, body, x, ad)."""
    return {part.lower() for part in _NAME_PART.findall(name)}


@lru_cache(maxsize=NAMES_REMEMBERED)
def name_marks(names: str) -> tuple[bool, bool]:
    """Whether an element's class and id names (joined) say content, and whether they say furniture: a pure
    function of the string, remembered (a page repeats a few class names on thousands of elements)."""
    parts = [_name_parts(name) for name in names.split()]
    return any(part & _KEEP_WORDS for part in parts), any(part & _NOISE_WORDS for part in parts)


def _is_noise(node: LexborNode) -> bool:
    """True when an element's class, id or role marks it as page furniture."""
    attrs = node.attributes
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return True
    role = attrs.get("role") or ""
    if role in ("navigation", "complementary", "contentinfo", "banner", "dialog", "menu"):
        return True
    if node.tag in ("article", "main"):
        return False
    # _attrs, from the attributes read above (reading them costs more than the rest of the test)
    keep, noisy = name_marks(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")
    return noisy and not keep


def _drop_invisible(tree: LexborHTMLParser) -> None:
    """Remove elements that never hold article text (scripts, styles, controls, media)."""
    for node in tree.css(_DROP_TAGS):
        node.decompose()


def _is_furniture(node: LexborNode) -> bool:
    """True for furniture elements: by tag (nav, footer, aside, form, header) or by class, id or role."""
    return node.tag in _FURNITURE_TAGS or _is_noise(node)


def _clean_container(container: LexborNode, total: int | None = None) -> bool:
    """Remove furniture inside the chosen container, unless it wraps most of the container's text (total: the
    container's _text_len, when known); whether anything was removed."""
    if total is None:
        total = _text_len(container)
    removed = False
    for node in container.css("div, section, ul, ol, span, p, header, footer, figure, a, table, nav, aside, form"):
        if node.parent is None or not _is_furniture(node):
            continue
        if _text_len(node) < 0.5 * total:
            node.decompose()
            removed = True
    return removed


def _text(node: LexborNode) -> str:
    """An element's text with whitespace collapsed."""
    return " ".join((node.text(deep=True, separator=" ") or "").split())


def _text_len(node: LexborNode) -> int:
    """Roughly how many characters of text an element holds (each text node stripped; cheaper than _text)."""
    return len(node.text(deep=True, separator=" ", strip=True) or "")


def _link_chars(node: LexborNode) -> int:
    """Characters of an element's text that sit inside links."""
    return sum(len(_text(a)) for a in node.css("a"))


# an element's links as a reading met them, by mem_id: (characters of text inside links, links)
LinkMemo = dict[int, tuple[int, int]]


def _links(node: LexborNode, memo: LinkMemo) -> tuple[int, int]:
    """An element's _link_chars and number of links, remembered in memo (for a tree that does not change meanwhile:
    the blocks' reading and their evidence ask for the same elements)."""
    key = node.mem_id
    found = memo.get(key)
    if found is None:
        anchors = node.css("a")
        found = memo[key] = (sum(len(_text(a)) for a in anchors), len(anchors))
    return found


def _near_furniture(node: LexborNode, depth: int = 3) -> bool:
    """True when one of an element's nearest ancestors is furniture (teasers, comments, related links)."""
    parent = node.parent
    for _ in range(depth):
        if parent is None or parent.tag in ("body", "html"):
            return False
        if _is_furniture(parent):
            return True
        parent = parent.parent
    return False


def _own_pieces(node: LexborNode) -> list[str]:
    """The text standing in an element itself (its text and inline elements'), in pieces ended by line breaks and
    block children."""
    pieces: list[str] = []
    run: list[str] = []
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text" or tag in _INLINE_TAGS:
            if tag != "-comment":
                run.append(child.text(deep=True, separator=" ") or "")
            continue
        pieces.append(" ".join("".join(run).split()))
        run = []
    pieces.append(" ".join("".join(run).split()))
    return [piece for piece in pieces if len(piece) >= MIN_PARAGRAPH]


def _candidates(body: LexborNode, loose: bool) -> list[tuple[LexborNode, str]]:
    """The paragraphs that vote for a container: each <p>, and in the loose reading each element's own text."""
    if not loose:
        return [(para, _text(para)) for para in body.css("p")]
    out: list[tuple[LexborNode, str]] = []
    for node in body.css(_LOOSE_BLOCKS):
        if node.tag in _LOOSE_TAGS:
            pieces = _own_pieces(node)
            if pieces:
                out.append((node, " ".join(pieces)))
        elif node.tag == "p":
            out.append((node, _text(node)))
    return out


def container_candidates(
    body: LexborNode, loose: bool = False, page_chars: int | None = None
) -> tuple[list[LexborNode], list[Candidate], int]:
    """The elements that may hold the article (each holding at least 0.3 times the most paragraph text any element
    holds), what each shows, and how many paragraphs voted; page_chars: the body's _text_len, when known (the body
    is a candidate on most pages)."""
    inside: dict[int, float] = {}
    counts: dict[int, int] = {}
    nodes: dict[int, LexborNode] = {}
    up: dict[int, int] = {}  # each element's parent, by mem_id, as the paragraphs' walks met them
    voting = 0
    for para, text in _candidates(body, loose):
        if len(text) < MIN_PARAGRAPH or _near_furniture(para):
            continue
        if _link_chars(para) > 0.5 * len(text):
            continue
        voting += 1
        parent = para.parent
        below_key = 0
        for _ in range(MAX_DEPTH):
            if parent is None or parent.tag == "html":
                break
            key = parent.mem_id
            if below_key:
                up[below_key] = key
            nodes[key] = parent
            inside[key] = inside.get(key, 0.0) + len(text)
            counts[key] = counts.get(key, 0) + 1
            below_key = key
            parent = parent.parent
    if not inside:
        return [], [], 0
    best = max(inside.values())
    keys = [key for key, chars in inside.items() if chars >= 0.3 * best]
    chosen = set(keys)
    above = dict.fromkeys(keys, 0)
    below = dict.fromkeys(keys, 0)
    for key in keys:
        parent_key = up.get(key)
        while parent_key is not None:
            if parent_key in chosen:
                above[key] += 1
                below[parent_key] += 1
            parent_key = up.get(parent_key)
    found: list[Candidate] = []
    body_key = body.mem_id if page_chars is not None else None
    for key in keys:
        node = nodes[key]
        keep_name, noise_name = name_marks(_attrs(node))
        found.append(
            Candidate(
                inside=inside[key],
                text=float(page_chars if key == body_key and page_chars is not None else _text_len(node)),
                paragraphs=counts[key],
                tag=node.tag or "",
                keep_name=keep_name,
                noise_name=noise_name,
                below=below[key],
                above=above[key],
            )
        )
    return [nodes[key] for key in keys], found, voting


def _best_container(
    body: LexborNode, loose: bool = False, model: ContainerModel | None = None, page_chars: int | None = None
) -> LexborNode | None:
    """The element that holds the article: the model's choice among the candidates (without one, the one of most
    paragraph text and least other text: menus, teasers, link lists); page_chars: the body's text length, when
    known."""
    chosen = _choose_container(body, loose, model, page_chars)
    return chosen[0] if chosen is not None else None


def _choose_container(
    body: LexborNode, loose: bool, model: ContainerModel | None, page_chars: int | None
) -> tuple[LexborNode, int] | None:
    """_best_container's choice and its _text_len (which its candidate carries)."""
    nodes, candidates, voting = container_candidates(body, loose, page_chars)
    if not nodes:
        return None
    if model is None:
        index = HandSetRule().choose(candidates, 0, voting)
    else:
        chars = _text_len(body) if page_chars is None else page_chars
        index = model.choose(candidates, chars, voting)
    return nodes[index], int(candidates[index].text)


def _role(node: LexborNode, standfirst_seen: bool) -> Role:
    """The role of one block of the container."""
    tag = node.tag
    if tag in _HEADINGS:
        return "heading"
    if tag == "blockquote":
        return "quote"
    if tag == "figcaption":
        return "caption"
    names = _attrs(node).lower()
    if not standfirst_seen and any(w in names for w in ("lead", "intro", "standfirst", "summary", "teaser", "kicker")):
        return "standfirst"
    return "body"


def _inside_link(node: LexborNode, container: LexborNode) -> bool:
    """True when a block sits inside a link (a teaser: the whole card links to another page)."""
    parent = node.parent
    for _ in range(MAX_DEPTH):
        if parent is None or parent.mem_id == container.mem_id:
            return False
        if parent.tag == "a":
            return True
        parent = parent.parent
    return False


def _blocks(container: LexborNode, loose: bool = False) -> list[Paragraph]:
    """The container's text blocks in document order, with roles; link lists and tiny fragments left out (in the
    loose reading, also the text standing in divs, sections, cells and list items)."""
    return [paragraph for paragraph, _ in _read_blocks(container, loose)]


def _read_blocks(
    container: LexborNode, loose: bool = False, links: LinkMemo | None = None
) -> list[tuple[Paragraph, LexborNode]]:
    """The container's text blocks as _blocks reads them, each with the element it was read from (links: where the
    blocks' links are remembered for block_evidence)."""
    memo: LinkMemo = {} if links is None else links
    out: list[tuple[Paragraph, LexborNode]] = []
    seen: set[int] = set()
    standfirst_seen = False
    nodes = container.css(_LOOSE_BLOCKS) if loose else container.css(_BLOCKS)
    if loose:
        nodes = [container, *nodes] if container.tag in _LOOSE_TAGS else nodes
    for node in nodes:
        if node.mem_id in seen:
            continue
        tag = node.tag
        if tag in ("blockquote", "figcaption"):
            for inner in node.css(_LOOSE_BLOCKS if loose else _BLOCKS):
                seen.add(inner.mem_id)
        texts = _own_pieces(node) if loose and tag in _LOOSE_TAGS else [_text(node)]
        if not any(texts) or _links(node, memo)[0] > 0.5 * sum(map(len, texts)) or _inside_link(node, container):
            continue
        for text in texts:
            role = _role(node, standfirst_seen)
            standfirst_seen = standfirst_seen or role == "standfirst" or (role == "body" and len(text) > 80)
            out.append((Paragraph(text, role), node))
    if loose:
        # a text that stands more than once in a loosely read container is a widget's (reactions, follow, dates)
        counts = Counter(p.text for p, _ in out)
        out = [(p, node) for p, node in out if counts[p.text] == 1]
    while out and out[-1][0].role == "heading":
        out.pop()
    return out


def block_evidence(
    read: list[tuple[Paragraph, LexborNode]], container: LexborNode, page_text: str, links: LinkMemo | None = None
) -> list[Block]:
    """What each block read from a container shows (for the block model): its links, the elements between it and
    the container, whether its text stands more than once in the page (links: what _read_blocks remembered)."""
    memo: LinkMemo = {} if links is None else links
    out: list[Block] = []
    for paragraph, node in read:
        depth, noise, keep, in_list = 0, False, False, False
        parent = node.parent
        while parent is not None and parent.mem_id != container.mem_id and depth < MAX_DEPTH:
            depth += 1
            keep_name, noise_name = name_marks(_attrs(parent))
            noise, keep = noise or noise_name, keep or keep_name
            in_list = in_list or parent.tag == "li"
            parent = parent.parent
        text = paragraph.text
        link_chars, link_count = _links(node, memo)
        out.append(
            Block(
                text=text,
                tag=node.tag or "",
                link_chars=link_chars,
                links=link_count,
                depth=depth,
                noise_above=noise,
                keep_above=keep,
                in_list=in_list,
                repeated=page_text.count(text) > 1,
            )
        )
    return out


def visible_html(markup: str) -> str:
    """The page without scripts, styles and other invisible parts (a much smaller input for a slower parser)."""
    tree = LexborHTMLParser(markup)
    _drop_invisible(tree)
    return tree.html or ""


def read_dom(
    tree: LexborHTMLParser, loose: bool = False, model: ContainerModel | None = None, blocks: BlockModel | None = None
) -> DomResult:
    """The article's blocks found by the fast path (the tree is cleaned in place); loose: text standing in divs,
    sections, cells and list items counts too (for pages that hold their story that way); model: what chooses the
    container (default: the hand-set rule); blocks: what drops the container's blocks that are not the story
    (default: none is dropped)."""
    _drop_invisible(tree)
    body = tree.body
    if body is None:
        return DomResult()
    page_chars = _text_len(body)
    chosen = _choose_container(body, loose, model, page_chars)
    if chosen is None:
        return DomResult(page_chars=page_chars)
    scope, scope_chars = _article_scope(*chosen)
    page_text = _text(body) if blocks is not None else ""
    if _clean_container(scope, scope_chars):
        scope_chars = _text_len(scope)
    links: LinkMemo = {}
    read = _read_blocks(scope, loose, links)
    if blocks is not None:
        keep = blocks.keeps(block_evidence(read, scope, page_text, links))
        read = [pair for pair, kept in zip(read, keep, strict=True) if kept]
    return DomResult(
        paragraphs=[paragraph for paragraph, _ in read],
        container_chars=scope_chars,
        page_chars=page_chars,
        container_links=headline_links(scope),
    )


def article_scope(container: LexborNode) -> LexborNode:
    """What is read for a container: the container, or the article element around it when that holds little more
    (the standfirst often sits just before the text container, in the same article element)."""
    return _article_scope(container, _text_len(container))[0]


def _article_scope(container: LexborNode, container_chars: int) -> tuple[LexborNode, int]:
    """article_scope of a container whose _text_len is known, with the scope's _text_len."""
    article = container.parent
    while article is not None and article.tag not in ("article", "main", "body"):
        article = article.parent
    if article is not None and article.tag == "article":
        article_chars = _text_len(article)
        if article_chars < 1.6 * container_chars:
            return article, article_chars
    return container, container_chars


def headline_links(node: LexborNode) -> int:
    """How many links under node carry a headline's worth of text."""
    return sum(1 for a in node.css("a") if len(a.text(deep=True, strip=True) or "") >= HEADLINE_CHARS)


def article_container(tree: LexborHTMLParser) -> LexborNode | None:
    """The element the hand-set rule would read the article from (the tree is left as it is): the kind set's pages
    (extract/kindset.py) are made with it, so that the kind model's data stay as they were."""
    return _best_container(tree.body) if tree.body is not None else None
