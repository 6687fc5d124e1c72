"""OPML 2.0: source lists read (with defusedxml) and written, categories kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from newsfold.errors import InputError


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


def parse_opml(data: bytes, location: str) -> list[Outline]:
    """Every outline with an xmlUrl (feeds) or a url (pages, sitemaps), with its category from nesting."""
    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(location, f"refused: the OPML declares entities or external references ({exc})") from exc
    except SafeET.ParseError as exc:
        raise InputError(location, f"malformed OPML ({exc})") from exc
    if root.tag != "opml":
        raise InputError(location, f"not OPML (root element {root.tag})")
    body = root.find("body")
    if body is None:
        raise InputError(location, "OPML without a body")
    found: list[Outline] = []

    def walk(node: Element, path: list[str]) -> None:
        """Collect the outlines below node; folders without a URL add their name to the category path."""
        for child in node.findall("outline"):
            url = child.get("xmlUrl") or child.get("xmlurl") or child.get("url")
            name = child.get("title") or child.get("text")
            if url:
                category = child.get("category") or ("/".join(path) if path else None)
                kind = child.get("type", "rss").lower()
                found.append(
                    Outline(
                        url=url.strip(),
                        name=name,
                        category=category.strip("/") if category else None,
                        language=child.get("language"),
                        kind="page" if kind in ("link", "page") else "sitemap" if kind == "sitemap" else "feed",
                    )
                )
            walk(child, [*path, name] if (name and not url) else path)

    walk(body, [])
    return found


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
