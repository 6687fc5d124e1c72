"""Each page's content as one JSON-ready value: the HTML page renders it, its /api/ twin returns it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsfold.language.reader import ReaderTranslator
from newsfold.model import Article, Story
from newsfold.serialize import derived_title
from newsfold.store import languages as languages_db
from newsfold.store import pages as pages_db
from newsfold.store.base import Connection
from newsfold.store.term_counts import TermCounts
from newsfold.text.dates import iso, utc
from newsfold.web import precomputed, queries
from newsfold.web.differences import Comparison, comparison_json, comparisons
from newsfold.web.translated import (
    PageTranslation,
    article_titles,
    differing_rows,
    publisher_languages,
    story_cards,
    story_parts,
    timeline_events,
)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def story_view(
    conn: Connection, story_id: str, counts: TermCounts
) -> tuple[dict[str, Any], list[Article], list[Comparison]]:
    """A story in the contract shape, its full members and the comparisons between its copies."""
    story, members = queries.story_detail(conn, story_id)
    stored = pages_db.stored_parts(conn, story.id, members)
    found = precomputed.comparisons_from(stored.comparisons, members) if stored is not None else None
    page = story_page_view(story, members, related_cards(conn, story, stored, counts))
    return page, members, comparisons(members) if found is None else found


def story_page_view(story: Story, members: list[Article], related: list[dict[str, Any]]) -> dict[str, Any]:
    """The story page's value from the story, its members and the related stories' cards."""
    document = queries.story_document(story, members)
    publisher = [] if document["highlights"] else next((list(m.highlights) for m in members if m.highlights), [])
    return {
        "story": document,
        "publisher_highlights": publisher[:3],
        "related": related,
        "timeline": timeline(members),
    }


def related_cards(
    conn: Connection, story: Story, stored: pages_db.StoredPage | None, counts: TermCounts
) -> list[dict[str, Any]]:
    """The related stories' cards: stored ones while current, else summaries of the stored ids, else searched now."""
    if stored is None:
        return queries.related(conn, story, counts)
    if stored.related_cards is not None:
        return stored.related_cards
    return queries.related_summaries(conn, stored.related)


def related_view(conn: Connection, story_id: str, counts: TermCounts) -> dict[str, Any]:
    """A story's related stories (stored when current) and its timeline of articles, without its differences."""
    story, members = queries.story_detail(conn, story_id)
    stored = pages_db.stored_parts(conn, story.id, members)
    return {"story_id": story.id, "related": related_cards(conn, story, stored, counts), "timeline": timeline(members)}


def story_comparisons(conn: Connection, story: Story, members: list[Article]) -> list[Comparison]:
    """The comparisons between a story's copies: the stored ones when still current, else computed now."""
    stored = pages_db.stored_parts(conn, story.id, members)
    found = precomputed.comparisons_from(stored.comparisons, members) if stored is not None else None
    return comparisons(members) if found is None else found


def differences_view(conn: Connection, story_id: str) -> dict[str, Any]:
    """The comparisons between a story's copies."""
    story, members = queries.story_detail(conn, story_id)
    found = story_comparisons(conn, story, members)
    return {"story_id": story.id, "comparisons": [comparison_json(c) for c in found]}


def timeline(members: list[Article]) -> list[dict[str, Any]]:
    """The story's articles in publication order (undated ones last)."""
    # by instant (members keep their own offsets), undated last
    dated = sorted(members, key=lambda a: (a.published is None, utc(a.published) or _EPOCH, a.id))
    known = {a.id: a for a in members}
    out = []
    for a in dated:
        item: dict[str, Any] = {
            "time": iso(a.published),
            "article_id": a.id,
            "title": a.title,
            "source": {"name": a.source.name, "url": a.source.url or a.canonical_url},
            "relation": a.relation,
            "language": a.language,
        }
        derived = derived_title(a, known)
        if derived is not None:
            item["derived_title"] = derived
        out.append(item)
    return out


def in_language(
    conn: Connection, kind: str, data: dict[str, Any], translator: ReaderTranslator, target: str | None
) -> dict[str, Any]:
    """A page's value with its titles and highlights also in the reader's language (and a "reader" summary)."""
    if target is None:
        return data
    page = PageTranslation(translator, target)
    if kind in ("story", "story_document"):
        story = data["story"] if kind == "story" else data
        shown = {"id": story["id"], "articles": story["articles"], "publisher_highlights": []}
        if kind == "story":
            shown["publisher_highlights"] = data["publisher_highlights"]
        story_parts(page, story, None)
        page.texts(data, "publisher_highlights", publisher_languages(conn, [shown]).get(story["id"]))
        article_titles(page, story["articles"])
        timeline_events(page, story)
        article_titles(page, data.get("timeline") or [])
        story_cards(page, conn, data.get("related") or [])
        if data.get("differences"):
            languages = {a["id"]: a.get("language") for a in story["articles"]}
            differing_rows(page, data["differences"], languages)
    elif kind == "differences":
        differing_rows(page, data["comparisons"], article_languages(conn, data["comparisons"]))
    elif kind == "related":
        story_cards(page, conn, data["related"])
        article_titles(page, data["timeline"])
    data["reader"] = page.apply()
    return data


def article_languages(conn: Connection, found: list[dict[str, Any]]) -> dict[str, str | None]:
    """The language of each article the comparisons compare."""
    return languages_db.article_languages(conn, sorted({c[side] for c in found for side in ("a", "b")}))
