"""What a reader's streams cost on a large store, against the anonymous latest listing of the same size.

Builds a store of synthetic stories (1-3 articles each, from --sources registered sources, their pages recorded as
the fetcher records them), --users users each following 3-30 sources (a few in categories), each having read a
third of their stories one by one, saved some, and marked one source all read; then times, per user, the reading
list's unread page, one feed's page, one category's page, the saved stream, the unread counts per subscription,
Fever's unread_item_ids, an edit-tag and a mark-all-as-read, all through the store's functions, and the anonymous
latest listing (store.listings, the anchor) the same number of times.

    PYTHONPATH=src python benchmarks/reading.py [--articles 100000] [--sources 60] [--users 100] [--rounds 3]

It prints a table of the median and p99 milliseconds per call and each one's ratio to the anchor's median.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from newsfold.model import Article, Origin, Paragraph, SourceRef  # noqa: E402
from newsfold.store import accounts, listings, reader_state, streams  # noqa: E402
from newsfold.store import articles as articles_db  # noqa: E402
from newsfold.store import sources as sources_db  # noqa: E402
from newsfold.store import stories as stories_db  # noqa: E402
from newsfold.store import subscriptions as subs_db  # noqa: E402
from newsfold.store.base import Connection  # noqa: E402
from newsfold.store.db import Database  # noqa: E402
from newsfold.store.streams import StreamQuery  # noqa: E402

WORDS = ["rain", "port", "council", "vote", "bridge", "market", "strike", "court", "fire", "river", "school", "talks"]


def build(db: Database, n_articles: int, n_sources: int, rng: random.Random) -> list[int]:
    """The stories and their sources; the source ids."""
    start = datetime(2026, 9, 1, tzinfo=UTC)
    with db.write() as conn:
        source_ids = [
            sources_db.insert_source(conn, f"https://s{i}.example/feed", f"Source {i}", "feed", "en", None, 1800)
            for i in range(n_sources)
        ]
    made = 0
    batch = 2000
    while made < n_articles:
        with db.write() as conn:
            for _ in range(min(batch, n_articles - made)):
                size = rng.choice((1, 1, 1, 2, 3))
                title = " ".join(rng.choices(WORDS, k=6)) + f" {made}"
                members: list[tuple[Article, int]] = []
                for k in range(size):
                    source = rng.choice(source_ids)
                    url = f"https://s{source}.example/news/{made}-{k}"
                    text = f"{title}. " + " ".join(rng.choices(WORDS, k=40))
                    members.append(
                        (
                            Article(
                                origin=Origin(url),
                                title=title,
                                paragraphs=[Paragraph(text)],
                                source=SourceRef(f"Source {source}", url),
                                language="en",
                                published=start + timedelta(minutes=made),
                            ),
                            source,
                        )
                    )
                articles_db.insert_articles(conn, [a for a, _ in members])
                story = members[0][0].id
                stories_db.create_story(conn, story, title)
                for article, source in members:
                    stories_db.set_member(conn, article.id, story, "report")
                    sources_db.mark_seen(conn, source, [article.origin.location])
                stories_db.refresh_story(conn, story)
                made += size
    return source_ids


def add_users(db: Database, n_users: int, source_ids: list[int], rng: random.Random) -> list[int]:
    """Users with subscriptions, read and saved stories and a watermark on one source."""
    now = datetime.now(UTC)
    users = []
    for u in range(n_users):
        with db.write() as conn:
            user = accounts.add_user(conn, f"user{u}", None, now=now.isoformat()).id
            users.append(user)
            followed = rng.sample(source_ids, rng.randint(3, min(30, len(source_ids))))
            for i, source in enumerate(followed):
                subs_db.subscribe(conn, user, source, now, category=("News" if i % 3 == 0 else None))
            page = streams.stream(conn, StreamQuery(user_id=user, limit=3000))
            ids = [i.story_id for i in page]
            reader_state.set_read(conn, user, ids[::3], True, now)
            reader_state.set_saved(conn, user, ids[::50], True, now)
            reader_state.mark_all_read(conn, user, now - timedelta(days=20), [followed[0]], now)
    return users


def timed(calls: list[Callable[[], object]], rounds: int) -> list[float]:
    """Milliseconds of each call, every round."""
    out = []
    for _ in range(rounds):
        for call in calls:
            started = time.perf_counter()
            call()
            out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    """Build, time, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=60)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep the store here (default: a temporary folder)")
    args = parser.parse_args()
    rng = random.Random(7)
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "reading.db"
    db = Database(path)
    started = time.perf_counter()
    source_ids = build(db, args.articles, args.sources, rng)
    built = time.perf_counter() - started
    users = add_users(db, args.users, source_ids, rng)
    took = time.perf_counter() - started - built
    print(f"built {args.articles} articles in {built:.0f} s, {len(users)} users in {took:.0f} s")
    with db.read() as conn:
        subs = {u: subs_db.subscriptions(conn, u) for u in users}
        fifth = {u: _fifth(conn, u) for u in users}

    def on(work: Callable[[Connection], object]) -> Callable[[], object]:
        """A call on a read connection."""

        def call() -> object:
            """Run it."""
            with db.read() as conn:
                return work(conn)

        return call

    def changing(work: Callable[[Connection], object]) -> Callable[[], object]:
        """A call in a write transaction."""

        def call() -> object:
            """Run it."""
            with db.write() as conn:
                return work(conn)

        return call

    kinds: dict[str, list[Callable[[], object]]] = {
        "anchor: latest 20 (anonymous)": [on(lambda c: listings.latest_stories(c, "news", 20)) for _ in users],
        "reading list, unread 20": [
            on(lambda c, u=u: streams.stream(c, StreamQuery(u, state="unread"))) for u in users
        ],
        "reading list, all 20, page 5": [
            on(lambda c, u=u: streams.stream(c, StreamQuery(u, after=fifth[u]))) for u in users
        ],
        "one feed, unread 20": [
            on(lambda c, u=u: streams.stream(c, StreamQuery(u, source_id=subs[u][-1].source_id, state="unread")))
            for u in users
        ],
        "one category, unread 20": [
            on(lambda c, u=u: streams.stream(c, StreamQuery(u, category="News", state="unread"))) for u in users
        ],
        "saved 20": [on(lambda c, u=u: streams.stream(c, StreamQuery(u, scope="saved"))) for u in users],
        "unread counts per subscription": [on(lambda c, u=u: streams.unread_counts(c, u)) for u in users],
        "unread item ids (Fever, all)": [
            on(lambda c, u=u: streams.item_numbers(c, StreamQuery(u, state="unread", limit=50_000))) for u in users
        ],
        "edit-tag: mark 10 read": [
            changing(lambda c, u=u: reader_state.set_read(c, u, _some(c, u), True, datetime.now(UTC))) for u in users
        ],
        "mark all as read (all)": [
            changing(lambda c, u=u: reader_state.mark_all_read(c, u, datetime.now(UTC), None, datetime.now(UTC)))
            for u in users
        ],
    }
    anchor = statistics.median(timed(kinds["anchor: latest 20 (anonymous)"], args.rounds))
    print(f"\n| call ({args.articles:,} articles, {len(users)} users) | median ms | p99 ms | x anchor |")
    print("|---|---:|---:|---:|")
    for name, calls in kinds.items():
        times = sorted(timed(calls, args.rounds if "mark all" not in name else 1))
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        median = statistics.median(times)
        print(f"| {name} | {median:.2f} | {p99:.2f} | {median / anchor:.1f} |")
    db.close()
    folder.cleanup()


def _fifth(conn: Connection, user: int) -> int | None:
    """The continuation to a user's fifth page of 20."""
    page = streams.item_numbers(conn, StreamQuery(user, limit=80))
    return page[-1] if page else None


def _some(conn: Connection, user: int) -> list[str]:
    """Ten stories of a user's reading list."""
    return [i.story_id for i in streams.stream(conn, StreamQuery(user, limit=10))]


if __name__ == "__main__":
    main()
