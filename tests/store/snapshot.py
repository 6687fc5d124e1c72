"""What a store holds, derived rows included, in a form two stores can be compared by (the kill and repair
tests compare a store with a clean run's)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from newsfold.store.db import Database
from tests.ingest.helpers import article_html


def snapshot(path: str) -> dict[str, Any]:
    """Articles, stories (by members), highlights, entity mentions, events, stored pages, fold documents, pending
    hooks and input keys of the store at path."""
    db = Database(path)
    try:
        with db.read() as conn:
            members: dict[str, set[str]] = {}
            for article_id, story_id in conn.execute("SELECT id, story_id FROM articles"):
                members.setdefault(story_id or "", set()).add(article_id)
            live = {r[0]: r[1] for r in conn.execute("SELECT id, highlights FROM stories WHERE size > 0")}
            return {
                "articles": {r[0] for r in conn.execute("SELECT id FROM articles")},
                "stories": {story_id: frozenset(ids) for story_id, ids in members.items()},
                "live stories": set(live),
                "highlights": live,
                "relations": {tuple(r) for r in conn.execute("SELECT id, relation, copy_of FROM articles")},
                "entities": {
                    tuple(r)
                    for r in conn.execute(
                        "SELECT e.name, e.kind, m.article_id, m.story_id, m.mentions FROM entity_mentions m "
                        "JOIN entities e ON e.id = m.entity_id"
                    )
                },
                "events": {
                    tuple(r)
                    for r in conn.execute("SELECT story_id, article_id, seq, date, text, in_timeline FROM events")
                },
                "pages": {
                    r[0]
                    for r in conn.execute(
                        "SELECT story_id FROM story_pages WHERE html IS NOT NULL AND document IS NOT NULL"
                    )
                },
                "fold docs": {r[0] for r in conn.execute("SELECT article_id FROM fold_docs")},
                "pending": {r[0] for r in conn.execute("SELECT story_id FROM pending_hooks")},
            }
    finally:
        db.close()


def differences(got: dict[str, Any], want: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Per part, (rows missing from got, rows got has beyond want); only the parts that differ."""
    out = {}
    for key, expected in want.items():
        have = got[key]
        if isinstance(expected, dict):
            missing = sum(1 for k, v in expected.items() if have.get(k) != v)
            extra = sum(1 for k in have if k not in expected)
        else:
            missing, extra = len(expected - have), len(have - expected)
        if missing or extra:
            out[key] = (missing, extra)
    return out


PEOPLE = ["Anna Kowalski", "Omar Haddad", "Liu Wei", "Maria Santos", "John Okafor", "Priya Raman", "Lars Nilsson"]
PLACES = ["Gdansk", "Beirut", "Lagos", "Lisbon", "Chennai", "Oslo", "Valparaiso"]
MONTHS = ["January", "March", "May", "July", "September", "November"]


def news_pages(folder: Path, count: int, copies: int = 2) -> list[Path]:
    """count saved news pages naming people, places and dates (so enrichment has entities and events), every
    third one with copies on other sites; deterministic."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        person, place = PEOPLE[i % len(PEOPLE)], PLACES[(i * 3) % len(PLACES)]
        month = MONTHS[i % len(MONTHS)]
        extra = [
            f"{person} said in {place} on {1 + i % 27} {month} 2026 that the talks would go on.",
            f"The meeting in {place} was first planned for {month} 2025, according to {person}.",
        ]
        html = article_html(f"{person} in {place}: story {i}", seed=100 + i, url=f"https://site{i % 5}.example/n/{i}")
        html = html.replace("<article><h1>", "<article><h1>", 1).replace(
            "</article>", "".join(f"<p>{escape(p)}</p>" for p in extra) + "</article>"
        )
        path = folder / f"page{i:03d}.html"
        path.write_text(html)
        out.append(path)
        if i % 3 == 0:
            for c in range(copies - 1):
                copy = folder / f"page{i:03d}_copy{c}.html"
                copy.write_text(html.replace(f"https://site{i % 5}.example/n/{i}", f"https://copy{c}.example/s/{i}"))
                out.append(copy)
    return out
