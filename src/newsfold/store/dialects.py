"""The few SQL spellings that differ between SQLite and PostgreSQL, as fragments a statement puts in its text."""

from __future__ import annotations

from newsfold.store.base import Connection


def json_array_agg(conn: Connection, expression: str) -> str:
    """An aggregate that makes a JSON array (as text) of expression's values over each group."""
    return f"json_group_array({expression})" if conn.dialect == "sqlite" else f"json_agg({expression})::text"


def json_elements(conn: Connection, expression: str, alias: str) -> str:
    """A table of the elements of a JSON array held as text, each as `{alias}.value` (for FROM)."""
    if conn.dialect == "sqlite":
        return f"json_each({expression}) {alias}"
    return f"json_array_elements_text(({expression})::json) AS {alias}(value)"
