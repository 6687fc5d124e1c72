"""OPML 2.0: source lists read (with defusedxml) and written, categories kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from newsfold.errors import InputError
from newsfold.ingest.xmltext import xml_bytes
from newsfold.urls import parse_url


@dataclass(slots=True)
class Outline:
    """A source as an OPML outline names it."""

    url: str
    name: str | None = None
    category: str | None = None
    language: str | None = None
    kind: str = "feed"


def looks_like_opml(data: bytes) -> bool:
    """Whether bytes are an OPML document."""
    return b"<opml" in data[:4096].lower()


@dataclass(slots=True)
class OpmlList:
    """What an OPML file lists: the outlines that can be sources, and one error per outline that cannot."""

    outlines: list[Outline] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def _outline(child: Element, path: list[str], location: str) -> Outline:
    """One outline with a URL as a source; InputError when the URL is not an http(s) URL."""
    url = (child.get("xmlUrl") or child.get("xmlurl") or child.get("url") or "").strip()
    name = child.get("title") or child.get("text")
    parsed = parse_url(url, f"{location}: outline {(name or url)[:80]!r}")
    if not parsed.is_web:
        raise InputError(f"{location}: outline {(name or url)[:80]!r}", f"not an http or https URL: {url[:200]}")
    category = child.get("category") or ("/".join(path) if path else None)
    kind = child.get("type", "rss").lower()
    return Outline(
        url=url,
        name=name,
        category=category.strip("/") if category else None,
        language=child.get("language"),
        kind="page" if kind in ("link", "page") else "sitemap" if kind == "sitemap" else "feed",
    )


def read_opml(data: bytes, location: str) -> OpmlList:
    """Every outline with an xmlUrl (feeds) or a url (pages, sitemaps), with its category from nesting; an outline
    whose URL is not http(s) is a problem of its own, and any depth of nesting is read without recursion."""
    try:
        root = SafeET.fromstring(xml_bytes(data, location))
    except DefusedXmlException as exc:
        raise InputError(location, f"refused: the OPML declares entities or external references ({exc})") from exc
    except SafeET.ParseError as exc:
        raise InputError(location, f"malformed OPML ({exc})") from exc
    if root.tag != "opml":
        raise InputError(location, f"not OPML (root element {root.tag})")
    body = root.find("body")
    if body is None:
        raise InputError(location, "OPML without a body")
    found = OpmlList()
    # depth-first, in document order: (node, category path of its children)
    stack: list[tuple[Element, list[str]]] = [(body, [])]
    while stack:
        node, path = stack.pop()
        children: list[tuple[Element, list[str]]] = []
        for child in node.findall("outline"):
            has_url = bool(child.get("xmlUrl") or child.get("xmlurl") or child.get("url"))
            name = child.get("title") or child.get("text")
            if has_url:
                try:
                    found.outlines.append(_outline(child, path, location))
                except InputError as exc:
                    found.problems.append(exc)
            children.append((child, [*path, name] if (name and not has_url) else path))
        stack.extend(reversed(children))
    return found


def parse_opml(data: bytes, location: str) -> list[Outline]:
    """The outlines of an OPML file that can be sources (see read_opml for the ones that cannot)."""
    return read_opml(data, location).outlines


def write_opml(outlines: Iterable[Outline], title: str = "newsfold sources") -> bytes:
    """An OPML 2.0 document of the outlines, grouped into one outline per category."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = format_datetime(datetime.now(UTC))
    body = SubElement(root, "body")
    groups: dict[str | None, Element] = {}
    for outline in sorted(outlines, key=lambda o: ((o.category or ""), (o.name or o.url).lower())):
        parent = body
        if outline.category:
            if outline.category not in groups:
                groups[outline.category] = SubElement(body, "outline", text=outline.category, title=outline.category)
            parent = groups[outline.category]
        attrs = {"text": outline.name or outline.url, "title": outline.name or outline.url}
        if outline.kind in {"feed", "auto"}:
            attrs.update(type="rss", xmlUrl=outline.url)
        else:
            attrs.update(type="link" if outline.kind == "page" else "sitemap", url=outline.url)
        if outline.category:
            attrs["category"] = "/" + outline.category
        if outline.language:
            attrs["language"] = outline.language
        SubElement(parent, "outline", attrs)
    indent(root)
    document: bytes = tostring(root, encoding="unicode").encode("utf-8")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + document + b"\n"
