"""Logging in and out in a real browser: the login form, the account menu, the session cookie, the logout button."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfold.accounts.passwords import hash_password
from newsfold.store import accounts as accounts_db
from newsfold.store.db import Database
from newsfold.web.app import create_app
from newsfold.web.auth import SESSION_COOKIE
from tests.web.serving import serve_app
from tests.web.site_fixture import site_config
from tests.web.test_browser import CHROMIUM, SHOTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install -y chromium)"),
]
PASSWORD = "correct horse battery"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """An empty store with one user, served on loopback."""
    db = Database(tmp_path / "b.db")
    with db.write() as conn:
        accounts_db.add_user(conn, "alice", hash_password(PASSWORD), now="2026-12-01T00:00:00Z")
    app = create_app(db, site_config())
    with serve_app(app) as base:
        yield base
    app.state.site.close()
    db.close()


def test_log_in_and_out_in_the_browser(browser: object, served: str) -> None:
    """A wrong password is refused with a message; the right one signs in (the menu names the user, the cookie is
    HttpOnly); the logout button signs out."""
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{served}/days")
        page.click(".account a")
        page.wait_for_url("**/login?next=%2Fdays")
        page.fill("#login-name", "alice")
        page.fill("#login-password", "not the password")
        page.click("form.account-form button")
        assert "wrong user name or password" in page.locator("p.error").inner_text()
        page.fill("#login-password", PASSWORD)
        page.click("form.account-form button")
        page.wait_for_url(f"{served}/days")
        assert page.locator(".account .account-name").inner_text() == "alice"
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies[SESSION_COOKIE]["httpOnly"] and cookies[SESSION_COOKIE]["sameSite"] == "Lax"
        page.screenshot(path=str(SHOTS / "accounts-signed-in.png"), full_page=True)
        page.click(".account .account-name")
        page.wait_for_url(f"{served}/account")
        assert page.locator(".account-user").inner_text() == "alice"
        page.click("form.logout button")
        page.wait_for_url(f"{served}/")
        assert page.locator(".account a").inner_text() == "Log in"
        assert SESSION_COOKIE not in {c["name"] for c in context.cookies()}
    finally:
        context.close()
