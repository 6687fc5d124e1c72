"""Per-user state on stories: read, saved, hidden, watermarks, merges, new sources, subscriptions and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsfold.store import accounts, reader_state, streams
from newsfold.store import stories as stories_db
from newsfold.store import subscriptions as subs_db
from newsfold.store.streams import StreamQuery
from tests.reading.world import World, add_member, add_story, page

pytestmark = pytest.mark.both_backends


def listed(world: World, user: str, **query: object) -> list[str]:
    """The story ids of a user's stream."""
    with world.db.read() as conn:
        items = streams.stream(conn, StreamQuery(user_id=world.users[user], **query))  # type: ignore[arg-type]
    return [i.story_id for i in items]


def follow(world: World, user: str, *sources: str, category: str | None = None) -> None:
    """Subscribe a user to sources."""
    with world.db.write() as conn:
        for name in sources:
            subs_db.subscribe(conn, world.users[user], world.sources[name], datetime.now(UTC), category=category)


def test_items_numbered_in_creation_order_and_stable(world: World) -> None:
    with world.db.read() as conn:
        items = reader_state.story_items(conn, world.stories)
    numbers = [items[s] for s in world.stories]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    with world.db.read() as conn:
        assert reader_state.item_story(conn, numbers[0]) == world.stories[0]
        assert reader_state.item_story(conn, 10**9) is None


def test_reading_list_is_the_subscriptions_newest_first(world: World) -> None:
    assert listed(world, "alice") == []
    follow(world, "alice", "alpha")
    alpha = world.stories[0::2]
    assert listed(world, "alice") == alpha[::-1]
    assert listed(world, "alice", oldest_first=True) == alpha
    assert listed(world, "bob") == []
    assert listed(world, "bob", scope="everything") == world.stories[::-1]


def test_read_unread_per_user(world: World) -> None:
    follow(world, "alice", "alpha", "beta")
    follow(world, "bob", "alpha", "beta")
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.set_read(conn, world.users["alice"], world.stories[:2], True, now)
    assert listed(world, "alice", state="unread") == world.stories[2:][::-1]
    assert listed(world, "alice", state="read") == world.stories[:2][::-1]
    assert listed(world, "bob", state="unread") == world.stories[::-1]
    with world.db.write() as conn:
        reader_state.set_read(conn, world.users["alice"], [world.stories[0]], False, now)
    assert world.stories[0] in listed(world, "alice", state="unread")


def test_saved_and_hidden(world: World) -> None:
    follow(world, "alice", "alpha", "beta")
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.set_saved(conn, world.users["alice"], [world.stories[1]], True, now)
        reader_state.set_hidden(conn, world.users["alice"], [world.stories[2]], True, now)
    assert listed(world, "alice", scope="saved") == [world.stories[1]]
    assert listed(world, "bob", scope="saved") == []
    assert world.stories[2] not in listed(world, "alice")
    assert listed(world, "alice", hidden=True) == [world.stories[2]]
    assert world.stories[2] in listed(world, "bob", scope="everything")
    with world.db.write() as conn:
        reader_state.set_saved(conn, world.users["alice"], [world.stories[1]], False, now)
    assert listed(world, "alice", scope="saved") == []


def test_mark_all_read_up_to_a_time_and_per_source(world: World) -> None:
    follow(world, "alice", "alpha", "beta")
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.mark_all_read(conn, world.users["alice"], now, [world.sources["alpha"]], now)
    assert listed(world, "alice", state="unread") == world.stories[1::2][::-1]
    with world.db.write() as conn:  # a watermark before every story changes nothing
        reader_state.mark_all_read(conn, world.users["alice"], now - timedelta(days=1), None, now)
    assert listed(world, "alice", state="unread") == world.stories[1::2][::-1]
    with world.db.write() as conn:
        reader_state.set_read(conn, world.users["alice"], [world.stories[0]], False, now)
    assert world.stories[0] in listed(world, "alice", state="unread")
    later = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.mark_all_read(conn, world.users["alice"], later, None, later)
    assert listed(world, "alice", state="unread") == []
    with world.db.write() as conn:  # a story created after the watermark is unread
        new = add_story(conn, world.sources["beta"], page("https://beta.example/rss", 99, "Histoire nouvelle", "fr"))
    assert listed(world, "alice", state="unread") == [new]
    assert new in listed(world, "bob", scope="everything", state="unread")


def test_merged_story_keeps_state_on_the_live_one(world: World) -> None:
    keep, old = world.stories[0], world.stories[1]
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.set_saved(conn, world.users["alice"], [old], True, now)
        reader_state.set_read(conn, world.users["bob"], [old], True, now)
        reader_state.set_read(conn, world.users["alice"], [keep], False, now)
        item = reader_state.story_items(conn, [old])[old]
        stories_db.merge_stories(conn, keep, [old])
        stories_db.refresh_story(conn, keep)
    with world.db.read() as conn:
        alice = reader_state.states(conn, world.users["alice"], [keep])[keep]
        bob = reader_state.states(conn, world.users["bob"], [keep])[keep]
        assert stories_db.resolve_story_id(conn, reader_state.item_story(conn, item) or "") == keep
    assert alice.saved is not None and not alice.read
    assert bob.read


def test_new_sources_make_it_unread_only_when_chosen(world: World) -> None:
    follow(world, "alice", "alpha")
    follow(world, "bob", "alpha")
    story = world.stories[0]
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.set_read(conn, world.users["alice"], [story], True, now)
        reader_state.set_read(conn, world.users["bob"], [story], True, now)
        reader_state.set_unread_on_new_sources(conn, world.users["alice"], True)
        add_member(conn, story, world.sources["beta"], page("https://beta.example/rss", 50, "Histoire reprise", "fr"))
    assert story in listed(world, "alice", state="unread")
    assert story not in listed(world, "bob", state="unread")


def test_watermark_read_story_comes_back_with_a_new_source_when_chosen(world: World) -> None:
    follow(world, "alice", "alpha")
    story = world.stories[0]
    now = datetime.now(UTC)
    with world.db.write() as conn:
        reader_state.set_unread_on_new_sources(conn, world.users["alice"], True)
        reader_state.mark_all_read(conn, world.users["alice"], now, None, now)
    assert listed(world, "alice", state="unread") == []
    with world.db.write() as conn:
        add_member(conn, story, world.sources["beta"], page("https://beta.example/rss", 51, "Histoire encore", "fr"))
    assert listed(world, "alice", state="unread") == [story]


def test_categories_and_one_feed(world: World) -> None:
    follow(world, "alice", "alpha", category="World")
    follow(world, "alice", "beta", category="France")
    assert listed(world, "alice", category="France") == world.stories[1::2][::-1]
    assert listed(world, "alice", source_id=world.sources["alpha"]) == world.stories[0::2][::-1]
    with world.db.read() as conn:
        assert subs_db.categories(conn, world.users["alice"]) == ["France", "World"]
        assert subs_db.categories(conn, world.users["bob"]) == []
        counts = streams.unread_counts(conn, world.users["alice"])
    assert counts == {world.sources["alpha"]: 3, world.sources["beta"]: 3}


def test_filters(world: World) -> None:
    follow(world, "alice", "alpha", "beta")
    with world.db.write() as conn:
        subs_db.add_filter(conn, world.users["alice"], "keyword", "STORY 1")
    assert world.stories[2] not in listed(world, "alice")
    assert len(listed(world, "alice")) == 5
    with world.db.write() as conn:
        subs_db.add_filter(conn, world.users["alice"], "language", "fr")
    assert listed(world, "alice") == world.stories[1::2][::-1]
    assert len(listed(world, "bob", scope="everything")) == 6
    with world.db.write() as conn:
        subs_db.add_filter(conn, world.users["alice"], "keyword", "100%_")  # LIKE's wildcards are plain text
    assert listed(world, "alice") == world.stories[1::2][::-1]


def test_unsubscribed_source_removed_with_its_registration(world: World) -> None:
    follow(world, "alice", "alpha")
    with world.db.write() as conn:
        conn.execute("DELETE FROM sources WHERE id = ?", (world.sources["alpha"],))
        assert subs_db.subscriptions(conn, world.users["alice"]) == []


def test_a_removed_user_leaves_no_reading_state(world: World) -> None:
    follow(world, "alice", "alpha")
    now = datetime.now(UTC)
    with world.db.write() as conn:
        user = world.users["alice"]
        reader_state.set_saved(conn, user, world.stories[:2], True, now)
        reader_state.mark_all_read(conn, user, now, None, now)
        subs_db.add_filter(conn, user, "keyword", "storm")
        reader_state.set_unread_on_new_sources(conn, user, True)
        assert accounts.remove_user(conn, "alice")
        for table in ("reader_state", "reader_marks", "reader_subscriptions", "reader_filters", "reader_prefs"):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", (user,)).fetchone()[0] == 0


def test_short_and_long_pages_list_the_same_subscribed_stories(world: World) -> None:
    """A page shorter than SET_FROM walks stories with a subquery each, a longer one builds the subscriptions' set:
    the same stories either way (one category's, one feed's, unread)."""
    follow(world, "alice", "alpha", category="World")
    follow(world, "alice", "beta")
    with world.db.write() as conn:
        reader_state.set_read(conn, world.users["alice"], world.stories[:2], True, datetime.now(UTC))
    user = world.users["alice"]
    for query in (
        {},
        {"state": "unread"},
        {"category": "World"},
        {"source_id": world.sources["beta"], "state": "unread"},
    ):
        with world.db.read() as conn:
            short = streams.item_numbers(conn, StreamQuery(user_id=user, limit=streams.SET_FROM - 1, **query))  # type: ignore[arg-type]
            long = streams.item_numbers(conn, StreamQuery(user_id=user, limit=streams.SET_FROM, **query))  # type: ignore[arg-type]
        assert short and short == long, query
