"""The texts eager translation reads ahead: the titles and highlights of stories' members, and stories' highlights."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from newsfold.store.base import Connection

CHUNK = 400  # ids per query (under SQLite's bound-parameter limit)


@dataclass(slots=True, frozen=True)
class MemberTexts:
    """One member of a story as eager translation reads it: its title and highlights, language and kind."""

    story_id: str
    title: str | None
    language: str | None
    highlights: list[str]
    kind: str


def _strings(value: str | None) -> list[str]:
    """The non-empty strings of a JSON list column."""
    return [h for h in json.loads(value or "[]") if isinstance(h, str) and h]


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    """The ids, sorted, in query-sized parts."""
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def member_texts(
    conn: Connection, story_ids: Sequence[str]
) -> Iterator[tuple[list[MemberTexts], dict[str, list[str]]]]:
    """For each part of the stories: their members in rank order (original, copies, reports; earliest first) and
    each story's own highlights."""
    for part in _chunks(story_ids):
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT story_id, title, language, highlights, kind FROM articles WHERE story_id IN ({marks}) "
            "ORDER BY story_id, CASE relation WHEN 'original' THEN 0 WHEN 'copy' THEN 1 ELSE 2 END, "
            "coalesce(published, '~')",
            part,
        )
        members = [MemberTexts(s, title, language, _strings(h), kind) for s, title, language, h, kind in rows]
        own = {
            s: _strings(h) for s, h in conn.execute(f"SELECT id, highlights FROM stories WHERE id IN ({marks})", part)
        }
        yield members, own
