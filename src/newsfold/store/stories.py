"""Stories in the store: membership, merges (ids stay valid), metadata kept current, listing."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from newsfold.model import Member, Relation, SourceRef, Story
from newsfold.store import reader_state
from newsfold.store.base import Connection, Row
from newsfold.text.dates import now_iso, parse_iso

# the longest title made from an article's first sentence
DERIVED_TITLE_CHARS = 120
# a sentence end: a full stop (not of a one-letter initial such as "U.S."), ? or !, then a space and a capital
_SENTENCE_END = re.compile(r"(?<!\b\w)[.!?](?=\s+[\"“‘'(]?[A-Z0-9])")
_RELATION_ORDER = {"original": 0, "copy": 1, "report": 2}
# the article columns a story's metadata is computed from (story_fields)
STORY_SOURCE_COLUMNS = (
    "id",
    "title",
    "language",
    "published",
    "updated",
    "relation",
    "source_name",
    "source_url",
    "original",
)


class RowLike(Protocol):
    """An article row read by column name: a Row or a dict."""

    def __getitem__(self, key: str, /) -> Any:
        """The value of a column."""
        ...


@dataclass(slots=True, frozen=True)
class StoryFields:
    """A story's metadata computed from its members (the stories table's columns refresh_story sets)."""

    title: str
    languages: str
    first_published: str | None
    last_updated: str | None
    size: int
    sources: int
    original_name: str | None
    original_url: str | None

    def columns(self) -> tuple[str | int | None, ...]:
        """The fields in order, as refresh_story writes them (dataclasses.astuple, which copies each value deeply,
        took ~17 us a story, 100x this)."""
        return (
            self.title,
            self.languages,
            self.first_published,
            self.last_updated,
            self.size,
            self.sources,
            self.original_name,
            self.original_url,
        )


def create_story(conn: Connection, story_id: str, title: str) -> None:
    """Create an empty story row (metadata is filled by refresh_story)."""
    conn.execute(
        "INSERT INTO stories (id, title, created) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (story_id, title, now_iso())
    )
    reader_state.add_item(conn, story_id)


def set_member(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    article_id: str,
    story_id: str,
    relation: Relation,
    copy_of: str | None = None,
    score: float | None = None,
) -> None:
    """Place an article in a story with its relation."""
    conn.execute(
        "UPDATE articles SET story_id = ?, relation = ?, copy_of = ?, score = ? WHERE id = ?",
        (story_id, relation, copy_of, score, article_id),
    )


def merge_stories(conn: Connection, keep: str, absorbed: Sequence[str]) -> None:
    """Move every member of the absorbed stories into keep; their ids then lead to keep."""
    for old in absorbed:
        if old == keep:
            continue
        conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, old))
        conn.execute("UPDATE stories SET merged_into = ?, size = 0 WHERE id = ?", (keep, old))
        conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (keep, old))
        reader_state.merge_state(conn, keep, old)


def resolve_story_id(conn: Connection, story_id: str) -> str | None:
    """Follow merges from a (possibly old) story id to the live one, or None if unknown."""
    seen: set[str] = set()
    current = story_id
    while current not in seen:
        seen.add(current)
        row = conn.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return current
        current = row[0]
    return None


def refresh_story(conn: Connection, story_id: str, original: SourceRef | None = None) -> None:
    """Recompute a story's title, languages, times, size and original from its members."""
    rows = conn.execute(
        f"SELECT {', '.join(STORY_SOURCE_COLUMNS)} FROM articles WHERE story_id = ?", (story_id,)
    ).fetchall()
    if not rows:
        # no article left (all taken down): keep the row so its id answers "gone", but no trace of their text
        conn.execute(
            "UPDATE stories SET size = 0, sources = 0, title = '', languages = '[]', highlights = '[]', "
            "original_name = NULL, original_url = NULL WHERE id = ? AND merged_into IS NULL",
            (story_id,),
        )
        conn.execute("UPDATE stories SET size = 0 WHERE id = ?", (story_id,))
        return
    fields = story_fields(rows, original)
    if not any(r["title"] for r in rows):
        fields = replace(fields, title=_opening_title(conn, story_id) or fields.title)
    conn.execute(
        "UPDATE stories SET title = ?, languages = ?, first_published = ?, last_updated = ?, size = ?, "
        "sources = ?, original_name = ?, original_url = ? WHERE id = ?",
        (*fields.columns(), story_id),
    )
    reader_state.story_grew(conn, story_id, fields.sources)


def _opening_title(conn: Connection, story_id: str) -> str | None:
    """For a story none of whose members has a title: the opening words of its earliest member's text."""
    row = conn.execute(
        "SELECT substr(text, 1, 600) FROM articles WHERE story_id = ? AND length(text) > 0 "
        "ORDER BY coalesce(published, '~'), id LIMIT 1",
        (story_id,),
    ).fetchone()
    if row is None or not row[0].strip():
        return None
    return opening_words(row[0].strip().split("\n")[0]) or None


def opening_words(text: str) -> str:
    """A text's first sentence (cut at a sentence end), shortened at a word to DERIVED_TITLE_CHARS with an ellipsis."""
    end = _SENTENCE_END.search(text)
    first = (text[: end.start() + 1] if end else text).strip()
    if len(first) > DERIVED_TITLE_CHARS:
        first = first[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first


def story_fields(rows: Sequence[RowLike], original: SourceRef | None = None) -> StoryFields:
    """A story's title, languages, times, size, sources and original from its members' rows (STORY_SOURCE_COLUMNS,
    relations current; at least one row): the one definition the store and the batch fold's export use."""
    ranked = sorted(rows, key=lambda r: (_RELATION_ORDER.get(r["relation"] or "report", 3), r["published"] or "~"))
    title = next((r["title"] for r in ranked if r["title"]), None) or "(untitled)"
    languages = [lang for lang, _ in Counter(r["language"] for r in rows if r["language"]).most_common()]
    # by instant, not by text: members keep the offsets they were published with
    published = sorted((p for p in (r["published"] for r in rows) if p), key=_instant)
    stamps = sorted((s for r in rows for s in (r["published"], r["updated"]) if s), key=_instant)
    sources = {r["source_name"] or r["source_url"] or r["id"] for r in rows}
    if original is None:
        original = _cited_original(rows)
    return StoryFields(
        title,
        json.dumps(languages),
        published[0] if published else None,
        stamps[-1] if stamps else None,
        len(rows),
        len(sources),
        original.name if original else None,
        original.url if original else None,
    )


def _instant(value: str) -> tuple[int, datetime | str]:
    """A stored time's sort key: its UTC instant (naive taken as UTC), unparseable text after every instant."""
    moment = parse_iso(value)
    if moment is None:
        return (1, value)
    return (0, moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


def _cited_original(rows: Sequence[RowLike]) -> SourceRef | None:
    """The story's original: its member marked original, else the outside original most copies cite."""
    for row in rows:
        if row["relation"] == "original":
            return SourceRef(name=row["source_name"], url=row["source_url"])
    cited: Counter[tuple[str | None, str | None]] = Counter()
    for row in rows:
        if row["original"]:
            data = json.loads(row["original"])
            if data.get("url") or data.get("name"):
                cited[(data.get("name"), data.get("url"))] += 1
    if not cited:
        return None
    (name, url), _ = cited.most_common(1)[0]
    return SourceRef(name=name, url=url)


def story_from_row(conn: Connection, row: Row, with_members: bool = True) -> Story:
    """Build a Story (with its members in relation order) from its row."""
    original = None
    if row["original_name"] or row["original_url"]:
        original = SourceRef(name=row["original_name"], url=row["original_url"])
    story = Story(
        id=row["id"],
        title=row["title"],
        languages=json.loads(row["languages"]),
        first_published=parse_iso(row["first_published"]),
        last_updated=parse_iso(row["last_updated"]),
        original=original,
        highlights=json.loads(row["highlights"]),
    )
    if with_members:
        members = conn.execute(
            "SELECT id, relation, copy_of, score, published FROM articles WHERE story_id = ?", (row["id"],)
        ).fetchall()
        story.members = member_list(members)
    return story


def member_list(rows: Sequence[Row]) -> list[Member]:
    """A story's members in relation order from its article rows (id, relation, copy_of, score, published)."""
    ordered = sorted(
        rows, key=lambda r: (_RELATION_ORDER.get(r["relation"] or "report", 3), r["published"] or "~", r["id"])
    )
    return [
        Member(article_id=m["id"], relation=m["relation"] or "report", copy_of=m["copy_of"], score=m["score"])
        for m in ordered
    ]


def get_story(conn: Connection, story_id: str) -> Story | None:
    """A live story by its id or by the id of a story merged into it."""
    live = resolve_story_id(conn, story_id)
    if live is None:
        return None
    row = conn.execute("SELECT * FROM stories WHERE id = ?", (live,)).fetchone()
    return story_from_row(conn, row)


def latest_stories(conn: Connection, limit: int = 50, before: tuple[str, str] | None = None) -> list[Story]:
    """Live stories by last update, newest first; before=(last_updated, id) continues a listing."""
    sql = "SELECT * FROM stories WHERE merged_into IS NULL AND size > 0"
    params: list[object] = []
    if before is not None:
        sql += " AND (coalesce(last_updated, '') < ? OR (coalesce(last_updated, '') = ? AND id < ?))"
        params += [before[0], before[0], before[1]]
    sql += " ORDER BY coalesce(last_updated, '') DESC, id DESC LIMIT ?"
    params.append(limit)
    return [story_from_row(conn, row) for row in conn.execute(sql, params)]


def iter_latest_stories(conn: Connection, limit: int | None = None, page: int = 500) -> Iterator[Story]:
    """Live stories by last update, newest first, read a page at a time: all of them, or the first limit."""
    before: tuple[str, str] | None = None
    left = limit
    while left is None or left > 0:
        size = page if left is None else min(page, left)
        sql = "SELECT * FROM stories WHERE merged_into IS NULL AND size > 0"
        params: list[object] = []
        if before is not None:
            sql += " AND (coalesce(last_updated, '') < ? OR (coalesce(last_updated, '') = ? AND id < ?))"
            params += [before[0], before[0], before[1]]
        sql += " ORDER BY coalesce(last_updated, '') DESC, id DESC LIMIT ?"
        rows = conn.execute(sql, [*params, size]).fetchall()
        for row in rows:
            yield story_from_row(conn, row)
        if len(rows) < size:
            return
        before = (rows[-1]["last_updated"] or "", rows[-1]["id"])
        if left is not None:
            left -= len(rows)


def count_stories(conn: Connection) -> int:
    """How many live stories there are."""
    return int(conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL AND size > 0").fetchone()[0])


def count_all(conn: Connection) -> int:
    """How many stories are not merged into another (emptied ones included)."""
    return int(conn.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0])


def story_stamp(conn: Connection, story_id: str) -> tuple[object, ...] | None:
    """What a story's page depends on in its own row (members, times, title, highlights), merges followed; None if
    unknown."""
    live = resolve_story_id(conn, story_id)
    if live is None:
        return None
    row = conn.execute(
        "SELECT id, size, sources, last_updated, first_published, title, highlights, languages, original_url "
        "FROM stories WHERE id = ?",
        (live,),
    ).fetchone()
    return tuple(row)


def story_if_live(conn: Connection, story_id: str) -> Story | None:
    """The story with exactly this id (merges not followed) if it is live and has members; else None."""
    row = conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None or row["merged_into"] is not None or not row["size"]:
        return None
    return story_from_row(conn, row)


def live_story_ids(conn: Connection) -> list[str]:
    """The ids of every live story with members (not merged away, not emptied), in no set order."""
    return [row[0] for row in conn.execute("SELECT id FROM stories WHERE merged_into IS NULL AND size > 0")]
