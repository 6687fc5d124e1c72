"""The store: a Store protocol and its SQLite backend."""

from newsfold.store.base import Store
from newsfold.store.db import Database
from newsfold.store.sqlite import SqliteStore

__all__ = ["Database", "SqliteStore", "Store", "open_store"]


def open_store(path: str) -> SqliteStore:
    """Open (creating and migrating if needed) the SQLite store at path."""
    return SqliteStore(Database(path))
