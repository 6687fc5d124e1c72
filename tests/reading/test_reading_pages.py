"""The reader's pages: unread/saved/hidden views with their buttons, a story's page, subscriptions, filters, apps;
JSON twins; forms that change only the signed-in user's state; bad input a 4xx that changes nothing."""

from __future__ import annotations

import hashlib

import pytest

from newsfold.store import reader_state
from newsfold.store import subscriptions as subs_db
from tests.reading.site_login import sign_in, submit
from tests.reading.world import PASSWORDS, World
from tests.web.site_fixture import Client

pytestmark = pytest.mark.both_backends


def unread_ids(client: Client, cookies: dict[str, str]) -> list[str]:
    """The story ids of the unread view's JSON twin."""
    reply = client.get("/api/reading/unread", headers=cookies)
    assert reply.status_code == 200, reply.text
    return [s["id"] for s in reply.json()["stories"]]


def test_views_need_a_user(client: Client) -> None:
    for path in ("/reading/unread", "/api/reading/saved", "/reading/subscriptions", "/api/reading/filters"):
        assert client.get(path).status_code in (401, 303), path


def test_read_save_hide_through_the_forms(world: World, client: Client) -> None:
    alice, bob = sign_in(client, world, "alice"), sign_in(client, world, "bob")
    assert len(unread_ids(client, alice)) == 6  # follows nothing: every story
    page = client.get("/reading/unread", headers=alice)
    assert page.status_code == 200 and "Mark read" in page.text and "Mark all as read" in page.text
    assert page.headers["cache-control"] == "private, no-store"
    story = world.stories[0]
    reply = submit(client, alice, "/reading/unread", f"/reading/stories/{story}/read", next="/reading/unread")
    assert reply.status_code == 303 and reply.headers["location"] == "/reading/unread"
    assert story not in unread_ids(client, alice) and story in unread_ids(client, bob)
    submit(client, alice, f"/reading/stories/{story}", f"/reading/stories/{story}/save")
    saved = client.get("/api/reading/saved", headers=alice).json()["stories"]
    assert [s["id"] for s in saved] == [story] and saved[0]["read"] is True
    assert client.get("/api/reading/saved", headers=bob).json()["stories"] == []
    page = client.get(f"/reading/stories/{story}", headers=alice)
    assert "Mark unread" in page.text and "Unsave" in page.text and "alpha.example" in page.text
    submit(client, alice, "/reading/unread", f"/reading/stories/{world.stories[1]}/hide")
    assert world.stories[1] not in unread_ids(client, alice)
    hidden = client.get("/api/reading/hidden", headers=alice).json()["stories"]
    assert [s["id"] for s in hidden] == [world.stories[1]]
    submit(client, alice, "/reading/hidden", f"/reading/stories/{world.stories[1]}/show")
    assert world.stories[1] in unread_ids(client, alice)
    shown_at = client.get("/api/reading/unread", headers=alice).json()["shown_at"]
    submit(client, alice, "/reading/unread", "/reading/mark-all-read", up_to=shown_at)
    assert unread_ids(client, alice) == [] and len(unread_ids(client, bob)) == 6


def test_subscriptions_and_filters_pages(world: World, client: Client) -> None:
    alice = sign_in(client, world, "alice")
    page = client.get("/reading/subscriptions", headers=alice)
    assert "Alpha News" in page.text and "Beta Journal" in page.text
    alpha = str(world.sources["alpha"])
    assert (
        submit(client, alice, "/reading/subscriptions", "/reading/subscriptions/follow", source_id=alpha).status_code
        == 303
    )
    assert set(unread_ids(client, alice)) == set(world.stories[0::2])
    submit(
        client,
        alice,
        "/reading/subscriptions",
        "/reading/subscriptions/edit",
        source_id=alpha,
        title="Alpha!",
        category="World",
    )
    data = client.get("/api/reading/subscriptions", headers=alice).json()
    assert data["subscriptions"][0]["title"] == "Alpha!" and data["categories"] == ["World"]
    assert data["subscriptions"][0]["unread"] == 3
    reply = submit(
        client,
        alice,
        "/reading/subscriptions",
        "/reading/subscriptions/add",
        url="https://gamma.example/feed.atom",
        category="World",
    )
    assert reply.status_code == 303
    names = [s["url"] for s in client.get("/api/reading/subscriptions", headers=alice).json()["subscriptions"]]
    assert "https://gamma.example/feed.atom" in names
    submit(client, alice, "/reading/filters", "/reading/filters/add", field="keyword", value="story 1")
    assert world.stories[2] not in unread_ids(client, alice)
    assert client.get("/api/reading/filters", headers=alice).json()["filters"] == [
        {"field": "keyword", "value": "story 1"}
    ]
    submit(client, alice, "/reading/filters", "/reading/filters/remove", field="keyword", value="story 1")
    assert world.stories[2] in unread_ids(client, alice)
    submit(client, alice, "/reading/filters", "/reading/filters/preferences", unread_on_new_sources="on")
    assert client.get("/api/reading/filters", headers=alice).json()["unread_on_new_sources"] is True
    submit(client, alice, "/reading/subscriptions", "/reading/subscriptions/unfollow", source_id=alpha)
    with world.db.read() as conn:
        assert [s.url for s in subs_db.subscriptions(conn, world.users["alice"])] == ["https://gamma.example/feed.atom"]


def test_bad_forms_change_nothing(world: World, client: Client) -> None:
    alice = sign_in(client, world, "alice")
    cases = [
        ("/reading/subscriptions", "/reading/subscriptions/add", {"url": "javascript:alert(1)"}),
        ("/reading/subscriptions", "/reading/subscriptions/add", {"url": "http://user:pw@example.org/feed"}),
        ("/reading/subscriptions", "/reading/subscriptions/follow", {"source_id": "abc"}),
        ("/reading/subscriptions", "/reading/subscriptions/follow", {"source_id": "4242"}),
        ("/reading/subscriptions", "/reading/subscriptions/unfollow", {"source_id": "1"}),
        ("/reading/filters", "/reading/filters/add", {"field": "colour", "value": "red"}),
        ("/reading/filters", "/reading/filters/add", {"field": "language", "value": "klingon!"}),
        ("/reading/filters", "/reading/filters/add", {"field": "kind", "value": "poem"}),
        ("/reading/filters", "/reading/filters/add", {"field": "keyword", "value": "x"}),
        ("/reading/unread", "/reading/stories/nosuchstory/read", {}),
        ("/reading/unread", f"/reading/stories/{world.stories[0]}/eat", {}),
        ("/reading/unread", "/reading/mark-all-read", {"up_to": "tomorrow"}),
        ("/reading/apps", "/reading/apps/fever", {"password": "wrong"}),
    ]
    for page, action, fields in cases:
        reply = submit(client, alice, page, action, **fields)
        assert 400 <= reply.status_code < 500, (action, fields, reply.status_code)
        assert len(reply.text) < 20_000 and "Traceback" not in reply.text
    with world.db.read() as conn:
        user = world.users["alice"]
        assert subs_db.subscriptions(conn, user) == [] and subs_db.filters(conn, user) == []
        assert not any(s.read or s.saved for s in reader_state.states(conn, user, world.stories).values())
    assert client.get("/reading/nonsense", headers=alice).status_code == 404
    assert client.get("/api/reading/unread?before=x", headers=alice).status_code == 400


def test_fever_enabled_from_the_apps_page(world: World, client: Client) -> None:
    alice = sign_in(client, world, "alice")
    page = client.get("/reading/apps", headers=alice)
    assert "/api/greader" in page.text and "/api/fever/" in page.text
    reply = submit(client, alice, "/reading/apps", "/reading/apps/fever", password=PASSWORDS["alice"])
    assert reply.status_code == 303
    key = hashlib.md5(f"alice:{PASSWORDS['alice']}".encode()).hexdigest()
    assert client.request("POST", "/api/fever/?api", data={"api_key": key}).json()["auth"] == 1


def test_a_form_without_its_csrf_field_changes_nothing(world: World, client: Client) -> None:
    """A signed-in user's cookie alone (a cross-site form) cannot mark, save or follow: 403, state unchanged."""
    alice = sign_in(client, world, "alice")
    story = world.stories[0]
    for action, fields in (
        (f"/reading/stories/{story}/read", {}),
        (f"/reading/stories/{story}/save", {}),
        ("/reading/mark-all-read", {}),
        ("/reading/subscriptions/follow", {"source_id": str(world.sources["alpha"])}),
    ):
        reply = client.request("POST", action, data=fields, headers=alice, follow_redirects=False)
        assert reply.status_code == 403, (action, reply.status_code)
    assert story in unread_ids(client, alice)
    assert client.get("/api/reading/saved", headers=alice).json()["stories"] == []
    assert client.get("/api/reading/subscriptions", headers=alice).json()["subscriptions"] == []
