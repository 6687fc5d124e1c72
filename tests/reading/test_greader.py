"""The Google Reader API driven as NetNewsWire, Reeder and FeedMe drive it (login, lists, ids, contents, edits)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from newsfold.store import reader_state
from tests.reading.world import PASSWORDS, World
from tests.web.site_fixture import Client

pytestmark = pytest.mark.both_backends

API = "/api/greader"
R = f"{API}/reader/api/0"
READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def login(client: Client, name: str) -> dict[str, str]:
    """ClientLogin as the apps send it; the auth header for later requests."""
    reply = client.request(
        "POST", f"{API}/accounts/ClientLogin", data={"Email": name, "Passwd": PASSWORDS[name]}, headers=FORM
    )
    assert reply.status_code == 200, reply.text
    lines = dict(line.split("=", 1) for line in reply.text.strip().splitlines())
    assert set(lines) == {"SID", "LSID", "Auth"}
    return {"Authorization": f"GoogleLogin auth={lines['Auth']}"}


def get(client: Client, auth: dict[str, str], path: str, **params: Any) -> Any:
    """A GET answered with JSON."""
    reply = client.get(f"{R}/{path}", params={"output": "json", **params}, headers=auth)
    assert reply.status_code == 200, reply.text
    return reply.json()


def post(client: Client, auth: dict[str, str], path: str, data: list[tuple[str, str]]) -> httpx.Response:
    """A POST with a form body (repeated keys kept) and the T token."""
    token = client.get(f"{R}/token", headers=auth).text
    body = urlencode([*data, ("T", token)])
    return client.request("POST", f"{R}/{path}", content=body, headers={**auth, **FORM})


def follow(client: Client, auth: dict[str, str], url: str) -> str:
    """Subscribe with quickadd; the stream id."""
    token = client.get(f"{R}/token", headers=auth).text
    reply = client.request(
        "POST", f"{R}/subscription/quickadd", data={"quickadd": url, "T": token}, headers={**auth, **FORM}
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["streamId"])


def test_netnewswire_session(world: World, client: Client) -> None:
    auth = login(client, "alice")
    info = get(client, auth, "user-info")
    assert info["userName"] == "alice" and info["userId"] == str(world.users["alice"])
    assert get(client, auth, "subscription/list") == {"subscriptions": []}
    alpha = follow(client, auth, "https://alpha.example/feed.xml")
    assert alpha == f"feed/{world.sources['alpha']}"
    assert (
        post(
            client,
            auth,
            "subscription/edit",
            [("ac", "edit"), ("s", alpha), ("a", "user/-/label/World"), ("t", "Alpha")],
        ).text
        == "OK"
    )
    subs = get(client, auth, "subscription/list")["subscriptions"]
    assert subs == [
        {
            "id": alpha,
            "title": "Alpha",
            "categories": [{"id": "user/-/label/World", "label": "World"}],
            "url": "https://alpha.example/feed.xml",
            "htmlUrl": "https://alpha.example/feed.xml",
            "iconUrl": "",
        }
    ]
    tags = get(client, auth, "tag/list")["tags"]
    assert {"id": "user/-/label/World", "type": "folder"} in tags and {"id": STARRED} in tags
    unread = get(client, auth, "stream/items/ids", s=READING_LIST, xt=READ, n=1000)["itemRefs"]
    alpha_stories = world.stories[0::2]
    with world.db.read() as conn:
        numbers = reader_state.story_items(conn, alpha_stories)
    assert [r["id"] for r in unread] == [str(numbers[s]) for s in reversed(alpha_stories)]
    assert get(client, auth, "stream/items/ids", s=STARRED, n=1000)["itemRefs"] == []
    # contents for the long and the decimal id forms
    first, second = int(unread[0]["id"]), int(unread[1]["id"])
    reply = post(
        client,
        auth,
        "stream/items/contents",
        [("i", f"tag:google.com,2005:reader/item/{first:016x}"), ("i", str(second))],
    )
    assert reply.status_code == 200, reply.text
    items = reply.json()["items"]
    assert [i["id"] for i in items] == [f"tag:google.com,2005:reader/item/{n:016x}" for n in (first, second)]
    item = items[0]
    assert item["origin"]["streamId"] == alpha and item["origin"]["title"] == "Alpha"
    assert READING_LIST in item["categories"] and "user/-/label/World" in item["categories"]
    assert READ not in item["categories"]
    assert "alpha.example" in item["summary"]["content"] and "<script" not in item["summary"]["content"]
    assert item["canonical"][0]["href"].startswith("https://alpha.example/news/")
    assert int(item["timestampUsec"]) > 0 and item["title"] == "Alpha story 2"
    # read, unread, starred
    assert post(client, auth, "edit-tag", [("i", str(first)), ("a", READ)]).text == "OK"
    ids = [r["id"] for r in get(client, auth, "stream/items/ids", s=READING_LIST, xt=READ)["itemRefs"]]
    assert str(first) not in ids and str(second) in ids
    assert post(client, auth, "edit-tag", [("i", str(first)), ("r", READ)]).text == "OK"
    assert post(client, auth, "edit-tag", [("i", str(second)), ("a", STARRED)]).text == "OK"
    starred = get(client, auth, "stream/contents/" + STARRED)["items"]
    assert [i["id"] for i in starred] == [f"tag:google.com,2005:reader/item/{second:016x}"]
    assert STARRED in starred[0]["categories"]
    counts = {c["id"]: c["count"] for c in get(client, auth, "unread-count")["unreadcounts"]}
    assert counts[alpha] == 3 and counts["user/-/label/World"] == 3 and counts[READING_LIST] == 3


def test_stream_contents_pages_and_orders(world: World, client: Client) -> None:
    auth = login(client, "alice")
    follow(client, auth, "https://alpha.example/feed.xml")
    beta = follow(client, auth, "https://beta.example/rss")
    seen: list[str] = []
    page = get(client, auth, "stream/contents/" + READING_LIST, n=4)
    seen += [i["id"] for i in page["items"]]
    assert len(seen) == 4 and "continuation" in page
    page = get(client, auth, "stream/contents/" + READING_LIST, n=4, c=page["continuation"])
    seen += [i["id"] for i in page["items"]]
    assert len(seen) == 6 and len(set(seen)) == 6 and "continuation" not in page
    oldest = get(client, auth, "stream/contents/" + READING_LIST, n=10, r="o")["items"]
    assert [i["id"] for i in oldest] == seen[::-1]
    feed = get(client, auth, "stream/contents/" + beta)["items"]
    assert {i["origin"]["streamId"] for i in feed} == {beta} and len(feed) == 3
    assert get(client, auth, "stream/contents/" + READING_LIST, ot=4102444800)["items"] == []  # after 2100
    assert len(get(client, auth, "stream/contents/" + READING_LIST, nt=4102444800)["items"]) == 6
    # the stream given as s= (FeedMe) and the user's own id in place of '-'
    uid = world.users["alice"]
    assert len(get(client, auth, "stream/contents", s=f"user/{uid}/state/com.google/reading-list")["items"]) == 6


def test_mark_all_as_read_and_labels(world: World, client: Client) -> None:
    auth = login(client, "alice")
    alpha = follow(client, auth, "https://alpha.example/feed.xml")
    follow(client, auth, "https://beta.example/rss")
    post(client, auth, "subscription/edit", [("ac", "edit"), ("s", alpha), ("a", "user/-/label/World")])
    assert (
        post(client, auth, "mark-all-as-read", [("s", "user/-/label/World"), ("ts", "4102444800000000")]).text == "OK"
    )
    unread = get(client, auth, "stream/contents/" + READING_LIST, xt=READ)["items"]
    assert {i["origin"]["title"] for i in unread} == {"Beta Journal"}
    assert post(client, auth, "mark-all-as-read", [("s", READING_LIST)]).text == "OK"
    assert get(client, auth, "stream/items/ids", s=READING_LIST, xt=READ)["itemRefs"] == []
    assert post(client, auth, "rename-tag", [("s", "user/-/label/World"), ("dest", "user/-/label/Earth")]).text == "OK"
    tags = [t["id"] for t in get(client, auth, "tag/list")["tags"]]
    assert "user/-/label/Earth" in tags and "user/-/label/World" not in tags
    assert post(client, auth, "subscription/edit", [("ac", "unsubscribe"), ("s", alpha)]).text == "OK"
    assert [s["id"] for s in get(client, auth, "subscription/list")["subscriptions"]] != [alpha]
    assert alpha not in [s["id"] for s in get(client, auth, "subscription/list")["subscriptions"]]


def test_users_are_isolated(world: World, client: Client) -> None:
    alice, bob = login(client, "alice"), login(client, "bob")
    follow(client, alice, "https://alpha.example/feed.xml")
    follow(client, bob, "https://alpha.example/feed.xml")
    ids = [r["id"] for r in get(client, alice, "stream/items/ids", s=READING_LIST)["itemRefs"]]
    assert post(client, alice, "edit-tag", [("i", ids[0]), ("a", READ), ("a", STARRED)]).text == "OK"
    assert get(client, bob, "stream/items/ids", s=STARRED)["itemRefs"] == []
    assert ids[0] in [r["id"] for r in get(client, bob, "stream/items/ids", s=READING_LIST, xt=READ)["itemRefs"]]
    beta = follow(client, alice, "https://beta.example/rss")
    assert beta not in [s["id"] for s in get(client, bob, "subscription/list")["subscriptions"]]
    reply = client.get(f"{R}/stream/contents/{beta}", headers=bob)  # not one of bob's feeds
    assert reply.status_code == 404
    # an unknown id among known ones: 404 and nothing changed
    reply = post(client, bob, "edit-tag", [("i", ids[1]), ("i", "999999"), ("a", STARRED)])
    assert reply.status_code == 404 and "999999" in reply.text
    assert get(client, bob, "stream/items/ids", s=STARRED)["itemRefs"] == []
    # a token is one user's: bob's auth never reads alice's state
    reply = client.get(f"{R}/user-info", headers=bob)
    assert reply.json()["userName"] == "bob"


def test_bad_auth_and_bad_parameters(world: World, client: Client) -> None:
    reply = client.request(
        "POST", f"{API}/accounts/ClientLogin", data={"Email": "alice", "Passwd": "wrong"}, headers=FORM
    )
    assert reply.status_code == 401 and "BadAuthentication" in reply.text
    assert client.get(f"{R}/user-info").status_code == 401
    assert client.get(f"{R}/user-info", headers={"Authorization": "GoogleLogin auth=forged"}).status_code == 401
    auth = login(client, "alice")
    follow(client, auth, "https://alpha.example/feed.xml")
    for params in ({"n": "many"}, {"c": "x1"}, {"ot": "yesterday"}, {"n": "-5"}):
        reply = client.get(f"{R}/stream/contents/{READING_LIST}", params=params, headers=auth)
        assert reply.status_code == 400, params
        assert reply.json()["error"]["message"].split(":")[0] == next(iter(params))
    assert client.get(f"{R}/stream/contents/user/-/state/com.google/nonsense", headers=auth).status_code == 400
    for data in ([("i", "tag:google.com,2005:reader/item/zz")], [("i", "1")], [("a", READ)]):
        reply = post(client, auth, "edit-tag", data)
        assert reply.status_code == 400, data
    reply = post(client, auth, "mark-all-as-read", [("s", READING_LIST), ("ts", "soon")])
    assert reply.status_code == 400 and "ts" in reply.text
    reply = post(client, auth, "subscription/quickadd", [("quickadd", "file:///etc/passwd")])
    assert reply.status_code == 400
    reply = post(client, auth, "subscription/edit", [("ac", "subscribe"), ("s", "feed/http://user:pw@evil.example/")])
    assert reply.status_code == 400
    reply = client.request("POST", f"{R}/edit-tag", data={"i": "1", "a": READ, "T": "wrong"}, headers={**auth, **FORM})
    assert reply.status_code == 401 and reply.headers["X-Reader-Google-Bad-Token"] == "true"
    with world.db.read() as conn:
        assert conn.execute("SELECT count(*) FROM reader_state").fetchone()[0] == 0


def test_wrong_passwords_are_rate_limited(world: World, client: Client) -> None:
    for _ in range(5):
        reply = client.request(
            "POST", f"{API}/accounts/ClientLogin", data={"Email": "bob", "Passwd": "no"}, headers=FORM
        )
        assert reply.status_code == 401
    reply = client.request(
        "POST", f"{API}/accounts/ClientLogin", data={"Email": "bob", "Passwd": PASSWORDS["bob"]}, headers=FORM
    )
    assert reply.status_code == 429
