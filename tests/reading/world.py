"""A small world for the reading tests: two registered sources, stories read from their pages, two users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsfold.accounts.passwords import hash_password
from newsfold.model import Article, Origin, Paragraph, SourceRef
from newsfold.store import accounts
from newsfold.store import articles as articles_db
from newsfold.store import sources as sources_db
from newsfold.store import stories as stories_db
from newsfold.store.base import Backend, Connection

PASSWORDS = {"alice": "alice-secret-1", "bob": "bob-secret-22"}
BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@dataclass(slots=True)
class World:
    """What the tests know about the world's database."""

    db: Backend
    users: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    stories: list[str] = field(default_factory=list)


def page(source_url: str, n: int, title: str, language: str = "en", published: datetime | None = None) -> Article:
    """An article read from a source's nth page."""
    host = source_url.split("/")[2]
    return Article(
        origin=Origin(f"https://{host}/news/{n}"),
        title=title,
        paragraphs=[Paragraph(f"{title}. The body of story {n} from {host}, long enough to read.")],
        source=SourceRef(host, f"https://{host}/news/{n}"),
        language=language,
        published=published or BASE + timedelta(hours=n),
    )


def add_story(conn: Connection, source_id: int, article: Article) -> str:
    """Store an article as a story of its own, read from a registered source's page."""
    articles_db.insert_articles(conn, [article])
    story_id = article.id
    stories_db.create_story(conn, story_id, article.title or "")
    stories_db.set_member(conn, article.id, story_id, "original")
    stories_db.refresh_story(conn, story_id)
    sources_db.mark_seen(conn, source_id, [article.origin.location])
    return story_id


def add_member(conn: Connection, story_id: str, source_id: int, article: Article) -> None:
    """Add an article (from another source) to a story."""
    articles_db.insert_articles(conn, [article])
    stories_db.set_member(conn, article.id, story_id, "report")
    stories_db.refresh_story(conn, story_id)
    sources_db.mark_seen(conn, source_id, [article.origin.location])


def build_world(db: Backend, stories_per_source: int = 3) -> World:
    """Two sources (alpha: English, beta: French), stories_per_source stories each (alternating), alice and bob."""
    world = World(db)
    now = datetime.now(UTC)
    with db.write() as conn:
        for name, password in PASSWORDS.items():
            world.users[name] = accounts.add_user(conn, name, hash_password(password), now=now.isoformat()).id
        world.sources["alpha"] = sources_db.insert_source(
            conn, "https://alpha.example/feed.xml", "Alpha News", "feed", "en", "World", 1800
        )
        world.sources["beta"] = sources_db.insert_source(
            conn, "https://beta.example/rss", "Beta Journal", "feed", "fr", None, 1800
        )
    for n in range(stories_per_source):
        for name, language in (("alpha", "en"), ("beta", "fr")):
            with db.write() as conn:
                url = "https://alpha.example/feed.xml" if name == "alpha" else "https://beta.example/rss"
                title = f"{name.title()} story {n}" if language == "en" else f"Histoire {name} {n}"
                world.stories.append(add_story(conn, world.sources[name], page(url, n, title, language)))
    return world
