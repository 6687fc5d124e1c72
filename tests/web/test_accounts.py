"""Accounts on the site: login and logout, sessions (expiry, renewal, malformed cookies), CSRF on every form,
the login rate limit, the proxy header, the login wall, password changes and the admin's user page."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from newsfold.accounts.passwords import hash_password, verify_password
from newsfold.accounts.tokens import token_digest
from newsfold.store import accounts as accounts_db
from newsfold.store.db import Database
from newsfold.web.app import create_app
from newsfold.web.auth import CSRF_COOKIE, SESSION_COOKIE
from newsfold.web.csrf import CSRF_EXEMPT, exempt
from tests.web.site_fixture import Client, site_config

PASSWORD = "correct horse battery"
FORM = {"content-type": "application/x-www-form-urlencoded"}
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser(Client):
    """An in-process client that keeps cookies and reads the CSRF token of the last page."""

    def __init__(self, app: Any, address: str = "127.0.0.1") -> None:
        """Talk to app from address."""
        self.app = app
        self._loop = asyncio.new_event_loop()
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        self._client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        self.token = ""

    def page(self, url: str, **kwargs: Any) -> httpx.Response:
        """GET a page and keep the CSRF token of its forms."""
        response = self.get(url, **kwargs)
        found = CSRF_INPUT.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def submit(self, url: str, data: dict[str, str], token: str | None = None, **kwargs: Any) -> httpx.Response:
        """POST a form with the page's CSRF token (or the one given; '' for none)."""
        fields = dict(data)
        token = self.token if token is None else token
        if token:
            fields["csrf_token"] = token
        return self.request("POST", url, data=fields, **kwargs)

    def login(self, name: str = "alice", password: str = PASSWORD) -> httpx.Response:
        """Log in through the login page."""
        self.page("/login")
        return self.submit("/login", {"name": name, "password": password, "next": "/account"})

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies held."""
        return self._client.cookies


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """An empty store."""
    database = Database(tmp_path / "a.db")
    yield database
    database.close()


def add(db: Database, name: str, admin: bool = False, password: str | None = PASSWORD) -> accounts_db.User:
    """Add a user with a password."""
    hashed = hash_password(password) if password is not None else None
    with db.write() as conn:
        return accounts_db.add_user(conn, name, hashed, admin=admin, now="2026-12-01T00:00:00Z")


@pytest.fixture
def site(db: Database) -> Iterator[Any]:
    """The site over the store, default settings."""
    app = create_app(db, site_config())
    yield app
    app.state.site.close()


def browser(app: Any, address: str = "127.0.0.1") -> Browser:
    """A new client of the app."""
    return Browser(app, address)


def sessions(db: Database) -> list[tuple[str, int, str | None]]:
    """The stored web sessions: (digest, user id, expiry)."""
    with db.read() as conn:
        rows = conn.execute("SELECT token_hash, user_id, expires FROM user_tokens WHERE kind = 'web'").fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


def test_without_users_the_site_is_as_before(site: Any) -> None:
    client = browser(site)
    home = client.page("/")
    assert home.status_code == 200 and "Log in" not in home.text and 'class="account"' not in home.text
    assert "-" not in home.headers["etag"]  # everyone's page, its tag untouched
    assert client.get("/api/account").json() == {
        "user": None,
        "accounts": False,
        "login_required": False,
        "via_proxy": False,
    }
    assert "no accounts yet" in client.get("/login").text
    client.close()


def test_login_and_logout(site: Any, db: Database) -> None:
    alice = add(db, "alice")
    client = browser(site)
    assert 'href="/login?next=%2F"' in client.page("/").text
    wrong = client.login(password="wrong password")
    assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
    assert SESSION_COOKIE not in client.cookies and sessions(db) == []
    unknown = client.login(name="nobody")
    assert unknown.status_code == 401 and "wrong user name or password" in unknown.text
    done = client.login()
    assert done.status_code == 303 and done.headers["location"] == "/account"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie and "Max-Age=2592000" in cookie
    token = client.cookies[SESSION_COOKIE]
    assert sessions(db)[0][:2] == (token_digest(token), alice.id)
    with db.read() as conn:  # the token itself is nowhere in the store
        assert not [t for t in conn.execute("SELECT * FROM user_tokens").fetchall() if token in str(tuple(t))]
    home = client.page("/")
    assert 'class="account-name">alice</a>' in home.text and "Log out" in home.text and "Log in" not in home.text
    assert client.get("/api/account").json()["user"]["name"] == "alice"
    assert "Signed in as" in client.page("/account").text
    out = client.submit("/logout", {})
    assert out.status_code == 303 and out.headers["location"] == "/"
    assert sessions(db) == [] and SESSION_COOKIE not in client.cookies
    assert client.get("/api/account").json()["user"] is None
    client.close()


def test_login_goes_only_to_this_site(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    client.page("/login")
    for target, landing in (("https://evil.example/", "/"), ("//evil.example/x", "/"), ("/days", "/days")):
        client.cookies.delete(SESSION_COOKIE)
        client.page("/login")
        done = client.submit("/login", {"name": "alice", "password": PASSWORD, "next": target})
        assert done.status_code == 303 and done.headers["location"] == landing
    client.close()


def test_a_form_post_without_the_token_is_refused_and_changes_nothing(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    client.login()
    anonymous_token = client.token
    client.page("/account")
    assert client.token != anonymous_token  # a session's own token
    before = sessions(db)
    for token in ("", "forged-token", client.token + "x", anonymous_token):
        refused = client.submit("/logout", {}, token=token)
        assert refused.status_code == 403 and "CSRF token" in refused.text
        assert sessions(db) == before
    refused = client.request("POST", "/login", content=b"name=alice&password=x", headers={"content-type": "text/plain"})
    assert refused.status_code == 403
    multipart = client.request("POST", "/logout", files={"csrf_token": (None, client.token)})
    assert multipart.status_code == 403 and sessions(db) == before  # multipart carries no field we read
    other = browser(site)
    other.page("/login")
    assert other.token and client.submit("/logout", {}, token=other.token).status_code == 403  # another reader's token
    header = client.request("POST", "/logout", headers={"x-csrf-token": client.token, **FORM})
    assert header.status_code == 303 and sessions(db) == []
    client.close()
    other.close()


def test_the_anonymous_token_comes_with_its_cookie(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    first = client.page("/login")
    assert f"{CSRF_COOKIE}=" in first.headers["set-cookie"] and client.cookies[CSRF_COOKIE] == client.token
    assert f'<meta name="csrf-token" content="{client.token}">' in first.text
    again = client.page("/login")
    assert "set-cookie" not in again.headers and client.cookies[CSRF_COOKIE] == client.token
    stranger = browser(site)  # no cookie: its token is a new one, of no use without the cookie set with it
    assert stranger.submit("/login", {"name": "alice", "password": PASSWORD}, token=client.token).status_code == 403
    assert sessions(db) == []
    client.close()
    stranger.close()


def test_requests_no_form_can_forge_are_not_asked_for_a_token(site: Any) -> None:
    client = browser(site)
    assert client.request("POST", "/api/admin/takedowns", json={"url": "https://a.example/"}).status_code == 404
    bearer = {"authorization": "Bearer x", **FORM}
    assert client.request("POST", "/api/admin/takedowns", content=b"url=x", headers=bearer).status_code == 404
    assert client.request("POST", "/nowhere", data={"a": "b"}).status_code == 404  # no route: nothing to change
    assert "/api/greader/" in CSRF_EXEMPT and "/api/fever/" in CSRF_EXEMPT
    assert exempt("/api/greader/reader/api/0/edit-tag") and exempt("/api/fever") and not exempt("/api/feverish")
    client.close()


def test_an_expired_session_is_no_session(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    client.login()
    with db.write() as conn:
        conn.execute("UPDATE user_tokens SET expires = '2020-01-01T00:00:00.000000Z'")
    account = client.get("/account")
    assert account.status_code == 303 and account.headers["location"] == "/login?next=%2Faccount"
    assert f'{SESSION_COOKIE}=""' in account.headers["set-cookie"]  # the stale cookie is cleared
    assert client.get("/api/account").json()["user"] is None
    assert client.get("/api/admin/users").status_code == 401
    client.close()


def test_a_session_in_use_is_renewed_once_a_day(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    client.login()
    fresh = sessions(db)[0][2]
    assert client.get("/api/account").headers.get("set-cookie") is None  # renewed at most once a day
    assert sessions(db)[0][2] == fresh
    soon = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    with db.write() as conn:
        conn.execute("UPDATE user_tokens SET expires = ?", (accounts_db.stamp(soon),))
    renewed = client.get("/api/account")
    assert renewed.json()["user"]["name"] == "alice"
    assert (
        renewed.headers["set-cookie"].startswith(f"{SESSION_COOKIE}=")
        and "Max-Age=2592000" in renewed.headers["set-cookie"]
    )
    moved = datetime.fromisoformat(str(sessions(db)[0][2]))
    assert moved > datetime.now(UTC) + timedelta(days=29)
    client.close()


@pytest.mark.parametrize(
    "value", ["garbage", "x" * 43, "é" * 43, '"quoted"', "a" * 5000, "", "x" * 42 + "=", "../../etc/passwd"]
)
def test_malformed_cookies_are_nobody(site: Any, db: Database, value: str) -> None:
    add(db, "alice")
    client = browser(site)
    raw = {"cookie": f"{SESSION_COOKIE}={value}; {CSRF_COOKIE}={value}".encode()}
    home = client.get("/", headers=raw)
    assert home.status_code == 200 and "Log in" in home.text
    assert client.get("/api/account", headers=raw).json()["user"] is None
    posted = {**raw, "content-type": b"application/x-www-form-urlencoded"}
    forged = client.request("POST", "/logout", content="csrf_token=forged", headers=posted)
    assert forged.status_code == 403
    client.close()


def test_failed_logins_are_rate_limited_per_name_and_per_address(db: Database) -> None:
    add(db, "alice")
    add(db, "bob")
    app = create_app(db, site_config(**{"accounts.login_attempts": 2}))
    client = browser(app)
    for _ in range(2):
        assert client.login(password="wrong password").status_code == 401
    blocked = client.login()  # the right password, too late
    assert blocked.status_code == 429 and "too many failed logins" in blocked.text and "15 minutes" in blocked.text
    assert int(blocked.headers["retry-after"]) > 800 and SESSION_COOKIE not in client.cookies
    elsewhere = browser(app, "198.51.100.7")
    assert elsewhere.login().status_code == 429  # the name is locked from every address
    assert elsewhere.login("bob").status_code == 303  # another name is not
    for name in ("carol", "dave", "erin", "frank", "grace", "heidi"):  # 8 failures in all from this address
        assert client.login(name, "wrong password").status_code == 401
    assert client.login("bob").status_code == 429  # the address is locked for every name
    app.state.site.close()
    client.close()
    elsewhere.close()


def test_a_trusted_proxy_names_the_user_and_a_forged_header_is_ignored(db: Database) -> None:
    settings = {"accounts.trust_proxy_header": "X-Remote-User", "accounts.trusted_proxies": ["127.0.0.1/32"]}
    app = create_app(db, site_config(**settings))
    proxy = browser(app, "127.0.0.1")
    named = proxy.page("/", headers={"X-Remote-User": "carol@example.org"})
    assert 'class="account-name">carol@example.org</a>' in named.text and "Log out" not in named.text
    account = proxy.get("/api/account", headers={"X-Remote-User": "carol@example.org"}).json()
    assert account["user"]["name"] == "carol@example.org" and account["via_proxy"] is True
    with db.read() as conn:
        carol = accounts_db.user_by_name(conn, "carol@example.org")
        assert carol is not None and accounts_db.password_hash(conn, carol.id) is None
    forger = browser(app, "203.0.113.9")
    forged = forger.get("/api/account", headers={"X-Remote-User": "mallory"})
    assert forged.json()["user"] is None
    assert forger.get("/api/account", headers={"X-Remote-User": "carol@example.org"}).json()["user"] is None
    bad = proxy.get("/api/account", headers={"X-Remote-User": "<script>"}).json()
    assert bad["user"] is None
    with db.read() as conn:
        assert [u.name for u in accounts_db.list_users(conn)] == ["carol@example.org"]
    app.state.site.close()
    proxy.close()
    forger.close()


def test_the_login_wall(db: Database) -> None:
    add(db, "alice")
    app = create_app(db, site_config(**{"accounts.login_required": True}))
    client = browser(app)
    home = client.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/login?next=%2F"
    api = client.get("/api/stories")
    assert api.status_code == 401 and api.json()["error"]["status"] == 401
    assert client.get("/feeds/latest.atom").status_code == 303
    assert client.get("/static/site.css").status_code == 200 and client.page("/login").status_code == 200
    assert client.login().status_code == 303
    assert client.get("/").status_code == 200 and client.get("/api/stories").status_code == 200
    app.state.site.close()
    client.close()


def test_changing_ones_password(site: Any, db: Database) -> None:
    alice = add(db, "alice")
    client, other = browser(site), browser(site)
    client.login()
    other.login()
    assert len(sessions(db)) == 2

    def change(current: str, new: str, repeat: str) -> httpx.Response:
        """Post the password form."""
        client.page("/account")
        return client.submit("/account/password", {"current": current, "new": new, "repeat": repeat})

    def stored() -> str | None:
        """Alice's stored hash."""
        with db.read() as conn:
            return accounts_db.password_hash(conn, alice.id)

    before = stored()
    for args, message in (
        (("wrong password", "a new secret", "a new secret"), "current password: wrong"),
        ((PASSWORD, "a new secret", "another secret"), "the two entries differ"),
        ((PASSWORD, "short", "short"), "new password: shorter than 8 characters"),
    ):
        refused = change(*args)
        assert refused.status_code == 400 and message in refused.text
        assert stored() == before and len(sessions(db)) == 2
    done = change(PASSWORD, "a new secret", "a new secret")
    assert done.status_code == 303 and done.headers["location"] == "/account?changed=1"
    assert verify_password(stored(), "a new secret") and not verify_password(stored(), PASSWORD)
    assert len(sessions(db)) == 1 and other.get("/api/account").json()["user"] is None  # the other session ended
    assert "Password changed" in client.page("/account?changed=1").text
    client.close()
    other.close()
    fresh = browser(site)
    assert fresh.login(password="a new secret").status_code == 303
    fresh.close()


def test_the_admins_user_page(site: Any, db: Database) -> None:
    add(db, "root", admin=True)
    bob = add(db, "bob")
    anonymous = browser(site)
    assert anonymous.get("/admin/users").status_code == 303
    assert anonymous.get("/api/admin/users").status_code == 401
    reader = browser(site)
    reader.login("bob")
    assert reader.get("/admin/users").status_code == 403 and reader.get("/api/admin/users").status_code == 403
    assert reader.submit("/admin/users", {"name": "eve", "password": PASSWORD}).status_code == 403
    admin = browser(site)
    admin.login("root")
    listing = admin.page("/admin/users")
    assert listing.status_code == 200 and "Remove bob" in listing.text and "Remove root" not in listing.text
    for fields, message in (
        ({"name": "two words", "password": PASSWORD}, "a name is 1 to 64"),
        ({"name": "BOB", "password": PASSWORD}, "the name is taken"),
        ({"name": "eve", "password": "short"}, "password: shorter than 8"),
    ):
        admin.page("/admin/users")
        refused = admin.submit("/admin/users", fields)
        assert refused.status_code == 400 and message in refused.text
    admin.page("/admin/users")
    added = admin.submit("/admin/users", {"name": "eve", "password": PASSWORD, "admin": "1"})
    assert added.status_code == 303
    names = {u["name"]: u["admin"] for u in admin.get("/api/admin/users").json()["users"]}
    assert names == {"root": True, "bob": False, "eve": True}
    admin.page("/admin/users")
    assert admin.submit("/admin/users/remove", {"name": "root"}).status_code == 400  # not oneself
    assert admin.submit("/admin/users/remove", {"name": "nobody"}).status_code == 400
    assert admin.submit("/admin/users/remove", {"name": "bob"}).status_code == 303
    assert bob.id not in [s[1] for s in sessions(db)]
    assert reader.get("/api/account").json()["user"] is None  # bob's session went with him
    for c in (anonymous, reader, admin):
        c.close()


def test_a_signed_in_readers_pages_revalidate_as_their_own(site: Any, db: Database) -> None:
    add(db, "alice")
    client = browser(site)
    anonymous = client.get("/")
    client.login()
    mine = client.get("/")
    assert mine.headers["etag"] != anonymous.headers["etag"] and "Cookie" in mine.headers["vary"]
    again = client.get("/", headers={"if-none-match": mine.headers["etag"]})
    assert again.status_code == 304 and again.headers["etag"] == mine.headers["etag"]
    stale = client.get("/", headers={"if-none-match": anonymous.headers["etag"]})
    assert stale.status_code == 200 and "alice" in stale.text  # the anonymous copy is not this reader's
    client.close()
