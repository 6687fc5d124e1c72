"""What the reading APIs and pages share: a story as a reader's item (its sources listed, its text), item numbers
checked and led to live stories, subscribing by URL through the one source registry, token users."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import nh3

from newsfold.accounts.tokens import token_digest
from newsfold.errors import InputError, NotFoundError
from newsfold.ingest import registry
from newsfold.model import Article, Story
from newsfold.store import accounts, reader_state
from newsfold.store import articles as articles_db
from newsfold.store import stories as stories_db
from newsfold.store import subscriptions as subs_db
from newsfold.store.base import Connection
from newsfold.store.subscriptions import Subscription
from newsfold.web.errors import BadRequestError
from newsfold.web.site import outlet
from newsfold.web.text import paragraphs_html, safe_url

_CONTENT_TAGS = {"p", "h2", "h3", "blockquote", "figure", "figcaption", "ul", "li", "a", "small"}
_CONTENT_ATTRIBUTES = {"a": {"href"}, "p": {"class"}}
# the most item ids one request may name
MAX_ITEMS = 10_000
MAX_TEXT = 300


@dataclass(slots=True, frozen=True)
class ItemContent:
    """A story as a reader's item shows it: the original's address, an author, and sanitised HTML."""

    title: str
    url: str | None
    author: str | None
    html: str


def member_url(article: Article) -> str | None:
    """The address a reader follows to a member (its canonical URL, else its source URL), if safe."""
    return safe_url(article.canonical_url) or safe_url(article.source.url)


def item_content(conn: Connection, story_id: str, base_url: str) -> ItemContent | None:
    """A live story as an item: its sources listed with links and relations, a link to its page, the folded text
    (its first member's paragraphs); None when the story is gone."""
    story = stories_db.get_story(conn, story_id)
    if story is None or not story.members:
        return None
    members = articles_db.get_articles(conn, [m.article_id for m in story.members])
    return content_of(story, members, base_url)


def content_of(story: Story, members: Sequence[Article], base_url: str) -> ItemContent:
    """A story and its members (in relation order) as an item."""
    relations = {m.article_id: m.relation for m in story.members}
    items = []
    for article in members:
        name = html.escape(outlet({"name": article.source.name, "url": article.source.url}))
        url = member_url(article)
        label = f'<a href="{html.escape(url)}">{name}</a>' if url else name
        extra = ", ".join(x for x in (relations.get(article.id, "report"), article.language or "") if x)
        items.append(f"<li>{label} <small>({html.escape(extra)})</small></li>")
    count = len({a.source.name or a.source.url or a.id for a in members})
    page = f"{base_url}/stories/{story.id}"
    head = (
        f"<p>{count} source{'s' if count != 1 else ''}:</p><ul>{''.join(items)}</ul>"
        f'<p><a href="{html.escape(page)}">The whole story on newsfold</a></p>'
    )
    body = str(paragraphs_html(members[0].paragraphs)) if members else ""
    clean = nh3.clean(
        head + body,
        tags=_CONTENT_TAGS,
        attributes=_CONTENT_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener noreferrer",
    )
    first = members[0] if members else None
    original = safe_url(story.original.url) if story.original else None
    author = ", ".join(first.authors) if first and first.authors else (first.source.name if first else None)
    return ItemContent(
        title=story.title, url=original or (member_url(first) if first else None), author=author, html=clean
    )


def live_stories(conn: Connection, items: Iterable[int]) -> dict[int, str]:
    """The live story of each item number; NotFoundError naming the first unknown one (nothing is half done)."""
    out: dict[int, str] = {}
    for item in items:
        numbered = reader_state.item_story(conn, item)
        live = stories_db.resolve_story_id(conn, numbered) if numbered else None
        if live is None:
            raise NotFoundError(f"item {item}: no such item")
        out[item] = live
    return out


def token_user(conn: Connection, kind: str, token: str) -> accounts.User | None:
    """The user an API token of a kind ('greader', 'fever') belongs to, or None."""
    if not token:
        return None
    return accounts.user_for_token(conn, kind, token_digest(token), now=datetime.now(UTC).isoformat())


def fever_key(name: str, password: str) -> str:
    """A user's Fever api_key: md5 of "name:password", as Fever clients compute it."""
    return hashlib.md5(f"{name}:{password}".encode(), usedforsecurity=False).hexdigest()


def enable_fever(conn: Connection, user: accounts.User, password: str) -> None:
    """Let Fever clients in with the user's name and this (already checked) password; the key is kept as a digest."""
    accounts.remove_tokens(conn, user.id, "fever")
    digest = token_digest(fever_key(user.name, password))
    accounts.add_token(conn, user.id, "fever", digest, now=datetime.now(UTC).isoformat(), expires=None)


def plain(value: str | None, name: str, limit: int = MAX_TEXT) -> str | None:
    """A short text parameter stripped (None when empty); BadRequestError when too long or holding control
    characters."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise BadRequestError(f"{name}: longer than {limit} characters")
    if any(ord(c) < 32 for c in value):
        raise BadRequestError(f"{name}: holds control characters")
    return value or None


def subscribe_url(
    conn: Connection, user_id: int, url: str, *, title: str | None, category: str | None
) -> tuple[Subscription, bool]:
    """Follow the source at a URL, registering it (the registry's URL checks) when it is new; the subscription and
    whether it is newly followed. BadRequestError for a URL the fetcher would refuse."""
    try:
        source, _ = registry.add_source(conn, url)
    except InputError as exc:
        raise BadRequestError(str(exc)) from exc
    new = subs_db.subscribe(conn, user_id, source.id, datetime.now(UTC), title=title, category=category)
    found = subs_db.subscription(conn, user_id, source.id)
    assert found is not None
    return found, new


def followed(conn: Connection, user_id: int, source_id: int) -> Subscription:
    """A user's subscription to a source; NotFoundError when they do not follow it."""
    found = subs_db.subscription(conn, user_id, source_id)
    if found is None:
        raise NotFoundError(f"feed {source_id}: not one of your subscriptions")
    return found
