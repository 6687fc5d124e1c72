"""The JSON shapes of the command-line and API contract (DESIGN.md), built in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsfold.model import Article, Entity, Event, Story
from newsfold.store.kinds import story_kind
from newsfold.store.stories import opening_words
from newsfold.text.dates import iso
from newsfold.text.sentences import split_english_sentences


def source_json(article: Article) -> dict[str, str | None]:
    """An article's outlet as {name, url}."""
    return {"name": article.source.name, "url": article.source.url or article.canonical_url}


def document_json(article: Article) -> dict[str, Any]:
    """The `extract --json` shape of one document."""
    original = article.original
    return {
        "kind": article.kind,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "published": iso(article.published),
        "updated": iso(article.updated),
        "authors": list(article.authors),
        "dateline": article.dateline,
        "source": source_json(article),
        "original": None
        if original is None
        else {
            "name": original.name,
            "url": original.url,
            "language": original.language,
            "published": iso(original.published),
        },
        "machine_translated": article.machine_translated,
        "highlights": list(article.highlights),
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    """An entity as the story contract shows it."""
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": list(entity.aliases),
        "mentions": entity.mentions,
    }


def event_json(event: Event) -> dict[str, Any]:
    """A timeline event as the story contract shows it."""
    return {
        "date": event.date,
        "precision": event.precision,
        "text": event.text,
        "article_id": event.article_id,
    }


def derived_title(article: Article, articles: Mapping[str, Article]) -> dict[str, str] | None:
    """A title for an article that has none: its original's (when stored and titled), else its first sentence.

    {"text", "from": "original" | "first_sentence"}, or None when it has a title of its own or no text at all;
    pages mark it as such (it is not the publisher's title).
    """
    if article.title:
        return None
    original = articles.get(article.copy_of) if article.copy_of else None
    if original is not None and original.title:
        return {"text": original.title, "from": "original"}
    for paragraph in article.paragraphs:
        if paragraph.role != "body" or not paragraph.text.strip():
            continue
        sentence = split_english_sentences(paragraph.text.strip())[0].strip()
        return {"text": opening_words(sentence), "from": "first_sentence"}
    return None


def story_json(story: Story, articles: Mapping[str, Article]) -> dict[str, Any]:
    """The `stories --json` / `story --json` shape of one story, members in relation order."""
    members: list[dict[str, Any]] = []
    for member in story.members:
        article = articles.get(member.article_id)
        if article is None:
            continue
        members.append(
            {
                "id": member.article_id,
                "title": article.title,
                "kind": article.kind,
                "language": article.language,
                "published": iso(article.published),
                "source": source_json(article),
                "relation": member.relation,
                "copy_of": member.copy_of,
                "machine_translated": article.machine_translated,
            }
        )
        derived = derived_title(article, articles)
        if derived is not None:
            members[-1]["derived_title"] = derived
    return {
        "id": story.id,
        "kind": story_kind(str(m["kind"]) for m in members),
        "title": story.title,
        "languages": list(story.languages),
        "first_published": iso(story.first_published),
        "last_updated": iso(story.last_updated),
        "original": None if story.original is None else {"name": story.original.name, "url": story.original.url},
        "articles": members,
        "highlights": list(story.highlights),
        "entities": [entity_json(e) for e in story.entities],
        "timeline": [event_json(e) for e in story.timeline],
    }
