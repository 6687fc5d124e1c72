"""The values that flow through newsfold: Article, Story and what they hold."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["article", "press_release", "other"]
Relation = Literal["original", "copy", "report"]
Role = Literal["body", "heading", "standfirst", "caption", "quote"]
EntityKind = Literal["person", "organization", "place", "other"]
Precision = Literal["day", "month", "year"]

KINDS: tuple[Kind, ...] = ("article", "press_release", "other")
RELATIONS: tuple[Relation, ...] = ("original", "copy", "report")


@dataclass(slots=True, frozen=True)
class SourceRef:
    """An outlet as a page names it: a name, a URL, or both."""

    name: str | None = None
    url: str | None = None


@dataclass(slots=True, frozen=True)
class OriginalRef:
    """The original a page says it copies or translates."""

    name: str | None = None
    url: str | None = None
    language: str | None = None
    published: datetime | None = None


@dataclass(slots=True, frozen=True)
class Origin:
    """Where an input came from: a file path or URL, and the document's index within it."""

    location: str
    index: int = 0
    fetched: datetime | None = None
    media_type: str | None = None


@dataclass(slots=True)
class Paragraph:
    """One block of an article's text with its role and, once known, its language."""

    text: str
    role: Role = "body"
    language: str | None = None


@dataclass(slots=True)
class RawInput:
    """Bytes as read from a file, an archive record or the network, before extraction."""

    origin: Origin
    data: bytes
    media_type: str | None = None
    charset: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Entity:
    """A person, organisation or place, normalised across spellings."""

    id: str
    name: str
    kind: EntityKind
    aliases: list[str] = field(default_factory=list)
    mentions: int = 0
    sentences: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Event:
    """A dated event found in an article's text."""

    date: str
    precision: Precision
    text: str
    article_id: str
    confidence: float = 1.0
    expression: str | None = None


@dataclass(slots=True)
class Article:
    """One document: filled in stage by stage (extract, language, fold, enrich)."""

    origin: Origin
    kind: Kind = "article"
    title: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    language: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    dateline: str | None = None
    section: str | None = None
    source: SourceRef = field(default_factory=SourceRef)
    canonical_url: str | None = None
    original: OriginalRef | None = None
    machine_translated: bool | None = None
    highlights: list[str] = field(default_factory=list)
    # set by extract: its languages were identified (the paragraphs' None where the model was unsure), so the
    # language step does not ask again
    languages_identified: bool = False
    # set by fold
    story_id: str | None = None
    relation: Relation | None = None
    copy_of: str | None = None
    # set by enrich
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # set by extract: the site a copy was reached through, when it names another source (an aggregator)
    via: SourceRef | None = None
    # set by ingest: the identity of the input it was read from (input_key), so reading it again changes nothing
    input_key: str | None = None

    @property
    def text(self) -> str:
        """The body: paragraphs of role body (and quote), separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs if p.role in ("body", "quote"))

    @property
    def full_text(self) -> str:
        """Every paragraph, headings and standfirst included, separated by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def id(self) -> str:
        """A content address: the same document from the same place always gets the same id."""
        return article_id(self.canonical_url or self.source.url, self.title, self.text)


def article_id(url: str | None, title: str | None, text: str) -> str:
    """Hash a document's identity (URL when it has one, title and body) to a short stable id."""
    digest = hashlib.sha256()
    for part in (url or "", title or "", text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:16]


def input_key(where: str, index: int, data: bytes) -> str:
    """The identity of one document of an input: where it was read from (URL or absolute path), its index within
    it and a hash of the input's bytes; unlike Article.id, it does not change with what extraction learns later."""
    digest = hashlib.sha256()
    digest.update(where.encode("utf-8", errors="replace"))
    digest.update(f"\x00{index}\x00".encode())
    digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:24]


@dataclass(slots=True)
class Member:
    """An article's place in a story."""

    article_id: str
    relation: Relation
    copy_of: str | None = None
    score: float | None = None


@dataclass(slots=True)
class Story:
    """Articles about one event: an original, its copies and other outlets' reports."""

    id: str
    title: str
    members: list[Member] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    first_published: datetime | None = None
    last_updated: datetime | None = None
    original: SourceRef | None = None
    highlights: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
