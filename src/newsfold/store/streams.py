"""A user's streams of stories: the reading list, one feed, one category, saved; unread counts; where stories came
from. Walked by item number (newest or oldest first), so a page costs the stories it looks at, not the store."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from newsfold.store import reader_state
from newsfold.store.base import Connection, Row
from newsfold.store.reader_state import STORY_FROM_SOURCE, chunks, in_list, read_sql, stamp
from newsfold.store.subscriptions import filters

Scope = Literal["subscriptions", "everything", "saved"]
ReadState = Literal["any", "unread", "read"]

# the stories of a user's subscriptions (all, one category's, one source's); from this page size on, as a set
# (benchmarks/reader_load.py: at 20,000 articles, 1,000 item ids 62 -> 9 ms; a page of 20 3.3 ms walking, 8 as a set)
SET_FROM = 100
# the stories of a user's subscriptions, as a subquery per story walked: cheapest for a short page, which walks few
_SUBSCRIBED_WALK = (
    "EXISTS (SELECT 1 FROM articles sa JOIN source_items ssi ON ssi.url = sa.origin_location "
    "JOIN reader_subscriptions sub ON sub.source_id = ssi.source_id AND sub.user_id = :user "
    "WHERE sa.story_id = s.id{extra})"
)
# ... and as a set built once from the subscriptions: cheapest for a long page (item ids, counts), which walks many
_SUBSCRIBED_SET = (
    "s.id IN (SELECT sa.story_id FROM reader_subscriptions sub JOIN source_items ssi ON ssi.source_id = sub.source_id "
    "JOIN articles sa ON sa.origin_location = ssi.url WHERE sub.user_id = :user{extra})"
)


@dataclass(slots=True, frozen=True)
class StreamQuery:
    """Which of a user's stories to list, in which order, from where."""

    user_id: int
    scope: Scope = "subscriptions"
    source_id: int | None = None
    category: str | None = None
    state: ReadState = "any"
    saved_only: bool = False
    exclude_saved: bool = False
    hidden: bool = False
    newer_than: datetime | None = None
    older_than: datetime | None = None
    oldest_first: bool = False
    after: int | None = None
    limit: int = 20
    filtered: bool = True


@dataclass(slots=True, frozen=True)
class StreamItem:
    """A story in a user's stream, with the user's state on it."""

    item: int
    story_id: str
    title: str
    languages: list[str]
    first_published: str | None
    last_updated: str | None
    created: str
    sources: int
    read: bool
    saved: str | None
    hidden: str | None


def _filters_sql(conn: Connection, user_id: int, params: dict[str, Any]) -> list[str]:
    """The user's filters as SQL conditions on the story s (their values added to params)."""
    chosen = filters(conn, user_id)
    out: list[str] = []
    for i, keyword in enumerate(f.value for f in chosen if f.field == "keyword"):
        params[f"kw{i}"] = "%" + keyword.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        out.append(f"lower(s.title) NOT LIKE :kw{i} ESCAPE '\\'")
    for field, column in (("language", "language"), ("kind", "kind")):
        values = [f.value for f in chosen if f.field == field]
        if values:
            marks, named = in_list(f"f{field}", values)
            params.update(named)
            out.append(f"EXISTS (SELECT 1 FROM articles fk WHERE fk.story_id = s.id AND fk.{column} IN ({marks}))")
    return out


def _where(conn: Connection, query: StreamQuery) -> tuple[list[str], dict[str, Any]]:
    """A stream's conditions on the story s (item ri, state st) and their parameters."""
    params: dict[str, Any] = {
        "user": query.user_id,
        "renew": 1 if reader_state.unread_on_new_sources(conn, query.user_id) else 0,
        "limit": query.limit,
    }
    where = ["s.merged_into IS NULL", "s.size > 0"]
    if query.scope == "subscriptions":
        extra = ""
        if query.source_id is not None:
            extra += " AND sub.source_id = :source"
            params["source"] = query.source_id
        if query.category is not None:
            extra += " AND sub.category = :category"
            params["category"] = query.category
        subscribed = _SUBSCRIBED_SET if query.limit >= SET_FROM else _SUBSCRIBED_WALK
        where.append(subscribed.format(extra=extra))
    elif query.source_id is not None:
        where.append(STORY_FROM_SOURCE.format(story="s.id", source=":source"))
        params["source"] = query.source_id
    if query.scope == "saved" or query.saved_only:
        where.append("st.saved_at IS NOT NULL")
    if query.exclude_saved:
        where.append("st.saved_at IS NULL")
    where.append("st.hidden_at IS NOT NULL" if query.hidden else "st.hidden_at IS NULL")
    if query.state != "any":
        where.append(f"{read_sql()} = {1 if query.state == 'read' else 0}")
    if query.newer_than is not None:
        where.append("ri.created >= :newer")
        params["newer"] = stamp(query.newer_than)
    if query.older_than is not None:
        where.append("ri.created < :older")
        params["older"] = stamp(query.older_than)
    if query.after is not None:
        where.append("ri.id > :after" if query.oldest_first else "ri.id < :after")
        params["after"] = query.after
    if query.filtered and query.scope != "saved":
        where.extend(_filters_sql(conn, query.user_id, params))
    return where, params


def stream(conn: Connection, query: StreamQuery) -> list[StreamItem]:
    """One page of a user's stream."""
    where, params = _where(conn, query)
    join = "JOIN" if query.scope == "saved" or query.saved_only else "LEFT JOIN"
    sql = (
        f"{_SELECT} {join} reader_state st ON st.user_id = :user AND st.story_id = s.id "
        f"WHERE {' AND '.join(where)} ORDER BY ri.id {'ASC' if query.oldest_first else 'DESC'} LIMIT :limit"
    )
    return _items(conn.execute(sql, params))


def item_numbers(conn: Connection, query: StreamQuery) -> list[int]:
    """The item numbers of a stream's page (up to its limit), in its order."""
    where, params = _where(conn, query)
    join = "JOIN" if query.scope == "saved" or query.saved_only else "LEFT JOIN"
    sql = (
        f"SELECT ri.id FROM reader_items ri JOIN stories s ON s.id = ri.story_id "
        f"{join} reader_state st ON st.user_id = :user AND st.story_id = s.id "
        f"WHERE {' AND '.join(where)} ORDER BY ri.id {'ASC' if query.oldest_first else 'DESC'} LIMIT :limit"
    )
    return [int(r[0]) for r in conn.execute(sql, params)]


def count(conn: Connection, query: StreamQuery, cap: int = 100_000) -> int:
    """How many stories a stream holds (its continuation and limit aside), counted up to cap."""
    where, params = _where(conn, replace(query, after=None, limit=cap))  # a count walks them all: the set form
    params.pop("limit")
    params["cap"] = cap
    join = "JOIN" if query.scope == "saved" or query.saved_only else "LEFT JOIN"
    sql = (
        "SELECT count(*) FROM (SELECT 1 FROM reader_items ri JOIN stories s ON s.id = ri.story_id "
        f"{join} reader_state st ON st.user_id = :user AND st.story_id = s.id WHERE {' AND '.join(where)} "
        "LIMIT :cap) counted"
    )
    return int(conn.execute(sql, params).fetchone()[0])


def items_of(conn: Connection, user_id: int, story_ids: Sequence[str]) -> list[StreamItem]:
    """Live stories as items of a user's streams (with the user's state), newest first."""
    renew = 1 if reader_state.unread_on_new_sources(conn, user_id) else 0
    out: list[StreamItem] = []
    for chunk in chunks(story_ids):
        marks, params = in_list("s", chunk)
        params.update({"user": user_id, "renew": renew})
        sql = (
            f"{_SELECT} LEFT JOIN reader_state st ON st.user_id = :user AND st.story_id = s.id "
            f"WHERE s.id IN ({marks}) AND s.merged_into IS NULL AND s.size > 0"
        )
        out.extend(_items(conn.execute(sql, params)))
    return sorted(out, key=lambda i: -i.item)


_SELECT = (
    "SELECT ri.id AS item, s.id, s.title, s.languages, s.first_published, s.last_updated, ri.created, "
    f"s.sources, {read_sql()} AS is_read, st.saved_at, st.hidden_at FROM reader_items ri "
    "JOIN stories s ON s.id = ri.story_id"
)


def _items(rows: Iterable[Row]) -> list[StreamItem]:
    """Stream items from their rows (_SELECT's columns)."""
    return [
        StreamItem(
            item=int(r["item"]),
            story_id=r["id"],
            title=r["title"],
            languages=list(json.loads(r["languages"] or "[]")),
            first_published=r["first_published"],
            last_updated=r["last_updated"],
            created=r["created"],
            sources=int(r["sources"]),
            read=bool(r["is_read"]),
            saved=r["saved_at"],
            hidden=r["hidden_at"],
        )
        for r in rows
    ]


def unread_counts(conn: Connection, user_id: int) -> dict[int, int]:
    """How many unread stories each of a user's subscribed sources has, by source id (one walk over the
    subscriptions' pages, not over the store)."""
    renew = 1 if reader_state.unread_on_new_sources(conn, user_id) else 0
    out = {
        int(r[0]): 0
        for r in conn.execute("SELECT source_id FROM reader_subscriptions WHERE user_id = :user", {"user": user_id})
    }
    rows = conn.execute(
        "SELECT src, count(*) FROM (SELECT DISTINCT si.source_id AS src, s.id AS story FROM reader_subscriptions sub "
        "JOIN source_items si ON si.source_id = sub.source_id JOIN articles a ON a.origin_location = si.url "
        "JOIN stories s ON s.id = a.story_id JOIN reader_items ri ON ri.story_id = s.id "
        "LEFT JOIN reader_state st ON st.user_id = :user AND st.story_id = s.id "
        f"WHERE sub.user_id = :user AND s.merged_into IS NULL AND s.size > 0 AND st.hidden_at IS NULL "
        f"AND {read_sql()} = 0) unread GROUP BY src",
        {"user": user_id, "renew": renew},
    )
    for row in rows:
        out[int(row[0])] = int(row[1])
    return out


def story_sources(conn: Connection, story_ids: Sequence[str]) -> dict[str, list[int]]:
    """The registered sources each story's members were read from, by story id (lowest source id first)."""
    out: dict[str, list[int]] = {}
    for chunk in chunks(story_ids):
        marks, params = in_list("s", chunk)
        rows = conn.execute(
            "SELECT DISTINCT a.story_id, si.source_id FROM articles a "
            "JOIN source_items si ON si.url = a.origin_location "
            f"WHERE a.story_id IN ({marks}) AND si.source_id IS NOT NULL ORDER BY a.story_id, si.source_id",
            params,
        )
        for row in rows:
            out.setdefault(row[0], []).append(int(row[1]))
    return out
