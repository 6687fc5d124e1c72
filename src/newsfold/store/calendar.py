"""Articles by time, whatever offset each time was stored with: the trends window, the day archive, the days.

Stored times keep the offset they were published with ("2024-02-12T13:00:00+05:00"), so comparing their text
misplaces them by hours. Every query here narrows by text first (a range widened by the largest offset, which
the index on `published` answers) and then compares the instants (SQLite's julianday reads the offsets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from newsfold.store.base import Connection
from newsfold.text.dates import utc

# the widest UTC offset in use (UTC+14, Kiribati; UTC-12 is narrower), and a little more
SLACK = timedelta(hours=15)
# how many of the newest stored times are read to find the newest instant (their offsets may reorder them)
NEWEST_CANDIDATES = 64


def text(moment: datetime) -> str:
    """An instant as the text it is compared with (UTC, seconds, no offset)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def newest_published(conn: Connection, until: datetime, kind: str | None = None) -> datetime | None:
    """The latest publication instant at or before until (UTC), offsets taken into account."""
    return _nearest(conn, until, before=True, inclusive=True, kind=kind)


def _nearest(conn: Connection, bound: datetime, before: bool, inclusive: bool, kind: str | None) -> datetime | None:
    """The publication instant nearest to bound on one side of it: the newest candidates by text, then exactly."""
    kind_sql = "" if kind is None else " AND kind = ?"
    kinds = [] if kind is None else [kind]
    if before:
        sql = f"SELECT published FROM articles WHERE published <= ?{kind_sql} ORDER BY published DESC LIMIT ?"
        edge = text(bound + SLACK)
    else:
        sql = f"SELECT published FROM articles WHERE published >= ?{kind_sql} ORDER BY published LIMIT ?"
        edge = text(bound - SLACK)
    rows = conn.execute(sql, [edge, *kinds, NEWEST_CANDIDATES]).fetchall()
    found = [m for row in rows if (m := utc(row[0])) is not None and _side(m, bound, before, inclusive)]
    if not found and len(rows) == NEWEST_CANDIDATES:
        # every candidate fell on the wrong side of the bound: compare every instant (rare, a full scan)
        op = ("<=" if inclusive else "<") if before else (">=" if inclusive else ">")
        order = "DESC" if before else "ASC"
        row = conn.execute(
            f"SELECT published FROM articles WHERE julianday(published) {op} julianday(?){kind_sql} "
            f"ORDER BY julianday(published) {order} LIMIT 1",
            [text(bound), *kinds],
        ).fetchone()
        moment = utc(row[0]) if row else None
        return moment
    if not found:
        return None
    return max(found) if before else min(found)


def _side(moment: datetime, bound: datetime, before: bool, inclusive: bool) -> bool:
    """Whether moment lies on the asked side of bound."""
    if before:
        return moment <= bound if inclusive else moment < bound
    return moment >= bound if inclusive else moment > bound


def in_range(column: str = "published") -> str:
    """SQL true when the column's instant lies in [?, ?) (four parameters: range_params(start, end))."""
    return (
        f"({column} >= ? AND {column} < ? "
        f"AND julianday({column}) >= julianday(?) AND julianday({column}) < julianday(?))"
    )


def range_params(start: datetime, end: datetime) -> list[str]:
    """The parameters of in_range for the instants [start, end)."""
    return [text(start - SLACK), text(end + SLACK), text(start), text(end)]


def day_range(day: date) -> tuple[datetime, datetime]:
    """A UTC day as the instants [its start, the next day's start)."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


@dataclass(slots=True, frozen=True)
class Day:
    """A day of the archive: its date (UTC) and how many news stories and articles were published on it."""

    day: str
    stories: int
    articles: int


def days(conn: Connection) -> list[Day]:
    """Every UTC day on which a news article was published, newest first, with its story and article counts."""
    rows = conn.execute(
        "SELECT date(published) AS d, count(DISTINCT story_id) AS s, count(*) AS n FROM articles "
        "WHERE published IS NOT NULL AND kind = 'article' AND story_id IS NOT NULL "
        "GROUP BY d HAVING d IS NOT NULL ORDER BY d DESC"
    ).fetchall()
    return [Day(row["d"], row["s"], row["n"]) for row in rows]


def neighbour_days(conn: Connection, day: date) -> tuple[str | None, str | None]:
    """The nearest earlier and later UTC days with a news article published, or None."""
    start, end = day_range(day)
    earlier = _nearest(conn, start, before=True, inclusive=False, kind="article")
    later = _nearest(conn, end, before=False, inclusive=True, kind="article")
    return (earlier.date().isoformat() if earlier else None, later.date().isoformat() if later else None)
