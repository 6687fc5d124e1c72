"""The Fever API driven as Reeder and Unread drive it: auth by api_key, groups, feeds, items, ids, marks."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest

from newsfold.store import accounts, reader_state
from newsfold.store import subscriptions as subs_db
from newsfold.web.reading import enable_fever
from tests.reading.world import PASSWORDS, World
from tests.web.site_fixture import Client

pytestmark = pytest.mark.both_backends

FEVER = "/api/fever/"


def key(name: str) -> str:
    """The api_key a Fever client computes."""
    return hashlib.md5(f"{name}:{PASSWORDS[name]}".encode()).hexdigest()


def setup(world: World, *names: str) -> None:
    """Enable Fever for users and subscribe them to both sources (alpha in 'World')."""
    with world.db.write() as conn:
        for name in names:
            user = accounts.user_by_id(conn, world.users[name])
            assert user is not None
            enable_fever(conn, user, PASSWORDS[name])
            now = datetime.now(UTC)
            subs_db.subscribe(conn, user.id, world.sources["alpha"], now, category="World")
            subs_db.subscribe(conn, user.id, world.sources["beta"], now)


def call(client: Client, name: str, query: str, **form: str) -> Any:
    """One Fever call (POST api_key, as the clients do)."""
    reply = client.request(
        "POST",
        f"{FEVER}?api&{query}",
        data={"api_key": key(name), **form},
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["api_version"] == 3 and body["auth"] == 1
    return body


def test_reeder_sync(world: World, client: Client) -> None:
    setup(world, "alice")
    assert call(client, "alice", "")["auth"] == 1
    groups = call(client, "alice", "groups")
    assert [g["title"] for g in groups["groups"]] == ["World"]
    gid = groups["groups"][0]["id"]
    assert groups["feeds_groups"] == [{"group_id": gid, "feed_ids": str(world.sources["alpha"])}]
    feeds = call(client, "alice", "feeds")["feeds"]
    assert {f["id"] for f in feeds} == set(world.sources.values())
    assert call(client, "alice", "favicons")["favicons"] == []
    unread = [int(i) for i in call(client, "alice", "unread_item_ids")["unread_item_ids"].split(",")]
    assert len(unread) == 6
    first = call(client, "alice", "items&since_id=0")
    assert first["total_items"] == 6
    ids = [i["id"] for i in first["items"]]
    assert ids == sorted(unread)
    assert call(client, "alice", f"items&since_id={ids[2]}")["items"][0]["id"] == ids[3]
    assert [i["id"] for i in call(client, "alice", f"items&max_id={ids[2]}")["items"]] == [ids[1], ids[0]]
    picked = call(client, "alice", f"items&with_ids={ids[0]},{ids[5]}")["items"]
    assert sorted(i["id"] for i in picked) == [ids[0], ids[5]]
    item = picked[-1] if picked[-1]["id"] == ids[0] else picked[0]
    assert item["feed_id"] in world.sources.values() and item["is_read"] == 0 and "<li>" in item["html"]
    call(client, "alice", "", mark="item", **{"as": "read"}, id=str(ids[0]))
    call(client, "alice", "", mark="item", **{"as": "saved"}, id=str(ids[1]))
    unread = [int(i) for i in call(client, "alice", "unread_item_ids")["unread_item_ids"].split(",")]
    assert ids[0] not in unread and len(unread) == 5
    assert call(client, "alice", "saved_item_ids")["saved_item_ids"] == str(ids[1])
    call(client, "alice", "", mark="item", **{"as": "unsaved"}, id=str(ids[1]))
    assert call(client, "alice", "saved_item_ids")["saved_item_ids"] == ""
    call(client, "alice", "", mark="group", **{"as": "read"}, id=str(gid), before="4102444800")
    left = call(client, "alice", "unread_item_ids")["unread_item_ids"].split(",")
    assert len(left) == 3  # beta's three
    call(client, "alice", "", mark="feed", **{"as": "read"}, id=str(world.sources["beta"]), before="4102444800")
    assert call(client, "alice", "unread_item_ids")["unread_item_ids"] == ""
    call(client, "alice", "", mark="item", **{"as": "unread"}, id=str(ids[4]))
    assert call(client, "alice", "unread_item_ids")["unread_item_ids"] == str(ids[4])


def test_isolation_and_bad_input(world: World, client: Client) -> None:
    setup(world, "alice", "bob")
    ids = call(client, "alice", "unread_item_ids")["unread_item_ids"].split(",")
    call(client, "alice", "", mark="item", **{"as": "saved"}, id=ids[0])
    assert call(client, "bob", "saved_item_ids")["saved_item_ids"] == ""
    assert len(call(client, "bob", "unread_item_ids")["unread_item_ids"].split(",")) == 6
    reply = client.request("POST", f"{FEVER}?api", data={"api_key": "0" * 32})
    assert reply.status_code == 401 and reply.json()["auth"] == 0 and "items" not in reply.json()
    reply = client.request("POST", f"{FEVER}?api&items", data={"api_key": hashlib.md5(b"alice:wrong").hexdigest()})
    assert reply.status_code == 401 and "items" not in reply.json()
    for query, form in (
        ("items&since_id=abc", {}),
        ("items&with_ids=1,x", {}),
        ("", {"mark": "item", "as": "read", "id": "999999"}),
        ("", {"mark": "item", "as": "eaten", "id": ids[0]}),
        ("", {"mark": "planet", "as": "read", "id": "1"}),
        ("", {"mark": "feed", "as": "read", "id": "424242"}),
    ):
        reply = client.request("POST", f"{FEVER}?api&{query}", data={"api_key": key("bob"), **form})
        assert 400 <= reply.status_code < 500, (query, form, reply.text)
        assert reply.json()["error"]["message"]
    with world.db.read() as conn:
        bob = reader_state.states(conn, world.users["bob"], world.stories)
    assert not any(s.read or s.saved for s in bob.values())
    assert client.request("POST", FEVER, data={"api_key": key("bob")}).status_code == 400
