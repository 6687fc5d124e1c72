"""Reading and writing articles: the row shape and its (de)serialisation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

from newsfold.model import Article, Kind, Origin, OriginalRef, Paragraph, Relation, Role, SourceRef
from newsfold.store.base import Connection, Row
from newsfold.store.scripts import has_spaceless
from newsfold.text.dates import iso, now_iso, parse_iso


def _original_to_json(original: OriginalRef | None) -> str | None:
    if original is None:
        return None
    return json.dumps(
        {
            "name": original.name,
            "url": original.url,
            "language": original.language,
            "published": iso(original.published),
        }
    )


def _original_from_json(text: str | None) -> OriginalRef | None:
    if not text:
        return None
    data = json.loads(text)
    return OriginalRef(
        name=data.get("name"),
        url=data.get("url"),
        language=data.get("language"),
        published=parse_iso(data.get("published")),
    )


def article_row(article: Article) -> dict[str, Any]:
    """The column values of an article."""
    return {
        "id": article.id,
        "kind": article.kind,
        "title": article.title,
        "text": article.text,
        "paragraphs": json.dumps(
            [{"text": p.text, "role": p.role, "language": p.language} for p in article.paragraphs],
            ensure_ascii=False,
        ),
        "language": article.language,
        "published": iso(article.published),
        "updated": iso(article.updated),
        "authors": json.dumps(article.authors, ensure_ascii=False),
        "contributors": json.dumps(article.contributors, ensure_ascii=False),
        "dateline": article.dateline,
        "section": article.section,
        "source_name": article.source.name,
        "source_url": article.source.url,
        "canonical_url": article.canonical_url,
        "original": _original_to_json(article.original),
        "machine_translated": None if article.machine_translated is None else int(article.machine_translated),
        "highlights": json.dumps(article.highlights, ensure_ascii=False),
        "origin_location": article.origin.location,
        "origin_index": article.origin.index,
        "fetched": iso(article.origin.fetched),
        "story_id": article.story_id,
        "relation": article.relation,
        "copy_of": article.copy_of,
        "spaceless": int(has_spaceless(article.title) or has_spaceless(article.text)),
    }


def article_from_row(row: Row) -> Article:
    """Rebuild an Article from its row."""
    paragraphs = [
        Paragraph(text=p["text"], role=cast(Role, p["role"]), language=p.get("language"))
        for p in json.loads(row["paragraphs"])
    ]
    mt = row["machine_translated"]
    return Article(
        origin=Origin(location=row["origin_location"], index=row["origin_index"], fetched=parse_iso(row["fetched"])),
        kind=cast(Kind, row["kind"]),
        title=row["title"],
        paragraphs=paragraphs,
        language=row["language"],
        published=parse_iso(row["published"]),
        updated=parse_iso(row["updated"]),
        authors=json.loads(row["authors"]),
        contributors=json.loads(row["contributors"]),
        dateline=row["dateline"],
        section=row["section"],
        source=SourceRef(name=row["source_name"], url=row["source_url"]),
        canonical_url=row["canonical_url"],
        original=_original_from_json(row["original"]),
        machine_translated=None if mt is None else bool(mt),
        highlights=json.loads(row["highlights"]),
        story_id=row["story_id"],
        relation=cast(Relation | None, row["relation"]),
        copy_of=row["copy_of"],
    )


def insert_articles(conn: Connection, articles: Iterable[Article]) -> list[Article]:
    """Insert the articles not already stored; return those that were new (ingest is idempotent).

    One query finds the stored ids and one statement inserts the rest (a statement per row cost ~50 us each).
    """
    rows: dict[str, tuple[Article, dict[str, Any]]] = {}
    for article in articles:
        row = article_row(article)
        rows.setdefault(row["id"], (article, row))
    stored = _stored_ids(conn, list(rows))
    todo = [(article, row) for article_id, (article, row) in rows.items() if article_id not in stored]
    if not todo:
        return []
    stamp = now_iso()
    for _, row in todo:
        row["ingested"] = stamp
    columns = list(todo[0][1])
    cursor = conn.executemany(
        f"INSERT OR IGNORE INTO articles ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})",
        [row for _, row in todo],
    )
    if cursor.rowcount == len(todo):
        return [article for article, _ in todo]
    inserted = _stored_ids(conn, [row["id"] for _, row in todo])  # a row broke a constraint and was skipped
    return [article for article, row in todo if row["id"] in inserted]


def _stored_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Which of these article ids are stored."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in conn.execute(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
    return found


def get_articles(conn: Connection, ids: Sequence[str]) -> list[Article]:
    """The stored articles with these ids, in the order given (unknown ids left out)."""
    found: dict[str, Article] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
            found[row["id"]] = article_from_row(row)
    return [found[i] for i in ids if i in found]


def placements(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[Relation | None, str | None]]:
    """The relation and copy_of of stored articles by id (folding reads these, not whole articles)."""
    found: dict[str, tuple[Relation | None, str | None]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT id, relation, copy_of FROM articles WHERE id IN ({marks})", chunk):
            found[row[0]] = (cast(Relation | None, row[1]), row[2])
    return found


def get_article(conn: Connection, article_id: str) -> Article | None:
    """One stored article, or None."""
    row = conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    return article_from_row(row) if row else None


def count_articles(conn: Connection) -> int:
    """How many articles are stored."""
    return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def article_stamp(conn: Connection, article_id: str) -> tuple[object, ...] | None:
    """What an article's page depends on in its own row (its text is its id; its place in its story, title, dates,
    highlights); None if unknown."""
    row = conn.execute(
        "SELECT id, story_id, relation, copy_of, title, kind, language, published, updated, highlights, "
        "machine_translated FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    return tuple(row) if row is not None else None
