"""What of a story page is asked for in the reader's language beyond its cards: dated events and differing rows."""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.store import languages as languages_db
from newsfold.store.base import Connection
from newsfold.web.translated import PageTranslation, Shown


def timeline_events(page: PageTranslation, story: Shown) -> None:
    """Ask for the texts of a story's dated events, each in the language of the article it comes from."""
    languages = {a.get("id"): a.get("language") for a in story.get("articles") or []}
    for event in story.get("timeline") or []:
        page.title(event, "text", languages.get(event.get("article_id")))


def differing_rows(page: PageTranslation, found: Sequence[Shown], languages: dict[str, str | None]) -> None:
    """Ask for both sides of every differing row of the copy comparisons (rows the same in both left as they are)."""
    for comparison in found:
        for row in comparison["rows"]:
            if row["status"] == "same":
                continue
            page.title(row, "a", languages.get(comparison["a"]))
            page.title(row, "b", languages.get(comparison["b"]))


def compared_languages(conn: Connection, found: Sequence[Shown]) -> dict[str, str | None]:
    """The language of each article the comparisons compare."""
    return languages_db.article_languages(conn, sorted({c[side] for c in found for side in ("a", "b")}))
