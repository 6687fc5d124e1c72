"""Signing in to the site in tests, and posting its forms with their CSRF field, as a browser would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx

from newsfold.accounts.tokens import new_token, token_digest
from newsfold.store import accounts
from tests.reading.world import World
from tests.web.site_fixture import Client

_HIDDEN = re.compile(r'<input type="hidden" name="(csrf[^"]*)" value="([^"]*)"')


def sign_in(client: Client, world: World, name: str) -> dict[str, str]:
    """A session for a user (as the login page makes one); the headers that send its cookie."""
    token = new_token()
    now = datetime.now(UTC)
    with world.db.write() as conn:
        accounts.add_token(
            conn,
            world.users[name],
            "web",
            token_digest(token),
            now=now.isoformat(),
            expires=(now + timedelta(days=1)).isoformat(),
        )
    return {"Cookie": f"newsfold_session={token}"}


def csrf_fields(html: str) -> dict[str, str]:
    """The CSRF field a page's forms carry (empty where the site has none)."""
    match = _HIDDEN.search(html)
    return {match.group(1): match.group(2)} if match else {}


def submit(client: Client, cookies: dict[str, str], page: str, action: str, **fields: str) -> httpx.Response:
    """Post a form of a page (its CSRF field included), not following the redirect."""
    shown = client.get(page, headers=cookies)
    assert shown.status_code == 200, shown.text
    return client.request(
        "POST", action, data={**csrf_fields(shown.text), **fields}, headers=cookies, follow_redirects=False
    )
