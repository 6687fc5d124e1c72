"""What the site's listings read: live stories (latest, of a day, trending, related) and outlets' articles, as model
values without their texts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from newsfold.model import Article, Origin, Paragraph, SourceRef, Story
from newsfold.store import calendar
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection, Row
from newsfold.store.kinds import of_kind
from newsfold.text.dates import parse_iso

ListedKind = Literal["news", "press_release"]

# the article columns listings show (no text: an untitled article's opening words instead)
_LIGHT_COLUMNS = (
    "id, story_id, title, kind, language, published, source_name, source_url, canonical_url, highlights, relation, "
    "machine_translated, CASE WHEN title IS NULL OR title = '' THEN substr(text, 1, 600) END AS opening"
)
CHUNK = 500  # ids per query (under SQLite's bound-parameter limit)


@dataclass(slots=True, frozen=True)
class StoryPosition:
    """Where a story sits in the latest listing: its stored last update (None: undated) and its id."""

    last_updated: str | None
    id: str


@dataclass(slots=True, frozen=True)
class ListedArticle:
    """An article as an outlet's listing shows it: its stored fields, the publication time as stored."""

    id: str
    title: str | None
    kind: str
    language: str | None
    published: str | None
    source_name: str | None
    source_url: str | None
    canonical_url: str | None
    story_id: str | None
    relation: str | None


class StoryActivity(NamedTuple):
    """A live story's news articles published in a time window: how many, from how many outlets and languages."""

    story_id: str
    articles: int
    sources: int
    languages: int
    latest: float | None  # the latest publication (julian day)
    first_published: str | None  # the story's own first publication, as stored


class Outlet(NamedTuple):
    """A named outlet: how many articles it has and its latest publication time (as stored)."""

    name: str
    articles: int
    latest: str | None


def light_article(row: Row) -> Article:
    """An Article with only what listings show (no text), from a row of _LIGHT_COLUMNS."""
    return Article(
        origin=Origin(location=""),
        kind=row["kind"],
        title=row["title"],
        language=row["language"],
        published=parse_iso(row["published"]),
        source=SourceRef(name=row["source_name"], url=row["source_url"]),
        canonical_url=row["canonical_url"],
        highlights=json.loads(row["highlights"]),
        story_id=row["story_id"],
        relation=row["relation"],
        machine_translated=None if row["machine_translated"] is None else bool(row["machine_translated"]),
        # an untitled article's opening words, from which its shown title is made (derived_title)
        paragraphs=[Paragraph(row["opening"].split("\n")[0])] if row["opening"] else [],
        copy_of=row["copy_of"] if "copy_of" in row.keys() else None,  # noqa: SIM118 (a Row: `in` reads values)
    )


def _stories(conn: Connection, rows: Sequence[Row]) -> list[Story]:
    """Stories from rows of the stories table, without their members."""
    return [stories_db.story_from_row(conn, row, with_members=False) for row in rows]


def listed_members(conn: Connection, stories: Sequence[Story]) -> dict[str, Article]:
    """Fill the stories' members (in relation order) and return their articles as listings show them, by id; one
    query for all the stories (no query per story)."""
    ids = [s.id for s in stories]
    found: dict[str, Article] = {}
    member_rows: dict[str, list[Row]] = {i: [] for i in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT {_LIGHT_COLUMNS}, copy_of, score FROM articles WHERE story_id IN ({marks})"
        for row in conn.execute(sql, chunk):
            found[row["id"]] = light_article(row)
            member_rows[row["story_id"]].append(row)
    for story in stories:
        story.members = stories_db.member_list(member_rows[story.id])
    return found


def latest_stories(
    conn: Connection, kind: ListedKind, limit: int, after: StoryPosition | None = None
) -> tuple[list[Story], StoryPosition | None]:
    """Live stories of a kind by last update (newest first), then the undated ones by id, after a position; and the
    position of the last one listed (None when none is)."""
    base = f"SELECT * FROM stories WHERE merged_into IS NULL AND size > 0 AND {of_kind('stories.id', kind)}"
    rows: list[Row] = []
    if after is None or after.last_updated is not None:
        sql, params = base + " AND last_updated IS NOT NULL", []
        if after is not None:
            sql += " AND last_updated <= ? AND NOT (last_updated = ? AND id <= ?)"
            params = [after.last_updated, after.last_updated, after.id]
        rows = conn.execute(sql + " ORDER BY last_updated DESC, id ASC LIMIT ?", [*params, limit]).fetchall()
    if len(rows) < limit:
        undated_after = after.id if after is not None and after.last_updated is None else ""
        rows += conn.execute(
            base + " AND last_updated IS NULL AND id > ? ORDER BY id LIMIT ?", (undated_after, limit - len(rows))
        ).fetchall()
    last = StoryPosition(rows[-1]["last_updated"], rows[-1]["id"]) if rows else None
    return _stories(conn, rows), last


def related_story_ids(conn: Connection, match: str, story_id: str, limit: int) -> list[str]:
    """The stories other than story_id whose articles' titles best match an FTS5 query, best first (60 hits read)."""
    seqs = [
        r[0]
        for r in conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 60", (match,)
        )
    ]
    if not seqs:
        return []
    marks = ",".join("?" * len(seqs))
    story_of = dict(conn.execute(f"SELECT seq, story_id FROM articles WHERE seq IN ({marks})", seqs).fetchall())
    chosen: list[str] = []
    for seq in seqs:
        sid = story_of.get(seq)
        if sid is not None and sid != story_id and sid not in chosen:
            chosen.append(sid)
        if len(chosen) == limit:
            break
    return chosen


def live_news_stories(conn: Connection, ids: Sequence[str]) -> list[Story]:
    """The live news stories among these (press releases left out), in the order given."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT * FROM stories WHERE id IN ({marks}) AND merged_into IS NULL AND size > 0 "
        f"AND {of_kind('stories.id', 'news')}",
        list(ids),
    ).fetchall()
    by_id = {row["id"]: row for row in rows}
    return _stories(conn, [by_id[i] for i in ids if i in by_id])


def stories_by_id(conn: Connection, ids: Sequence[str]) -> list[Story]:
    """The stories with these ids (merged or not), in the order given (unknown ids left out)."""
    by_id: dict[str, Row] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for row in conn.execute(f"SELECT * FROM stories WHERE id IN ({marks})", list(ids)):
            by_id[row["id"]] = row
    return _stories(conn, [by_id[i] for i in ids if i in by_id])


def story_activity(conn: Connection, start: datetime, end: datetime) -> list[StoryActivity]:
    """Each live story with a news article published in [start, end): its articles, outlets and languages then."""
    rows = conn.execute(
        "SELECT a.story_id AS story_id, count(*) AS n, "
        "count(DISTINCT coalesce(a.source_name, a.source_url, a.id)) AS s, count(DISTINCT a.language) AS l, "
        "max(julianday(a.published)) AS latest, st.first_published AS first FROM articles a "
        f"JOIN stories st ON st.id = a.story_id WHERE {calendar.in_range('a.published')} AND a.kind = 'article' "
        "AND st.merged_into IS NULL AND st.size > 0 GROUP BY a.story_id",
        calendar.range_params(start, end),
    ).fetchall()
    return [StoryActivity(*row) for row in rows]


def stories_published_between(conn: Connection, start: datetime, end: datetime, limit: int, offset: int) -> list[Story]:
    """Live stories with a news article published in [start, end), latest update first."""
    rows = conn.execute(
        "SELECT s.* FROM stories s WHERE s.id IN (SELECT story_id FROM articles WHERE kind = 'article' AND "
        f"{calendar.in_range()}) AND s.merged_into IS NULL AND s.size > 0 "
        "ORDER BY coalesce(s.last_updated, '') DESC, s.id LIMIT ? OFFSET ?",
        [*calendar.range_params(start, end), limit, offset],
    ).fetchall()
    return _stories(conn, rows)


def outlets(conn: Connection) -> list[Outlet]:
    """Every named outlet with its number of articles and its latest publication time, most articles first."""
    rows = conn.execute(
        "SELECT source_name AS name, count(*) AS n, max(published) AS latest FROM articles "
        "WHERE source_name IS NOT NULL GROUP BY source_name ORDER BY n DESC, source_name"
    ).fetchall()
    return [Outlet(*row) for row in rows]


def outlet_counts(conn: Connection, name: str) -> tuple[int, int]:
    """How many articles an outlet has, and in how many stories."""
    row = conn.execute(
        "SELECT count(*) AS n, count(DISTINCT story_id) AS stories FROM articles WHERE source_name = ?", (name,)
    ).fetchone()
    return int(row["n"]), int(row["stories"])


def outlet_languages(conn: Connection, name: str) -> list[str]:
    """The languages of an outlet's articles, most articles first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT language, count(*) FROM articles WHERE source_name = ? AND language IS NOT NULL "
            "GROUP BY language ORDER BY count(*) DESC",
            (name,),
        )
    ]


def outlet_articles(
    conn: Connection, name: str, limit: int, after: tuple[str, str] | None = None
) -> list[ListedArticle]:
    """An outlet's articles, newest first (undated last); after=(published or '', id) continues the listing."""
    sql = f"SELECT {_LIGHT_COLUMNS} FROM articles WHERE source_name = ?"
    params: list[object] = [name]
    if after is not None:
        sql += " AND coalesce(published, '') <= ? AND NOT (coalesce(published, '') = ? AND id <= ?)"
        params += [after[0], after[0], after[1]]
    sql += " ORDER BY coalesce(published, '') DESC, id LIMIT ?"
    return [
        ListedArticle(
            id=row["id"],
            title=row["title"],
            kind=row["kind"],
            language=row["language"],
            published=row["published"],
            source_name=row["source_name"],
            source_url=row["source_url"],
            canonical_url=row["canonical_url"],
            story_id=row["story_id"],
            relation=row["relation"],
        )
        for row in conn.execute(sql, [*params, limit])
    ]


def languages_present(conn: Connection) -> list[str]:
    """The languages of the stored articles, sorted."""
    return sorted(r[0] for r in conn.execute("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL"))


def outlet_names(conn: Connection, limit: int = 500) -> list[str]:
    """The names of (up to limit) outlets, sorted."""
    return sorted(
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT source_name FROM articles WHERE source_name IS NOT NULL LIMIT ?", (limit,)
        )
    )
