"""Per-user subscriptions (the registered sources a user follows, with a title and category) and filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, cast

from newsfold.store.base import Connection, Row
from newsfold.store.reader_state import stamp

FilterField = Literal["keyword", "language", "kind"]
FILTER_FIELDS: tuple[FilterField, ...] = ("keyword", "language", "kind")


@dataclass(slots=True, frozen=True)
class Subscription:
    """A source a user follows: the source's id, URL and name, and the user's title and category for it."""

    source_id: int
    url: str
    name: str
    title: str | None
    category: str | None
    language: str | None

    @property
    def shown_title(self) -> str:
        """The title the user gave, else the source's name."""
        return self.title or self.name


@dataclass(slots=True, frozen=True)
class Filter:
    """One of a user's filters."""

    field: FilterField
    value: str


def _subscription(row: Row) -> Subscription:
    """A Subscription from its joined row."""
    return Subscription(
        source_id=int(row["source_id"]),
        url=row["url"],
        name=row["name"],
        title=row["title"],
        category=row["category"],
        language=row["language"],
    )


_SELECT = (
    "SELECT r.source_id, s.url, s.name, r.title, r.category, s.language FROM reader_subscriptions r "
    "JOIN sources s ON s.id = r.source_id WHERE r.user_id = :user"
)


def subscriptions(conn: Connection, user_id: int) -> list[Subscription]:
    """A user's subscriptions, by category then title."""
    rows = conn.execute(
        f"{_SELECT} ORDER BY coalesce(r.category, ''), lower(coalesce(r.title, s.name)), r.source_id",
        {"user": user_id},
    )
    return [_subscription(r) for r in rows]


def subscription(conn: Connection, user_id: int, source_id: int) -> Subscription | None:
    """A user's subscription to one source, or None."""
    row = conn.execute(f"{_SELECT} AND r.source_id = :source", {"user": user_id, "source": source_id}).fetchone()
    return _subscription(row) if row is not None else None


def subscribe(  # noqa: PLR0913  one parameter per column of the row it writes
    conn: Connection,
    user_id: int,
    source_id: int,
    now: datetime,
    *,
    title: str | None = None,
    category: str | None = None,
) -> bool:
    """Follow a source (title and category set where given); return whether it is newly followed."""
    known = subscription(conn, user_id, source_id) is not None
    conn.execute(
        "INSERT INTO reader_subscriptions (user_id, source_id, title, category, added) "
        "VALUES (:user, :source, :title, :category, :now) ON CONFLICT (user_id, source_id) DO UPDATE SET "
        "title = coalesce(excluded.title, reader_subscriptions.title), "
        "category = coalesce(excluded.category, reader_subscriptions.category)",
        {"user": user_id, "source": source_id, "title": title, "category": category, "now": stamp(now)},
    )
    return not known


def unsubscribe(conn: Connection, user_id: int, source_id: int) -> bool:
    """Stop following a source; return whether the user followed it."""
    cursor = conn.execute(
        "DELETE FROM reader_subscriptions WHERE user_id = :user AND source_id = :source",
        {"user": user_id, "source": source_id},
    )
    return cursor.rowcount > 0


def set_title(conn: Connection, user_id: int, source_id: int, title: str | None) -> None:
    """Rename a subscription for its user (None: the source's own name again)."""
    conn.execute(
        "UPDATE reader_subscriptions SET title = :title WHERE user_id = :user AND source_id = :source",
        {"user": user_id, "source": source_id, "title": title},
    )


def set_category(conn: Connection, user_id: int, source_id: int, category: str | None) -> None:
    """File a subscription under a category (None: none)."""
    conn.execute(
        "UPDATE reader_subscriptions SET category = :category WHERE user_id = :user AND source_id = :source",
        {"user": user_id, "source": source_id, "category": category},
    )


def rename_category(conn: Connection, user_id: int, old: str, new: str | None) -> int:
    """Rename (or, with None, remove) one of a user's categories; return the subscriptions changed."""
    cursor = conn.execute(
        "UPDATE reader_subscriptions SET category = :new WHERE user_id = :user AND category = :old",
        {"user": user_id, "old": old, "new": new},
    )
    return max(0, cursor.rowcount)


def categories(conn: Connection, user_id: int) -> list[str]:
    """A user's categories, sorted."""
    rows = conn.execute(
        "SELECT DISTINCT category FROM reader_subscriptions WHERE user_id = :user AND category IS NOT NULL "
        "ORDER BY category",
        {"user": user_id},
    )
    return [r[0] for r in rows]


def category_sources(conn: Connection, user_id: int, category: str) -> list[int]:
    """The sources a user files under a category."""
    rows = conn.execute(
        "SELECT source_id FROM reader_subscriptions WHERE user_id = :user AND category = :category",
        {"user": user_id, "category": category},
    )
    return [int(r[0]) for r in rows]


def filters(conn: Connection, user_id: int) -> list[Filter]:
    """A user's filters, by field and value."""
    rows = conn.execute(
        "SELECT field, value FROM reader_filters WHERE user_id = :user ORDER BY field, value", {"user": user_id}
    )
    return [Filter(field=cast(FilterField, r[0]), value=r[1]) for r in rows]


def add_filter(conn: Connection, user_id: int, field: FilterField, value: str) -> None:
    """Add a filter (nothing when the user has it)."""
    conn.execute(
        "INSERT INTO reader_filters (user_id, field, value) VALUES (:user, :field, :value) "
        "ON CONFLICT (user_id, field, value) DO NOTHING",
        {"user": user_id, "field": field, "value": value},
    )


def remove_filter(conn: Connection, user_id: int, field: FilterField, value: str) -> bool:
    """Remove a filter; return whether the user had it."""
    cursor = conn.execute(
        "DELETE FROM reader_filters WHERE user_id = :user AND field = :field AND value = :value",
        {"user": user_id, "field": field, "value": value},
    )
    return cursor.rowcount > 0
