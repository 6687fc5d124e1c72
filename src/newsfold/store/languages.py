"""The languages of stored texts, for pages shown in a reader's language: articles', titles', entity sentences'."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import NamedTuple

from newsfold.store.base import Connection

CHUNK = 400  # ids per query (under SQLite's bound-parameter limit)


class LanguageAndHighlights(NamedTuple):
    """An article's language and its publisher's highlights."""

    language: str | None
    highlights: list[str]


def article_languages(conn: Connection, ids: Sequence[str]) -> dict[str, str | None]:
    """The language of each of these articles, by id (unknown ids left out)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return dict(conn.execute(f"SELECT id, language FROM articles WHERE id IN ({marks})", list(ids)).fetchall())


def articles_language_and_highlights(conn: Connection, ids: Sequence[str]) -> dict[str, LanguageAndHighlights]:
    """The language and publisher's highlights of each of these articles, by id (unknown ids left out)."""
    found: dict[str, LanguageAndHighlights] = {}
    for start in range(0, len(ids), CHUNK):
        part = list(ids[start : start + CHUNK])
        marks = ",".join("?" * len(part))
        for row in conn.execute(f"SELECT id, language, highlights FROM articles WHERE id IN ({marks})", part):
            found[row[0]] = LanguageAndHighlights(row[1], json.loads(row[2] or "[]"))
    return found


def title_language(conn: Connection, story_id: str, title: str | None) -> str | None:
    """The language of a story's member bearing this title (None: none does, or none with a known language)."""
    row = conn.execute(
        "SELECT language FROM articles WHERE story_id = ? AND title = ? AND language IS NOT NULL LIMIT 1",
        (story_id, title),
    ).fetchone()
    return row[0] if row else None


def entity_sentence_languages(conn: Connection, entity_id: str) -> dict[tuple[str, str], str | None]:
    """The language of each sentence naming an entity, by (story, sentence): that of the article it was found in."""
    found: dict[tuple[str, str], str | None] = {}
    for row in conn.execute(
        "SELECT m.story_id, m.sentences, a.language FROM entity_mentions m JOIN articles a ON a.id = m.article_id "
        "WHERE m.entity_id = ?",
        (entity_id,),
    ):
        for sentence in json.loads(row[1]):
            found.setdefault((row[0], sentence), row[2])
    return found
