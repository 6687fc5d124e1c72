"""The store's one door: the Connection protocol every store function takes (SQLite or PostgreSQL), and the Store
protocol the pipeline, CLI and web use."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from newsfold.model import Article, Story

# the SQL dialects a connection speaks; the few statements that differ branch on Connection.dialect
Dialect = Literal["sqlite", "postgresql"]

# a statement's parameters: positional (`?` placeholders) or named (`:name`)
Params = Sequence[Any] | Mapping[str, Any]


class Row(Protocol):
    """One result row, addressable by column index and by column name."""

    def __getitem__(self, key: int | str, /) -> Any:
        """The value of a column by its index or name."""
        ...

    def keys(self) -> list[str]:
        """The column names, in order."""
        ...

    def __len__(self) -> int:
        """How many columns the row has."""
        ...


class Cursor(Protocol):
    """The result of one statement: its rows (fetched or iterated) and how many rows it changed."""

    @property
    def rowcount(self) -> int:
        """Rows changed by an INSERT, UPDATE or DELETE (-1 where unknown)."""
        ...

    def fetchone(self) -> Any:
        """The next row (a Row), or None when there is none."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows (each a Row)."""
        ...

    def __iter__(self) -> Iterator[Any]:
        """The remaining rows, one at a time (each a Row)."""
        ...


class Connection(Protocol):
    """What store functions need of a database connection; statements use `?` placeholders in every dialect."""

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect this connection speaks."""
        ...

    def execute(self, sql: str, params: Params = (), /) -> Cursor:
        """Run one statement with its parameters."""
        ...

    def executemany(self, sql: str, params: Iterable[Params], /) -> Cursor:
        """Run one statement once per parameter set."""
        ...

    def commit(self) -> None:
        """Commit the open transaction (Database.write() does this; rarely needed by hand)."""
        ...

    def rollback(self) -> None:
        """Roll the open transaction back."""
        ...


@dataclass(slots=True)
class SearchHit:
    """One article that matched, with a snippet whose matches are wrapped in [[ and ]]."""

    article_id: str
    story_id: str | None
    title: str | None
    snippet: str
    language: str | None
    source_name: str | None
    published: str | None
    rank: float


class Store(Protocol):
    """Persistent articles and stories; SQLite by default, room for PostgreSQL."""

    def article(self, article_id: str) -> Article | None:
        """One article by id."""
        ...

    def articles(self, ids: Sequence[str]) -> list[Article]:
        """Articles by id, in the order given."""
        ...

    def story(self, story_id: str) -> Story | None:
        """One story by id (old ids of merged stories lead to the live one)."""
        ...

    def latest(self, limit: int = 50, before: tuple[str, str] | None = None) -> list[Story]:
        """Stories by last update, newest first."""
        ...

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching a query, best first."""
        ...

    def counts(self) -> dict[str, int]:
        """How many articles and stories are stored."""
        ...

    def close(self) -> None:
        """Release the backend's resources."""
        ...
