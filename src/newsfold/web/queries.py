"""What the site shows, read from the store: one function per page, returning JSON-ready values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from newsfold.errors import GoneError, NotFoundError
from newsfold.model import Article, Origin, Paragraph, SourceRef, Story
from newsfold.plausible import plausible
from newsfold.serialize import story_json
from newsfold.store import articles as articles_db
from newsfold.store import calendar
from newsfold.store import search as search_db
from newsfold.store import stories as stories_db
from newsfold.store.articles import parse_iso
from newsfold.store.enrichment import add_enrichment, add_enrichments
from newsfold.store.kinds import of_kind
from newsfold.web.cursor import decode_cursor, encode_cursor, next_offset
from newsfold.web.errors import BadRequestError
from newsfold.web.related import TermCounts, related_query

_LIGHT_COLUMNS = (
    "id, story_id, title, kind, language, published, source_name, source_url, canonical_url, highlights, relation, "
    "machine_translated, CASE WHEN title IS NULL OR title = '' THEN substr(text, 1, 600) END AS opening"
)


ListedKind = Literal["news", "press_release"]
TRENDS_SPAN = timedelta(hours=24)


@dataclass(slots=True)
class Listing:
    """One page of a listing and the cursor of the next page (None at the end)."""

    items: list[dict[str, Any]]
    next: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def light_article(row: sqlite3.Row) -> Article:
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


def article_summary(row: sqlite3.Row) -> dict[str, Any]:
    """A listing's view of one article: id, title, kind, language, time, outlet and story."""
    return {
        "id": row["id"],
        "title": row["title"],
        "kind": row["kind"],
        "language": row["language"],
        "published": row["published"],
        "source": {"name": row["source_name"], "url": row["source_url"] or row["canonical_url"]},
        "story_id": row["story_id"],
        "relation": row["relation"],
    }


def story_summaries(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    """Stories (rows of the stories table) in the contract's story shape, members read in one query."""
    stories = [stories_db.story_from_row(conn, row, with_members=False) for row in rows]
    ids = [s.id for s in stories]
    found: dict[str, Article] = {}
    member_rows: dict[str, list[sqlite3.Row]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        # members and their listing columns in one query for all the stories (no query per story)
        sql = f"SELECT {_LIGHT_COLUMNS}, copy_of, score FROM articles WHERE story_id IN ({marks})"
        for row in conn.execute(sql, chunk):
            found[row["id"]] = light_article(row)
            member_rows[row["story_id"]].append(row)
    for story in stories:
        story.members = stories_db.member_list(member_rows[story.id])
    add_enrichments(conn, stories)
    out = []
    for story in stories:
        data = story_json(story, found)
        # the contract's highlights are the story's own; the publishers' are shown when it has none
        data["publisher_highlights"] = [] if data["highlights"] else _member_highlights(story, found)
        out.append(data)
    return out


def _member_highlights(story: Story, articles: dict[str, Article]) -> list[str]:
    """The publishers' own highlights of the story's first member that has any."""
    for member in story.members:
        article = articles.get(member.article_id)
        if article is not None and article.highlights:
            return list(article.highlights)[:3]
    return []


def latest(conn: sqlite3.Connection, limit: int, cursor: str | None, kind: ListedKind = "news") -> Listing:
    """Live stories of a kind (news or press releases) by last update (newest first), then the undated ones."""
    position = decode_cursor(cursor, (str, str, str)) if cursor else None
    if position is not None and position[0] not in ("u", "n"):
        raise BadRequestError("cursor is not one this site made")
    base = f"SELECT * FROM stories WHERE merged_into IS NULL AND size > 0 AND {of_kind('stories.id', kind)}"
    rows: list[sqlite3.Row] = []
    if position is None or position[0] == "u":
        sql, params = base + " AND last_updated IS NOT NULL", []
        if position is not None:
            sql += " AND last_updated <= ? AND NOT (last_updated = ? AND id <= ?)"
            params = [position[1], position[1], position[2]]
        rows = conn.execute(sql + " ORDER BY last_updated DESC, id ASC LIMIT ?", [*params, limit]).fetchall()
    if len(rows) < limit:
        after = position[2] if position is not None and position[0] == "n" else ""
        rows += conn.execute(
            base + " AND last_updated IS NULL AND id > ? ORDER BY id LIMIT ?", (after, limit - len(rows))
        ).fetchall()
    next_cursor = None
    if len(rows) == limit:
        last = rows[-1]
        dated = last["last_updated"] is not None
        next_cursor = encode_cursor("u" if dated else "n", last["last_updated"] or "", last["id"])
    return Listing(story_summaries(conn, rows), next_cursor)


def story_detail(conn: sqlite3.Connection, story_id: str) -> tuple[Story, list[Article]]:
    """A story (merged ids followed) with its full member articles, in relation order; NotFoundError if unknown."""
    story = stories_db.get_story(conn, story_id)
    if story is None:
        raise NotFoundError(f"story {story_id}: no such story")
    if not story.members:
        raise GoneError(f"story {story_id}: removed (every article of it was taken down)")
    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
    add_enrichment(conn, story)
    return story, members


def story_stamp(conn: sqlite3.Connection, story_id: str) -> tuple[object, ...] | None:
    """What a story page depends on in its own row (members, times, title, highlights); None if unknown."""
    live = stories_db.resolve_story_id(conn, story_id)
    if live is None:
        return None
    row = conn.execute(
        "SELECT id, size, sources, last_updated, first_published, title, highlights, languages, original_url "
        "FROM stories WHERE id = ?",
        (live,),
    ).fetchone()
    return tuple(row)


def article_stamp(conn: sqlite3.Connection, article_id: str) -> tuple[object, ...] | None:
    """What an article page depends on: the article's row and its story's (None: no such article)."""
    own = articles_db.article_stamp(conn, article_id)
    if own is None:
        return None
    story_id = own[1]
    return (own, story_stamp(conn, str(story_id)) if story_id else None)


def story_document(story: Story, members: Sequence[Article]) -> dict[str, Any]:
    """The story as `newsfold story ID --json` prints it."""
    return story_json(story, {a.id: a for a in members})


def article_detail(conn: sqlite3.Connection, article_id: str) -> Article:
    """One stored article; NotFoundError if unknown."""
    article = articles_db.get_article(conn, article_id)
    if article is None:
        raise NotFoundError(f"article {article_id}: no such article")
    return article


def related(conn: sqlite3.Connection, story: Story, counts: TermCounts, limit: int = 5) -> list[dict[str, Any]]:
    """Other stories whose articles' titles share the story title's rarest words ("You may like")."""
    return related_summaries(conn, related_ids(conn, story, counts, limit))


def related_ids(conn: sqlite3.Connection, story: Story, counts: TermCounts, limit: int = 5) -> list[str]:
    """The ids of the related stories, best first (the full-text search behind "You may like")."""
    match = related_query(story.title, counts)
    if match is None:
        return []
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
        if sid is not None and sid != story.id and sid not in chosen:
            chosen.append(sid)
        if len(chosen) == limit:
            break
    return chosen


def related_summaries(conn: sqlite3.Connection, chosen: Sequence[str]) -> list[dict[str, Any]]:
    """The live news stories among these (press releases are never suggested), in this order, as the contract shows."""
    if not chosen:
        return []
    marks = ",".join("?" * len(chosen))
    story_rows = conn.execute(
        f"SELECT * FROM stories WHERE id IN ({marks}) AND merged_into IS NULL AND size > 0 "
        f"AND {of_kind('stories.id', 'news')}",
        list(chosen),
    ).fetchall()
    by_id = {row["id"]: row for row in story_rows}
    return story_summaries(conn, [by_id[i] for i in chosen if i in by_id])


@dataclass(slots=True, frozen=True)
class Window:
    """The 24 hours the trends cover, and whether they end now (else at the newest article, none being newer)."""

    start: datetime
    end: datetime
    recent: bool


def trending_window(conn: sqlite3.Connection, now: datetime | None = None) -> Window:
    """The 24 hours the trends cover: up to now, or up to the newest news article when nothing is that recent."""
    end = now or datetime.now(UTC)
    # a 0001-01-01 article (stored before dates were checked) would overflow the window arithmetic
    newest = plausible(calendar.newest_published(conn, end, kind="article"), now=end, what="newest publication date")
    if newest is not None and newest < end - TRENDS_SPAN:
        end = newest + timedelta(seconds=1)
        return Window(end - TRENDS_SPAN, end, recent=False)
    return Window(end - TRENDS_SPAN, end, recent=True)


def _z(value: datetime) -> str:
    """A UTC time as ISO-8601 without offset, comparable with stored times ('Z' and naive both sort after it)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def trending(conn: sqlite3.Connection, limit: int, offset: int, now: datetime | None = None) -> Listing:
    """News stories by what is new and growing in the window: outlets and languages reporting them, new ones first.

    Each story with a news article in the window scores the outlets that published it then, plus the languages
    beyond the first, plus one when the story itself began in the window; ties go to more articles, then the
    latest. Single-source stories are listed too (they score least), press releases never.
    """
    window = trending_window(conn, now)
    rows = conn.execute(
        "SELECT a.story_id AS story_id, count(*) AS n, "
        "count(DISTINCT coalesce(a.source_name, a.source_url, a.id)) AS s, count(DISTINCT a.language) AS l, "
        "max(julianday(a.published)) AS latest, st.first_published AS first FROM articles a "
        f"JOIN stories st ON st.id = a.story_id WHERE {calendar.in_range('a.published')} AND a.kind = 'article' "
        "AND st.merged_into IS NULL AND st.size > 0 GROUP BY a.story_id",
        calendar.range_params(window.start, window.end),
    ).fetchall()
    scored = []
    for row in rows:
        first = calendar.utc(row["first"])
        new = first is not None and window.start <= first < window.end
        score = row["s"] + max(row["l"] - 1, 0) + (1 if new else 0)
        scored.append((-score, -row["n"], -(row["latest"] or 0.0), row["story_id"], new, row))
    scored.sort(key=lambda item: item[:4])
    page = scored[offset : offset + limit]
    by_id: dict[str, sqlite3.Row] = {}
    ids = [item[3] for item in page]
    if ids:
        marks = ",".join("?" * len(ids))
        for row in conn.execute(f"SELECT * FROM stories WHERE id IN ({marks})", ids):
            by_id[row["id"]] = row
    growth = {item[3]: item for item in page}
    items = []
    for data in story_summaries(conn, [by_id[i] for i in ids if i in by_id]):
        negative_score, _, _, _, new, row = growth[data["id"]]
        items.append(
            {
                "story": data,
                "score": -negative_score,
                "new": new,
                "articles_24h": row["n"],
                "sources_24h": row["s"],
                "languages_24h": row["l"],
            }
        )
    extra = {"since": _z(window.start), "until": _z(window.end), "recent": window.recent, "total": len(scored)}
    return Listing(items, next_offset(offset, limit, len(page)), extra)


def day(conn: sqlite3.Connection, when: date, limit: int, offset: int) -> Listing:
    """News stories with a news article published on a UTC day, latest update first; the neighbouring days."""
    start, end = calendar.day_range(when)
    rows = conn.execute(
        "SELECT s.* FROM stories s WHERE s.id IN (SELECT story_id FROM articles WHERE kind = 'article' AND "
        f"{calendar.in_range()}) AND s.merged_into IS NULL AND s.size > 0 "
        "ORDER BY coalesce(s.last_updated, '') DESC, s.id LIMIT ? OFFSET ?",
        [*calendar.range_params(start, end), limit, offset],
    ).fetchall()
    before, after = calendar.neighbour_days(conn, when)
    extra = {"previous": before, "next": after}
    return Listing(story_summaries(conn, rows), next_offset(offset, limit, len(rows)), extra)


def sources(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every named outlet with its number of articles and its latest publication time, most articles first."""
    rows = conn.execute(
        "SELECT source_name AS name, count(*) AS n, max(published) AS latest FROM articles "
        "WHERE source_name IS NOT NULL GROUP BY source_name ORDER BY n DESC, source_name"
    ).fetchall()
    return [{"name": row["name"], "articles": row["n"], "latest": row["latest"]} for row in rows]


def source(conn: sqlite3.Connection, name: str, limit: int, cursor: str | None) -> Listing:
    """One outlet: counts, languages and its latest items (newest first); NotFoundError if it has no articles."""
    head = conn.execute(
        "SELECT count(*) AS n, count(DISTINCT story_id) AS stories FROM articles WHERE source_name = ?", (name,)
    ).fetchone()
    if not head["n"]:
        raise NotFoundError(f"source {name[:80]}: no articles from it")
    languages = [
        r[0]
        for r in conn.execute(
            "SELECT language, count(*) FROM articles WHERE source_name = ? AND language IS NOT NULL "
            "GROUP BY language ORDER BY count(*) DESC",
            (name,),
        )
    ]
    position = decode_cursor(cursor, (str, str)) if cursor else None
    sql = f"SELECT {_LIGHT_COLUMNS} FROM articles WHERE source_name = ?"
    params: list[object] = [name]
    if position is not None:
        sql += " AND coalesce(published, '') <= ? AND NOT (coalesce(published, '') = ? AND id <= ?)"
        params += [position[0], position[0], position[1]]
    sql += " ORDER BY coalesce(published, '') DESC, id LIMIT ?"
    rows = conn.execute(sql, [*params, limit]).fetchall()
    next_cursor = None
    if len(rows) == limit:
        next_cursor = encode_cursor(rows[-1]["published"] or "", rows[-1]["id"])
    extra = {"name": name, "articles": head["n"], "stories": head["stories"], "languages": languages}
    return Listing([article_summary(r) for r in rows], next_cursor, extra)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int,
    offset: int,
    language: str | None = None,
    source_name: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Listing:
    """Articles matching every word of query, best first, with their snippets (matches between [[ and ]])."""
    hits = search_db.search(
        conn,
        query,
        limit=limit,
        offset=offset,
        language=language,
        source=source_name,
        since=since,
        until=until,
    )
    items = [
        {
            "id": hit.article_id,
            "story_id": hit.story_id,
            "title": hit.title,
            "snippet": hit.snippet,
            "language": hit.language,
            "source": {"name": hit.source_name},
            "published": hit.published,
        }
        for hit in hits
    ]
    return Listing(items, next_offset(offset, limit, len(hits)))


def languages_and_sources(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """The languages and the outlets present, for the search form's filters."""
    languages = [r[0] for r in conn.execute("SELECT DISTINCT language FROM articles WHERE language IS NOT NULL")]
    names = [
        r[0] for r in conn.execute("SELECT DISTINCT source_name FROM articles WHERE source_name IS NOT NULL LIMIT 500")
    ]
    return sorted(languages), sorted(names)
