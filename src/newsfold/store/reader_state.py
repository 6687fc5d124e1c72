"""What each user has done with stories: read, saved, hidden, "mark all as read" watermarks, and item numbers.

A story's item number (reader_items.id) is given when the story is created and never changes; a story merged into
another keeps its number, which then leads to the live story (resolve_story_id), and its users' state moves onto the
live story. Read is decided per user as SQL (read_sql): an explicit mark wins; else a watermark covering the story's
creation decides; with the user's "unread on new sources" preference, a story that gained a source after it was read
is unread again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newsfold.store.base import Connection

# a story's members by the source (source_items) whose page they were read from; {story} and {source} are SQL
STORY_FROM_SOURCE = (
    "EXISTS (SELECT 1 FROM articles fa JOIN source_items fsi ON fsi.url = fa.origin_location "
    "WHERE fa.story_id = {story} AND fsi.source_id = {source})"
)
ALL_SOURCES = 0


def stamp(moment: datetime) -> str:
    """A time as this module stores it: UTC, ISO-8601 with microseconds and Z (so text order is time order)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_stamp() -> str:
    """The current time, stamped."""
    return stamp(datetime.now(UTC))


def read_sql(user: str = ":user", renew: str = ":renew") -> str:
    """SQL true when the story s (item ri, state row st, LEFT JOINed for the user) is read by the user.

    renew: SQL 1 when the user wants stories that gained a source after they were read unread again, else 0.
    """
    marked = (
        f"EXISTS (SELECT 1 FROM reader_marks m WHERE m.user_id = {user} AND m.up_to >= ri.created "
        f"AND ({renew} = 0 OR ri.grown IS NULL OR ri.grown <= m.marked) "
        f"AND (m.source_id = 0 OR {STORY_FROM_SOURCE.format(story='s.id', source='m.source_id')}))"
    )
    return (
        f"(CASE WHEN st.read = 1 AND ({renew} = 0 OR ri.grown IS NULL OR ri.grown <= st.read_at) THEN 1 "
        f"WHEN st.read = 0 THEN 0 WHEN {marked} THEN 1 ELSE 0 END)"
    )


@dataclass(slots=True, frozen=True)
class StoryState:
    """One user's state on one story."""

    read: bool
    saved: str | None
    hidden: str | None


# --- item numbers -------------------------------------------------------------------------------------------------


def add_item(conn: Connection, story_id: str, created: datetime | None = None) -> None:
    """Give a new story its item number (nothing when it has one)."""
    conn.execute(
        "INSERT INTO reader_items (story_id, created) VALUES (:story, :created) ON CONFLICT (story_id) DO NOTHING",
        {"story": story_id, "created": stamp(created) if created else now_stamp()},
    )


def add_missing_items(conn: Connection) -> int:
    """Number every story that has none yet (a store loaded in bulk), in creation order; return how many."""
    cursor = conn.execute(
        "INSERT INTO reader_items (story_id, created, sources) SELECT s.id, s.created, s.sources FROM stories s "
        "WHERE NOT EXISTS (SELECT 1 FROM reader_items r WHERE r.story_id = s.id) ORDER BY s.created, s.id"
    )
    return max(0, cursor.rowcount)


def story_grew(conn: Connection, story_id: str, sources: int, now: datetime | None = None) -> None:
    """Record a story's source count, and the time when it grew (gained a source)."""
    conn.execute(
        "UPDATE reader_items SET grown = CASE WHEN :sources > sources THEN :now ELSE grown END, sources = :sources "
        "WHERE story_id = :story",
        {"sources": sources, "now": stamp(now) if now else now_stamp(), "story": story_id},
    )


def item_story(conn: Connection, item: int) -> str | None:
    """The story (as numbered; maybe merged since) of an item number, or None."""
    row = conn.execute("SELECT story_id FROM reader_items WHERE id = :item", {"item": item}).fetchone()
    return str(row[0]) if row is not None else None


def story_items(conn: Connection, story_ids: Sequence[str]) -> dict[str, int]:
    """The item numbers of stories, by story id (stories without one left out)."""
    out: dict[str, int] = {}
    for chunk in chunks(story_ids):
        marks, params = in_list("s", chunk)
        for row in conn.execute(f"SELECT story_id, id FROM reader_items WHERE story_id IN ({marks})", params):
            out[row[0]] = int(row[1])
    return out


# --- merges --------------------------------------------------------------------------------------------------------


def merge_state(conn: Connection, keep: str, old: str) -> None:
    """Move every user's state on a story merged away onto the live one (the live story's own marks win; saved and
    hidden kept from either)."""
    params = {"keep": keep, "old": old}
    conn.execute(
        "UPDATE reader_state SET story_id = :keep WHERE story_id = :old AND NOT EXISTS "
        "(SELECT 1 FROM reader_state k WHERE k.user_id = reader_state.user_id AND k.story_id = :keep)",
        params,
    )
    conn.execute(
        "UPDATE reader_state SET "
        "saved_at = coalesce(saved_at, (SELECT o.saved_at FROM reader_state o "
        "WHERE o.user_id = reader_state.user_id AND o.story_id = :old)), "
        "hidden_at = coalesce(hidden_at, (SELECT o.hidden_at FROM reader_state o "
        "WHERE o.user_id = reader_state.user_id AND o.story_id = :old)) "
        "WHERE story_id = :keep AND EXISTS (SELECT 1 FROM reader_state o "
        "WHERE o.user_id = reader_state.user_id AND o.story_id = :old)",
        params,
    )
    conn.execute("DELETE FROM reader_state WHERE story_id = :old", params)


# --- marks ---------------------------------------------------------------------------------------------------------


def set_read(conn: Connection, user_id: int, story_ids: Iterable[str], read: bool, now: datetime) -> None:
    """Mark live stories read (or unread) for a user."""
    conn.executemany(
        "INSERT INTO reader_state (user_id, story_id, read, read_at) VALUES (:user, :story, :read, :at) "
        "ON CONFLICT (user_id, story_id) DO UPDATE SET read = excluded.read, read_at = excluded.read_at",
        [{"user": user_id, "story": s, "read": 1 if read else 0, "at": stamp(now)} for s in story_ids],
    )


def set_saved(conn: Connection, user_id: int, story_ids: Iterable[str], saved: bool, now: datetime) -> None:
    """Save (star) or unsave live stories for a user."""
    _set_time(conn, "saved_at", user_id, story_ids, stamp(now) if saved else None)


def set_hidden(conn: Connection, user_id: int, story_ids: Iterable[str], hidden: bool, now: datetime) -> None:
    """Hide or show again live stories for a user."""
    _set_time(conn, "hidden_at", user_id, story_ids, stamp(now) if hidden else None)


def _set_time(conn: Connection, column: str, user_id: int, story_ids: Iterable[str], value: str | None) -> None:
    """Set one time column of a user's state rows (column is one of this module's names, never input)."""
    assert column in ("saved_at", "hidden_at")
    conn.executemany(
        f"INSERT INTO reader_state (user_id, story_id, {column}) VALUES (:user, :story, :value) "
        f"ON CONFLICT (user_id, story_id) DO UPDATE SET {column} = excluded.{column}",
        [{"user": user_id, "story": s, "value": value} for s in story_ids],
    )


def mark_all_read(
    conn: Connection, user_id: int, up_to: datetime, source_ids: Sequence[int] | None, now: datetime
) -> None:
    """Every story created up to a time is read for a user: from every source (None) or from these sources.

    A watermark per scope (it only moves forward); stories marked unread one by one within its reach are read again.
    """
    scopes = [ALL_SOURCES] if source_ids is None else list(dict.fromkeys(source_ids))
    for source in scopes:
        params = {"user": user_id, "source": source, "up_to": stamp(up_to), "now": stamp(now)}
        conn.execute(
            "INSERT INTO reader_marks (user_id, source_id, up_to, marked) VALUES (:user, :source, :up_to, :now) "
            "ON CONFLICT (user_id, source_id) DO UPDATE SET "
            "marked = CASE WHEN excluded.up_to > reader_marks.up_to THEN excluded.marked ELSE reader_marks.marked END, "
            "up_to = CASE WHEN excluded.up_to > reader_marks.up_to THEN excluded.up_to ELSE reader_marks.up_to END",
            params,
        )
        scope = STORY_FROM_SOURCE.format(story="ri.story_id", source=":source")
        scope = "" if source == ALL_SOURCES else f" AND {scope}"
        conn.execute(
            "UPDATE reader_state SET read = NULL, read_at = :now WHERE user_id = :user AND read = 0 AND EXISTS "
            "(SELECT 1 FROM reader_items ri WHERE ri.story_id = reader_state.story_id "
            f"AND ri.created <= :up_to{scope})",
            params,
        )


def states(conn: Connection, user_id: int, story_ids: Sequence[str]) -> dict[str, StoryState]:
    """A user's state on live stories, by story id (every id given that has an item number)."""
    out: dict[str, StoryState] = {}
    renew = 1 if unread_on_new_sources(conn, user_id) else 0
    for chunk in chunks(story_ids):
        marks, params = in_list("s", chunk)
        params.update({"user": user_id, "renew": renew})
        rows = conn.execute(
            f"SELECT s.id, {read_sql()} AS is_read, st.saved_at, st.hidden_at FROM reader_items ri "
            "JOIN stories s ON s.id = ri.story_id "
            "LEFT JOIN reader_state st ON st.user_id = :user AND st.story_id = s.id "
            f"WHERE ri.story_id IN ({marks})",
            params,
        )
        for row in rows:
            out[row[0]] = StoryState(read=bool(row[1]), saved=row[2], hidden=row[3])
    return out


# --- preferences ---------------------------------------------------------------------------------------------------


def unread_on_new_sources(conn: Connection, user_id: int) -> bool:
    """Whether a user wants a read story that gains a source unread again (off unless they chose it)."""
    row = conn.execute(
        "SELECT unread_on_new_sources FROM reader_prefs WHERE user_id = :user", {"user": user_id}
    ).fetchone()
    return bool(row[0]) if row is not None else False


def set_unread_on_new_sources(conn: Connection, user_id: int, value: bool) -> None:
    """Choose whether a read story that gains a source becomes unread again."""
    conn.execute(
        "INSERT INTO reader_prefs (user_id, unread_on_new_sources) VALUES (:user, :value) "
        "ON CONFLICT (user_id) DO UPDATE SET unread_on_new_sources = excluded.unread_on_new_sources",
        {"user": user_id, "value": 1 if value else 0},
    )


# --- helpers -------------------------------------------------------------------------------------------------------

_CHUNK = 500


def chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    """Values in slices small enough for one statement's parameters."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def in_list(prefix: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """Named placeholders for an IN list and their parameters."""
    names = [f"{prefix}{i}" for i in range(len(values))]
    return ", ".join(f":{n}" for n in names), dict(zip(names, values, strict=True))
