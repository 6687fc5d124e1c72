"""The store's statements, written with SQLite's `?` and `:name` placeholders, in psycopg's `%s` and `%(name)s`."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

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


def without_password(url: str) -> str:
    """A database URL with its password (in the user part or the query) blanked, for messages."""
    parts = urlsplit(url)
    if parts.password is not None:
        user, host = parts.netloc.rsplit("@", 1)
        parts = parts._replace(netloc=f"{user.split(':', 1)[0]}:***@{host}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "password" for key, _ in query):
        hidden = [(key, "***" if key == "password" else value) for key, value in query]
        parts = parts._replace(query=urlencode(hidden, safe="/*"))
    # by hand: urlunsplit drops the empty host of postgresql:///db
    tail = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}{tail}"
