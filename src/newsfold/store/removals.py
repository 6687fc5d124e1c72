"""A mark of what was removed from the store: pages built before it changed may show what is gone."""

from __future__ import annotations

from newsfold.store.base import Connection


def removal_mark(conn: Connection) -> int:
    """The latest takedown's number (0: none yet); it grows with every takedown."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM takedowns").fetchone()[0])
