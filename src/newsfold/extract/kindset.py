"""A labelled set for document kinds, built at run time from the extraction-dev pages (nothing fetched or copied).

Articles: every page as it is; one-paragraph pages (a <title> and one <p>, with or without a heading); wire briefs
of 400-950 characters in the page's own chrome (menus, related boxes, footer); a brief on a portal with dozens of
headline links around it; short briefs of 150-400 characters in the page's chrome, alone and on such a portal. Not
articles: listing, home, tag, live-blog index and error pages made of the page's chrome with its article replaced by
other pages' headlines, teasers and links (half of them also lose the article's structured data), and bare error
pages. Press release: the seeds' release in a page's chrome. Pages are split into two parts by publisher, and each
part's variants use only that part's pages, so a model fitted on one part is scored on chrome and text it never saw.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

from selectolax.lexbor import LexborHTMLParser

from newsfold.extract.dom import article_container
from newsfold.extract.evaluate import DevPage

Label = str  # "article" | "press_release" | "other"
BRIEF_MIN, BRIEF_MAX = 400, 950
# a short brief: one or two paragraphs of a story in a page's chrome (the commonest article a busy site shows)
SHORT_BRIEF_MIN, SHORT_BRIEF_MAX = 150, 400
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")
# "page not found" in the languages of the development pages' chrome (the page's lang picks one; else English)
_ERRORS = {
    "en": ("Page not found", "Sorry, the page you are looking for does not exist or has been moved."),
    "de": ("Seite nicht gefunden", "Die angeforderte Seite existiert leider nicht oder wurde verschoben."),
    "fr": ("Page introuvable", "Désolé, la page que vous recherchez n'existe pas ou a été déplacée."),
    "es": ("Página no encontrada", "Lo sentimos, la página que busca no existe o ha sido movida."),
    "it": ("Pagina non trovata", "Siamo spiacenti, la pagina che cerchi non esiste o è stata spostata."),
    "pt": ("Página não encontrada", "Desculpe, a página que procura não existe ou foi removida."),
    "nl": ("Pagina niet gevonden", "Sorry, de pagina die u zoekt bestaat niet of is verplaatst."),
}
_LANG = re.compile(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*application/ld\+json)[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_LD = re.compile(r"<script[^>]*application/ld\+json[^>]*>.*?</script>", re.I | re.S)
_OG_TYPE = re.compile(r"<meta[^>]*og:type[^>]*>", re.I)


@dataclass(slots=True, frozen=True)
class KindPage:
    """One labelled page: markup, the page it was made from (its group), how it was made, its kind."""

    name: str
    group: str
    part: int
    variant: str
    label: Label
    html: str
    url: str | None
    # a non-article page: the body of the article it replaced (still finding it means the page was not cleared)
    replaced: str = ""


def publisher(page: DevPage) -> str:
    """The publisher of a development page ("de/BR_2024_04_22.html.gz" -> "de/BR")."""
    folder, _, file = page.name.partition("/")
    return f"{folder}/{file.rsplit('_', 3)[0]}"


def part_of(group: str) -> int:
    """Which of the two parts a publisher belongs to (stable, by a hash of its name)."""
    return hashlib.sha1(group.encode()).digest()[0] % 2


def _decoded(page: DevPage) -> str:
    """A page's markup as text."""
    return page.html.decode("utf-8", errors="replace")


def _esc(text: str) -> str:
    """Text escaped for markup."""
    return html.escape(text, quote=True)


def _first_sentence(text: str, limit: int = 220) -> str:
    """A teaser: the first sentence of a paragraph, cut to limit characters."""
    sentence = _SENTENCE.split(text, maxsplit=1)[0]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def _brief(page: DevPage, low: int = BRIEF_MIN, high: int = BRIEF_MAX) -> list[str]:
    """The page's first paragraphs cut, at sentence ends, to a brief of low-high characters (None-like: [])."""
    out: list[str] = []
    total = 0
    for paragraph in page.body:
        if total >= low:
            break
        if total + len(paragraph) > high:
            sentences = _SENTENCE.split(paragraph)
            kept = []
            for sentence in sentences:
                if total + len(sentence) > high:
                    break
                kept.append(sentence)
                total += len(sentence) + 1
            if kept:
                out.append(" ".join(kept))
            break
        out.append(paragraph)
        total += len(paragraph)
    return out if low <= sum(len(p) for p in out) <= high + 50 else []


def _with_container(markup: str, inner: str, strip_structured: bool) -> str | None:
    """The page with its article container's content replaced by inner (None when no container is found)."""
    if strip_structured:
        markup = _OG_TYPE.sub("", _LD.sub("", markup))
    # the page's other scripts may carry its article too (extract/embedded.py reads them): a made page keeps none
    markup = _INLINE_SCRIPT.sub("", markup)
    tree = LexborHTMLParser(markup)
    container = article_container(tree)
    if container is None:
        return None
    container.inner_html = inner
    return tree.html


def _headline_block(rng: random.Random, pool: Sequence[DevPage], count: int) -> str:
    """A block of links to other pages' headlines (a portal's 'latest' box)."""
    items = "".join(
        f'<li><a href="/story/{rng.randrange(10**6)}">{_esc(p.title or p.body[0][:80])}</a></li>'
        for p in rng.sample(list(pool), min(count, len(pool)))
    )
    heading = rng.choice(["Latest", "Most read", "Top stories", "More news", "In other news"])
    return f"<section><h2>{heading}</h2><ul>{items}</ul></section>"


def _cards(rng: random.Random, pool: Sequence[DevPage], count: int) -> str:
    """Teaser cards: a linked headline and a one-sentence teaser each (a section front)."""
    cards = []
    for p in rng.sample(list(pool), min(count, len(pool))):
        href = f"/story/{rng.randrange(10**6)}"
        teaser = _esc(_first_sentence(p.body[0]))
        title = _esc(p.title or p.body[0][:80])
        if rng.random() < 0.5:
            cards.append(f'<article><h3><a href="{href}">{title}</a></h3><p>{teaser}</p></article>')
        else:
            cards.append(
                f'<div><a href="{href}"><h2>{title}</h2></a><p>{teaser}</p><time>12:{rng.randrange(60):02d}'
                "</time></div>"
            )
    return "".join(cards)


def _tag_page(rng: random.Random, pool: Sequence[DevPage], count: int) -> str:
    """A tag page: the tag as heading, then dated headline links."""
    word = rng.choice([w for p in pool for w in (p.title or "").split() if len(w) > 5] or ["News"])
    items = "".join(
        f'<li><time datetime="2024-0{rng.randrange(1, 10)}-1{rng.randrange(10)}">1{rng.randrange(10)}.0'
        f'{rng.randrange(1, 10)}.2024</time> <a href="/story/{rng.randrange(10**6)}">{_esc(p.title or "")}</a></li>'
        for p in rng.sample(list(pool), min(count, len(pool)))
    )
    return f"<h1>{_esc(word)}</h1><ul>{items}</ul>"


def _live_index(rng: random.Random, pool: Sequence[DevPage], count: int) -> str:
    """A live-blog index: a one-line introduction, then time-stamped links to its entries."""
    intro = _esc(_first_sentence(rng.choice(list(pool)).body[0], 160))
    entries = "".join(
        f'<div class="entry"><time>{rng.randrange(7, 23):02d}:{rng.randrange(60):02d}</time> '
        f'<a href="#post-{i}">{_esc(_first_sentence(p.body[0], 120))}</a></div>'
        for i, p in enumerate(rng.sample(list(pool), min(count, len(pool))))
    )
    return f"<p>{intro}</p>{entries}"


def _error_texts(markup: str) -> tuple[str, str]:
    """An error page's heading and message in the page's language."""
    found = _LANG.search(markup[:5000])
    return _ERRORS.get(found.group(1).lower() if found else "en", _ERRORS["en"])


def _error_page(markup: str) -> str:
    """An error page's content in the page's language."""
    heading, text = _error_texts(markup)
    return f'<h1>{heading}</h1><p>{text}</p><p><a href="/">Home</a></p>'


def _home(rng: random.Random, pool: Sequence[DevPage]) -> str:
    """A home page: a few sections, each a heading, teaser cards and a list of headline links."""
    sections = []
    for name in rng.sample(["Politics", "World", "Business", "Sport", "Culture", "Science", "Local"], 3):
        sections.append(f"<section><h2>{name}</h2>{_cards(rng, pool, 3)}{_headline_block(rng, pool, 5)}</section>")
    return "".join(sections)


def _release_paragraphs() -> tuple[str, list[str]] | None:
    """The seeds' press release (the bundled sample's seed 000, after the article's closing sources block)."""
    seed = resources.files("newsfold") / "data" / "sample" / "000_a386f219438e4dd0.txt"
    lines = [line.strip() for line in seed.read_text("utf-8").splitlines() if line.strip()]
    starts = [i for i, line in enumerate(lines) if line.startswith("Sources ")]
    if not starts or starts[0] + 2 >= len(lines):
        return None
    title, rest = lines[starts[0] + 1], lines[starts[0] + 2 :]
    sentences = [s for line in rest for s in _SENTENCE.split(line)]
    return title, [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]


def _paragraphs(texts: Sequence[str]) -> str:
    """Paragraph elements of texts."""
    return "".join(f"<p>{_esc(t)}</p>" for t in texts)


def build_kind_set(pages: Sequence[DevPage], seed: int = 16) -> list[KindPage]:
    """The labelled pages made from the development pages (deterministic for a seed)."""
    parts: dict[int, list[DevPage]] = {0: [], 1: []}
    for page in pages:
        parts[part_of(publisher(page))].append(page)
    out: list[KindPage] = []
    for part, members in parts.items():
        pool = [p for p in members if p.body and len(p.body[0]) >= 40]
        for index, page in enumerate(members):
            rng = random.Random(f"{seed}/{page.name}")
            out.extend(_variants(page, part, index, pool, rng))
    release = _release_paragraphs()
    if release is not None and pages:
        title, texts = release
        host = pages[0]
        inner = f"<h1>{_esc(title)}</h1>{_paragraphs(texts)}"
        markup = _with_container(_decoded(host), inner, strip_structured=True)
        if markup is not None:
            out.append(KindPage("seed/000-release", "seed/000", 0, "press release", "press_release", markup, None))
    return out


def _variants(page: DevPage, part: int, index: int, pool: Sequence[DevPage], rng: random.Random) -> list[KindPage]:
    """The labelled variants of one development page."""
    group = publisher(page)
    markup = _decoded(page)
    others = [p for p in pool if p.name != page.name]
    made: list[tuple[str, Label, str | None]] = [("page", "article", markup)]
    title = _esc(page.title or "")
    first = next((p for p in page.body if len(p) >= 80), page.body[0])
    made.append(
        (
            "one paragraph",
            "article",
            f"<html><head><title>{title}</title></head><body><p>{_esc(first)}</p></body></html>",
        )
    )
    made.append(
        (
            "title and paragraph",
            "article",
            f"<html><head><title>{title}</title></head><body><h1>{title}"
            f"</h1><p>{_esc(first)}</p><p><a href='/'>Home</a></p></body></html>",
        )
    )
    brief = _brief(page)
    if brief:
        made.append(("wire brief", "article", _with_container(markup, _paragraphs(brief), strip_structured=False)))
        links = _headline_block(rng, others, rng.randrange(20, 41))
        inner = _paragraphs(brief) + (links if rng.random() < 0.5 else "")
        portal = _with_container(markup, inner, strip_structured=False)
        if portal is not None and links not in inner:
            portal = portal.replace("</body>", f"<aside>{links}{_headline_block(rng, others, 15)}</aside></body>")
        made.append(("brief on a portal", "article", portal))
    # half of the non-article pages keep the article's structured data (sites leave it on their templates), so
    # that a model cannot tell kinds by it alone
    strip = rng.random() < 0.5
    negatives: list[tuple[str, Callable[[], str]]] = [
        ("listing", lambda: _cards(rng, others, rng.randrange(12, 31))),
        ("home page", lambda: _home(rng, others)),
        ("tag page", lambda: _tag_page(rng, others, rng.randrange(10, 26))),
        ("live-blog index", lambda: _live_index(rng, others, rng.randrange(10, 26))),
        ("error page", lambda: _error_page(markup)),
    ]
    # two kinds of non-article page per page, taken in turn, so every kind is made from every part
    for offset in (0, 1):
        name, make = negatives[(2 * index + offset) % len(negatives)]
        made.append((name, "other", _with_container(markup, make(), strip_structured=strip)))
    if index % 3 == 0:
        # an error page with no chrome at all (a bare server or CMS error)
        heading, text = _error_texts(markup)
        made.append(
            (
                "bare error page",
                "other",
                f"<html><head><title>{heading}</title></head><body><nav><a href='/'>"
                f"Home</a></nav><p>{text if rng.random() < 0.5 else heading + '.'}</p></body></html>",
            )
        )
    short = _brief(page, SHORT_BRIEF_MIN, SHORT_BRIEF_MAX)
    if short:
        # drawn last, so that the variants above are the same pages as before this one was added
        made.append(("short brief", "article", _with_container(markup, _paragraphs(short), strip_structured=False)))
        links = _headline_block(rng, others, rng.randrange(20, 41))
        portal = _with_container(markup, _paragraphs(short), strip_structured=False)
        if portal is not None:
            portal = portal.replace("</body>", f"<aside>{links}{_headline_block(rng, others, 15)}</aside></body>")
        made.append(("short brief on a portal", "article", portal))
    replaced = "\n".join(page.body)
    return [
        KindPage(
            f"{page.name}#{variant}", group, part, variant, label, text, page.url, replaced if label == "other" else ""
        )
        for variant, label, text in made
        if text is not None
    ]
