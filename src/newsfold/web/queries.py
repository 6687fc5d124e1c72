"""What the site shows, read from the store: one function per page, returning JSON-ready values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from newsfold.errors import NotFoundError
from newsfold.model import Article, Story
from newsfold.plausible import plausible
from newsfold.serialize import story_json
from newsfold.store import articles as articles_db
from newsfold.store import calendar
from newsfold.store import listings as listings_db
from newsfold.store import search as search_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Connection
from newsfold.store.enrichment import add_enrichments
from newsfold.store.listings import ListedArticle, ListedKind, StoryPosition
from newsfold.text.dates import utc
from newsfold.web.cursor import decode_cursor, encode_cursor, next_offset
from newsfold.web.errors import BadRequestError

TRENDS_SPAN = timedelta(hours=24)


@dataclass(slots=True)
class Listing:
    """One page of a listing and the cursor of the next page (None at the end)."""

    items: list[dict[str, Any]]
    next: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def article_summary(article: ListedArticle) -> dict[str, Any]:
    """A listing's view of one article: id, title, kind, language, time, outlet and story."""
    return {
        "id": article.id,
        "title": article.title,
        "kind": article.kind,
        "language": article.language,
        "published": article.published,
        "source": {"name": article.source_name, "url": article.source_url or article.canonical_url},
        "story_id": article.story_id,
        "relation": article.relation,
    }


def story_summaries(conn: Connection, stories: Sequence[Story]) -> list[dict[str, Any]]:
    """Stories (read without members) in the contract's story shape, members read in one query."""
    found = listings_db.listed_members(conn, stories)
    add_enrichments(conn, stories)
    out = []
    for story in stories:
        data = story_json(story, found)
        # the contract's highlights are the story's own; the publishers' are shown when it has none
        data["publisher_highlights"] = [] if data["highlights"] else _member_highlights(story, found)
        out.append(data)
    return out


def _member_highlights(story: Story, articles: dict[str, Article]) -> list[str]:
    """The publishers' own highlights of the story's first member that has any."""
    for member in story.members:
        article = articles.get(member.article_id)
        if article is not None and article.highlights:
            return list(article.highlights)[:3]
    return []


def latest(conn: Connection, limit: int, cursor: str | None, kind: ListedKind = "news") -> Listing:
    """Live stories of a kind (news or press releases) by last update (newest first), then the undated ones."""
    position = decode_cursor(cursor, (str, str, str)) if cursor else None
    if position is not None and position[0] not in ("u", "n"):
        raise BadRequestError("cursor is not one this site made")
    after = None
    if position is not None:
        after = StoryPosition(position[1] if position[0] == "u" else None, position[2])
    stories, last = listings_db.latest_stories(conn, kind, limit, after)
    next_cursor = None
    if len(stories) == limit and last is not None:
        dated = last.last_updated is not None
        next_cursor = encode_cursor("u" if dated else "n", last.last_updated or "", last.id)
    return Listing(story_summaries(conn, stories), next_cursor)


def article_stamp(conn: Connection, article_id: str) -> tuple[object, ...] | None:
    """What an article page depends on: the article's row and its story's (None: no such article)."""
    own = articles_db.article_stamp(conn, article_id)
    if own is None:
        return None
    story_id = own[1]
    return (own, stories_db.story_stamp(conn, str(story_id)) if story_id else None)


def article_detail(conn: Connection, article_id: str) -> Article:
    """One stored article; NotFoundError if unknown."""
    article = articles_db.get_article(conn, article_id)
    if article is None:
        raise NotFoundError(f"article {article_id}: no such article")
    return article


@dataclass(slots=True, frozen=True)
class Window:
    """The 24 hours the trends cover, and whether they end now (else at the newest article, none being newer)."""

    start: datetime
    end: datetime
    recent: bool


def trending_window(conn: Connection, now: datetime | None = None) -> Window:
    """The 24 hours the trends cover: up to now, or up to the newest news article when nothing is that recent."""
    end = now or datetime.now(UTC)
    # a 0001-01-01 article (stored before dates were checked) would overflow the window arithmetic
    newest = plausible(calendar.newest_published(conn, end, kind="article"), now=end, what="newest publication date")
    if newest is not None and newest < end - TRENDS_SPAN:
        end = newest + timedelta(seconds=1)
        return Window(end - TRENDS_SPAN, end, recent=False)
    return Window(end - TRENDS_SPAN, end, recent=True)


def _z(value: datetime) -> str:
    """A UTC time as ISO-8601 without offset, comparable with stored times ('Z' and naive both sort after it)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def trending(conn: Connection, limit: int, offset: int, now: datetime | None = None) -> Listing:
    """News stories by what is new and growing in the window: outlets and languages reporting them, new ones first.

    Each story with a news article in the window scores the outlets that published it then, plus the languages
    beyond the first, plus one when the story itself began in the window; ties go to more articles, then the
    latest. Single-source stories are listed too (they score least), press releases never.
    """
    window = trending_window(conn, now)
    scored = []
    for row in listings_db.story_activity(conn, window.start, window.end):
        first = utc(row.first_published)
        new = first is not None and window.start <= first < window.end
        score = row.sources + max(row.languages - 1, 0) + (1 if new else 0)
        scored.append((-score, -row.articles, -(row.latest or 0.0), row.story_id, new, row))
    scored.sort(key=lambda item: item[:4])
    page = scored[offset : offset + limit]
    ids = [item[3] for item in page]
    growth = {item[3]: item for item in page}
    items = []
    for data in story_summaries(conn, listings_db.stories_by_id(conn, ids)):
        negative_score, _, _, _, new, row = growth[data["id"]]
        items.append(
            {
                "story": data,
                "score": -negative_score,
                "new": new,
                "articles_24h": row.articles,
                "sources_24h": row.sources,
                "languages_24h": row.languages,
            }
        )
    extra = {"since": _z(window.start), "until": _z(window.end), "recent": window.recent, "total": len(scored)}
    return Listing(items, next_offset(offset, limit, len(page)), extra)


def day(conn: Connection, when: date, limit: int, offset: int) -> Listing:
    """News stories with a news article published on a UTC day, latest update first; the neighbouring days."""
    start, end = calendar.day_range(when)
    stories = listings_db.stories_published_between(conn, start, end, limit, offset)
    before, after = calendar.neighbour_days(conn, when)
    extra = {"previous": before, "next": after}
    return Listing(story_summaries(conn, stories), next_offset(offset, limit, len(stories)), extra)


def source(conn: Connection, name: str, limit: int, cursor: str | None) -> Listing:
    """One outlet: counts, languages and its latest items (newest first); NotFoundError if it has no articles."""
    articles, stories = listings_db.outlet_counts(conn, name)
    if not articles:
        raise NotFoundError(f"source {name[:80]}: no articles from it")
    languages = listings_db.outlet_languages(conn, name)
    position = decode_cursor(cursor, (str, str)) if cursor else None
    found = listings_db.outlet_articles(conn, name, limit, (position[0], position[1]) if position else None)
    next_cursor = None
    if len(found) == limit:
        next_cursor = encode_cursor(found[-1].published or "", found[-1].id)
    extra = {"name": name, "articles": articles, "stories": stories, "languages": languages}
    return Listing([article_summary(a) for a in found], next_cursor, extra)


def search(conn: Connection, query: str, *, limit: int, offset: int, filters: search_db.SearchFilters) -> Listing:
    """Articles matching every word of query, best first, with their snippets (matches between [[ and ]])."""
    hits = search_db.search(conn, query, limit=limit, offset=offset, filters=filters)
    items = [
        {
            "id": hit.article_id,
            "story_id": hit.story_id,
            "title": hit.title,
            "snippet": hit.snippet,
            "language": hit.language,
            "source": {"name": hit.source_name},
            "published": hit.published,
        }
        for hit in hits
    ]
    return Listing(items, next_offset(offset, limit, len(hits)))


def languages_and_sources(conn: Connection) -> tuple[list[str], list[str]]:
    """The languages and the outlets present, for the search form's filters."""
    return listings_db.languages_present(conn), listings_db.outlet_names(conn)
