"""Full-text search over titles and text (FTS5), with highlighted snippets, in every script.

Words in scripts written with spaces are looked up in the word index (articles_fts). Words with a character of a
script written without spaces (store/scripts.py) are found anywhere inside the text: those of 3+ characters through
the trigram index (articles_trgm), shorter ones with LIKE over the articles that have such text. Every word of the
query is required; snippets wrap each match in [[ and ]].
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfold.store.base import Connection, Row, SearchHit
from newsfold.store.scripts import is_spaceless, query_words

_SNIPPET_TOKENS = 24
_TRIGRAM_SNIPPET_TOKENS = 48
_WINDOW = 40
_MARKED = re.compile(r"\[\[.*?\]\]", re.DOTALL)


def _quoted(words: list[str]) -> str:
    """Words as an FTS5 query: each quoted (a phrase, no syntax), all required."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def fts_query(text: str) -> str | None:
    """Turn a user's words into a safe query for the word index (each word quoted, all required); None if none."""
    words = query_words(text)
    return _quoted(words) if words else None


def _like(word: str) -> str:
    """A LIKE pattern matching word anywhere (with backslash as its escape character)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class SearchFilters:
    """A search's filters: language, outlet, first instant (inclusive) and last (exclusive); None is no filter."""

    language: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None


def _filters(filters: SearchFilters) -> tuple[str, list[object]]:
    """The SQL conditions (on articles a) and parameters of the search's filters."""
    sql = ""
    params: list[object] = []
    for clause, value in (
        (" AND a.language = ?", filters.language),
        (" AND a.source_name = ?", filters.source),
        (" AND a.published >= ?", filters.since),
        (" AND a.published < ?", filters.until),
    ):
        if value:
            sql += clause
            params.append(value)
    return sql, params


def mark(snippet: str, words: list[str]) -> str:
    """The snippet with each case-insensitive occurrence of words, outside existing marks, wrapped in [[ and ]]."""
    wanted = sorted({w for w in words if w}, key=len, reverse=True)
    if not wanted:
        return snippet
    pattern = re.compile("|".join(re.escape(w) for w in wanted), re.IGNORECASE)
    pieces: list[str] = []
    last = 0
    for done in _MARKED.finditer(snippet):
        pieces.append(pattern.sub(lambda m: f"[[{m.group(0)}]]", snippet[last : done.start()]))
        pieces.append(done.group(0))
        last = done.end()
    pieces.append(pattern.sub(lambda m: f"[[{m.group(0)}]]", snippet[last:]))
    return "".join(pieces)


def window(text: str, words: list[str]) -> str:
    """A snippet of text around the first of words found in it (its start if none is), matches marked."""
    lowered = text.lower()
    found = [i for i in (lowered.find(w.lower()) for w in words) if i >= 0]
    start = max(0, min(found) - _WINDOW // 2) if found else 0
    end = min(len(text), start + 2 * _WINDOW)
    piece = ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")
    return mark(piece, words)


def _hit(row: Row, snippet: str) -> SearchHit:
    """A search hit from a result row and its snippet."""
    return SearchHit(
        article_id=row["id"],
        story_id=row["story_id"],
        title=row["title"],
        snippet=snippet,
        language=row["language"],
        source_name=row["source_name"],
        published=row["published"],
        rank=row["rank"],
    )


_COLUMNS = "a.id, a.story_id, a.title, a.language, a.source_name, a.published"


def search(
    conn: Connection, query: str, *, limit: int = 20, offset: int = 0, filters: SearchFilters | None = None
) -> list[SearchHit]:
    """Articles matching every word of query, best first, optionally filtered."""
    words = query_words(query)
    if not words:
        return []
    spaced = [w for w in words if not is_spaceless(w)]
    spaceless = [w for w in words if is_spaceless(w)]
    where, params = _filters(filters or SearchFilters())
    if conn.dialect == "postgresql":
        return _pg_search(conn, spaced, spaceless, where, params, limit, offset)
    if not spaceless:
        sql = (
            f"SELECT {_COLUMNS}, snippet(articles_fts, 1, '[[', ']]', ' … ', {_SNIPPET_TOKENS}) AS snip, "
            "bm25(articles_fts, 5.0, 1.0) AS rank "
            "FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ?"
            f"{where} ORDER BY rank LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, [_quoted(spaced), *params, limit, offset]).fetchall()
        return [_hit(row, row["snip"]) for row in rows]
    return _spaceless_search(conn, spaced, spaceless, where, params, limit, offset)


# ts_headline's options: about as many words as SQLite's snippet() shows, in up to two fragments (so a match written
# otherwise, "KARBALA" and "Karbala", is likelier to show both)
_HEADLINE = (
    f"StartSel=[[, StopSel=]], MaxFragments=2, MaxWords={_SNIPPET_TOKENS // 2}, MinWords={_SNIPPET_TOKENS // 4}, "
    "FragmentDelimiter=' … '"
)


def _pg_words(words: list[str]) -> tuple[str, list[object]]:
    """A tsquery requiring every word (each parsed as a phrase, as FTS5's quoted words are) and its parameters."""
    return " && ".join(["phraseto_tsquery('newsfold', ?)"] * len(words)), list(words)


def _pg_search(  # noqa: PLR0913  the query built so far and its paging
    conn: Connection,
    spaced: list[str],
    spaceless: list[str],
    where: str,
    params: list[object],
    limit: int,
    offset: int,
) -> list[SearchHit]:
    """The search on PostgreSQL: the weighted tsvector (title 5 : text 1, as bm25 weighs them) for words in spaced
    scripts, LIKE (pg_trgm's index where installed) for words in scripts written without spaces."""
    if not spaceless:
        query, words = _pg_words(spaced)
        sql = (
            f"SELECT {_COLUMNS}, ts_headline('newsfold', a.text, q, ?) AS snip, "
            "-ts_rank('{0, 0, 0.2, 1.0}', a.search, q) AS rank "
            f"FROM articles a, (SELECT {query} AS q) AS t WHERE a.search @@ q{where} "
            "ORDER BY rank, a.seq LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, [_HEADLINE, *words, *params, limit, offset]).fetchall()
        return [_hit(row, mark(row["snip"], spaced)) for row in rows]
    conditions = ""
    extra: list[object] = []
    for word in spaceless:
        conditions += " AND (a.title ILIKE ? ESCAPE '\\' OR a.text ILIKE ? ESCAPE '\\')"
        extra += [_like(word), _like(word)]
    if spaced:
        query, words = _pg_words(spaced)
        conditions += f" AND a.search @@ ({query})"
        extra += words
    sql = (
        f"SELECT {_COLUMNS}, a.text, 0.0 AS rank FROM articles a "
        f"WHERE a.spaceless = 1{conditions}{where} "
        "ORDER BY (a.title ILIKE ? ESCAPE '\\') DESC, coalesce(a.published, '') DESC, a.seq DESC LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*extra, *params, _like(spaceless[0]), limit, offset]).fetchall()
    return [_hit(row, window(row["text"], spaceless + spaced)) for row in rows]


def _spaceless_search(  # noqa: PLR0913  the query built so far and its paging
    conn: Connection,
    spaced: list[str],
    spaceless: list[str],
    where: str,
    params: list[object],
    limit: int,
    offset: int,
) -> list[SearchHit]:
    """A search with words in scripts written without spaces: trigram and LIKE, plus the word index for the rest."""
    long = [w for w in spaceless if len(w) >= 3]
    short = [w for w in spaceless if len(w) < 3]
    conditions = ""
    extra: list[object] = []
    for word in short:
        conditions += " AND (a.title LIKE ? ESCAPE '\\' OR a.text LIKE ? ESCAPE '\\')"
        extra += [_like(word), _like(word)]
    if spaced:
        conditions += " AND a.seq IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        extra.append(_quoted(spaced))
    unmarked = short + spaced
    if long:
        sql = (
            f"SELECT {_COLUMNS}, snippet(articles_trgm, 1, '[[', ']]', ' … ', {_TRIGRAM_SNIPPET_TOKENS}) AS snip, "
            "bm25(articles_trgm, 5.0, 1.0) AS rank "
            "FROM articles_trgm JOIN articles a ON a.seq = articles_trgm.rowid WHERE articles_trgm MATCH ?"
            f"{conditions}{where} ORDER BY rank LIMIT ? OFFSET ?"
        )
        rows = conn.execute(sql, [_quoted(long), *extra, *params, limit, offset]).fetchall()
        return [_hit(row, mark(row["snip"], unmarked)) for row in rows]
    sql = (
        f"SELECT {_COLUMNS}, a.text, 0.0 AS rank FROM articles a "
        f"WHERE a.spaceless = 1{conditions}{where} "
        "ORDER BY (a.title LIKE ? ESCAPE '\\') DESC, coalesce(a.published, '') DESC, a.seq DESC LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*extra, *params, _like(short[0]), limit, offset]).fetchall()
    return [_hit(row, window(row["text"], unmarked)) for row in rows]
