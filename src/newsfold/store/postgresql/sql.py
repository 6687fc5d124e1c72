"""The store's statements, written with SQLite's `?` and `:name` placeholders, in psycopg's `%s` and `%(name)s`."""

from __future__ import annotations

import re

# a string literal, a quoted identifier, a comment, a cast (::), a placeholder, or a percent sign
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|::|\?|:([A-Za-z_][A-Za-z0-9_]*)|%")


def to_psycopg(sql: str) -> str:
    """The statement with `?` as `%s`, `:name` as `%(name)s` and every literal `%` doubled (quotes left as they are,
    but for their `%`)."""

    def replace(match: re.Match[str]) -> str:
        """One token in psycopg's spelling."""
        token = match.group(0)
        if token == "?":
            return "%s"
        if token == "%":
            return "%%"
        if match.group(1) is not None:
            return f"%({match.group(1)})s"
        if token.startswith(("'", '"', "--")):
            return token.replace("%", "%%")
        return token

    return _TOKEN.sub(replace, sql)
