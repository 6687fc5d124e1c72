"""Full-text search over titles and text (FTS5), with highlighted snippets."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


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


def fts_query(text: str) -> str | None:
    """Turn a user's words into a safe FTS5 query (each word quoted, all required); None if no words."""
    words = _TOKEN.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    language: str | None = None,
    source: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[SearchHit]:
    """Articles matching every word of query, best first, optionally filtered."""
    match = fts_query(query)
    if match is None:
        return []
    sql = (
        "SELECT a.id, a.story_id, a.title, a.language, a.source_name, a.published, "
        "snippet(articles_fts, 1, '[[', ']]', ' … ', 24) AS snip, bm25(articles_fts, 5.0, 1.0) AS rank "
        "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?"
    )
    params: list[object] = [match]
    if language:
        sql += " AND a.language = ?"
        params.append(language)
    if source:
        sql += " AND a.source_name = ?"
        params.append(source)
    if since:
        sql += " AND a.published >= ?"
        params.append(since)
    if until:
        sql += " AND a.published < ?"
        params.append(until)
    sql += " ORDER BY rank LIMIT ? OFFSET ?"
    params += [limit, offset]
    return [
        SearchHit(
            article_id=row["id"],
            story_id=row["story_id"],
            title=row["title"],
            snippet=row["snip"],
            language=row["language"],
            source_name=row["source_name"],
            published=row["published"],
            rank=row["rank"],
        )
        for row in conn.execute(sql, params)
    ]
