"""Which stories get a stored page (story_pages holds each story's page rendered ahead)."""

from __future__ import annotations

import sqlite3


def stories_to_render(conn: sqlite3.Connection, everything: bool = False) -> list[str]:
    """The live stories with members, by id: all of them, or (by default) those without a stored rendered page."""
    sql = "SELECT id FROM stories WHERE merged_into IS NULL AND size > 0"
    if not everything:
        sql += " AND id NOT IN (SELECT story_id FROM story_pages WHERE html IS NOT NULL)"
    return [str(row[0]) for row in conn.execute(sql + " ORDER BY id")]
