"""The account pages: log in and out, change one's password, and (admins) add and remove users; with JSON twins."""

# No `from __future__ import annotations` here: FastAPI must see the dependencies in the annotations of the
# nested route functions as objects.

import math
import time
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

import anyio.to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsfold.accounts.passwords import check_password, hash_password, verify_password
from newsfold.errors import InputError
from newsfold.store import accounts as accounts_db
from newsfold.store.accounts import User
from newsfold.web.auth import (
    Accounts,
    clear_session_cookie,
    current_user,
    identity,
    iso,
    require_admin,
    require_user,
    utc_now,
)
from newsfold.web.errors import BadRequestError
from newsfold.web.reader import local_path
from newsfold.web.site import Site

MAX_FORM = 8 * 1024


def user_json(user: User) -> dict[str, Any]:
    """A user as JSON (never their password hash)."""
    return {"id": user.id, "name": user.name, "admin": user.admin, "created": user.created}


async def read_form(request: Request) -> dict[str, str]:
    """A url-encoded form's fields (the first value of each); 400 when it is too large."""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise BadRequestError(f"form: larger than {MAX_FORM} bytes")
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=16)
    return {key: values[0] for key, values in fields.items()}


def minutes(seconds: float) -> str:
    """A wait in whole minutes, for a reader."""
    count = max(1, math.ceil(seconds / 60))
    return f"{count} minute{'s' if count > 1 else ''}"


def page(site: Site, template: str, status: int = 200, **context: Any) -> Response:
    """An account page, never cached (the account menu and CSRF fields are filled in per request)."""
    response = site.render(template, status=status, **context).response()
    response.headers["Cache-Control"] = "no-store"
    return response


def account_router(site: Site, accounts: Accounts) -> APIRouter:
    """The routes of the account pages over one site and its accounts."""
    router = APIRouter()
    login_routes(router, site, accounts)
    own_account_routes(router, site, accounts)
    user_routes(router, site)
    return router


def login_routes(router: APIRouter, site: Site, accounts: Accounts) -> None:
    """Log in (rate-limited) and log out."""
    db, limiter = site.db, accounts.limiter

    def login_page(
        request: Request, status: int = 200, message: str = "", name: str = "", then: str | None = None
    ) -> Response:
        """The login form (going on to `then`, else ?next=), with a message when a login failed."""
        with db.read() as conn:
            users = accounts_db.count_users(conn)
        nxt = local_path(then or request.query_params.get("next"))
        return page(site, "login.html", status, page="login", message=message, login_name=name, next=nxt, users=users)

    @router.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request) -> Response:
        """The login page (a signed-in user goes straight on to ?next=)."""
        if current_user(request) is not None:
            return RedirectResponse(local_path(request.query_params.get("next")), status_code=303)
        return login_page(request)

    @router.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        """Sign in with a name and password: a session cookie, then on to ?next=; failures are rate-limited per
        name and per address."""
        form = await read_form(request)
        name, password = form.get("name", "").strip(), form.get("password", "")
        then = local_path(form.get("next") or request.query_params.get("next"))
        found = identity(request)
        address = found.address if found is not None else ""
        wait = limiter.retry_after(name, address, time.monotonic())
        if wait > 0:
            message = f"too many failed logins for this name or from this address: try again in {minutes(wait)}"
            response = login_page(request, 429, message, name, then)
            response.headers["Retry-After"] = str(math.ceil(wait))
            return response
        user = await anyio.to_thread.run_sync(accounts.authenticate, name, password)
        if user is None:
            limiter.failed(name, address, time.monotonic())
            return login_page(request, 401, "wrong user name or password", name, then)
        limiter.succeeded(name)
        old = found.session if found is not None else None
        if old is not None:
            accounts.end_session(old)
        token, _ = accounts.start_session(user)
        response = RedirectResponse(then, 303)
        accounts.set_session_cookie(response, token, request.url.scheme == "https")
        return response

    @router.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        """End this session and go to the home page."""
        found = identity(request)
        if found is not None and found.session is not None:
            accounts.end_session(found.session)
        response = RedirectResponse("/", status_code=303)
        clear_session_cookie(response, request.url.scheme == "https")
        return response


def own_account_routes(router: APIRouter, site: Site, accounts: Accounts) -> None:
    """One's account page, its JSON twin, and the password change."""
    db, limiter = site.db, accounts.limiter

    @router.get("/account", response_class=HTMLResponse, include_in_schema=False)
    def account_page(request: Request, user: Annotated[User, Depends(require_user)]) -> Response:
        """One's account: name, since when, and the form to change the password."""
        found = identity(request)
        via_proxy = found is not None and found.via_proxy
        changed = request.query_params.get("changed") == "1"
        return page(site, "account.html", page="account", user=user, via_proxy=via_proxy, changed=changed, message="")

    @router.get("/api/account")
    def api_account(request: Request) -> dict[str, Any]:
        """Who is signed in (null for nobody), whether the site has accounts and whether reading needs a login."""
        found = identity(request)
        user = found.user if found is not None else None
        return {
            "user": user_json(user) if user is not None else None,
            "accounts": bool(found and found.accounts),
            "login_required": accounts.settings.login_required,
            "via_proxy": bool(found and found.via_proxy),
        }

    @router.post("/account/password", include_in_schema=False)
    async def change_password(request: Request, user: Annotated[User, Depends(require_user)]) -> Response:
        """Change one's password (the current one first); every other session of the user ends."""
        form = await read_form(request)
        found = identity(request)
        address = found.address if found is not None else ""

        def failed(status: int, message: str) -> Response:
            """The account page again, saying what was wrong."""
            via_proxy = found is not None and found.via_proxy
            context = {"page": "account", "user": user, "via_proxy": via_proxy, "changed": False}
            return page(site, "account.html", status, message=message, **context)

        wait = limiter.retry_after(user.name, address, time.monotonic())
        if wait > 0:
            return failed(429, f"too many wrong passwords: try again in {minutes(wait)}")
        with db.read() as conn:
            stored = accounts_db.password_hash(conn, user.id)
        if stored is None:
            return failed(400, "this account signs in through the proxy and has no password here")
        if not await anyio.to_thread.run_sync(verify_password, stored, form.get("current", "")):
            limiter.failed(user.name, address, time.monotonic())
            return failed(400, "current password: wrong")
        new = form.get("new", "")
        if new != form.get("repeat", ""):
            return failed(400, "new password: the two entries differ")
        try:
            check_password(new)
        except InputError as exc:
            return failed(400, f"new {exc}")
        hashed = await anyio.to_thread.run_sync(hash_password, new)
        with db.write() as conn:
            accounts_db.set_password_hash(conn, user.id, hashed)
            accounts_db.remove_tokens(conn, user.id, "web")
        token, _ = accounts.start_session(user)
        response = RedirectResponse("/account?changed=1", status_code=303)
        accounts.set_session_cookie(response, token, request.url.scheme == "https")
        return response


def user_routes(router: APIRouter, site: Site) -> None:
    """The admins' user management page, its JSON twin, adding and removing users."""
    db = site.db

    def users_page(admin: User, status: int = 200, message: str = "", done: str = "") -> Response:
        """The user management page."""
        with db.read() as conn:
            users = accounts_db.list_users(conn)
        return page(site, "users.html", status, page="users", users=users, me=admin, message=message, done=done)

    @router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
    def users_list(request: Request, admin: Annotated[User, Depends(require_admin)]) -> Response:
        """The users (admins only): add one, remove one."""
        return users_page(admin, done=request.query_params.get("done", "")[:200])

    @router.get("/api/admin/users")
    def api_users(admin: Annotated[User, Depends(require_admin)]) -> dict[str, Any]:
        """The user management page's JSON twin (admins only)."""
        with db.read() as conn:
            return {"users": [user_json(u) for u in accounts_db.list_users(conn)]}

    @router.post("/admin/users", include_in_schema=False)
    async def add_user(request: Request, admin: Annotated[User, Depends(require_admin)]) -> Response:
        """Add a user with a password (admins only)."""
        form = await read_form(request)
        name = form.get("name", "").strip()
        try:
            accounts_db.check_name(name)
            with db.read() as conn:
                if accounts_db.user_by_name(conn, name) is not None:
                    raise InputError(f"user {name!r}", "the name is taken")
            password = check_password(form.get("password", ""))
            hashed = await anyio.to_thread.run_sync(hash_password, password)
            with db.write() as conn:
                accounts_db.add_user(conn, name, hashed, admin=form.get("admin") == "1", now=iso(utc_now()))
        except InputError as exc:
            return users_page(admin, 400, str(exc))
        return RedirectResponse("/admin/users?" + urlencode({"done": f"added {name}"}), status_code=303)

    @router.post("/admin/users/remove", include_in_schema=False)
    async def remove_user(request: Request, admin: Annotated[User, Depends(require_admin)]) -> Response:
        """Remove a user, their sessions and API logins (admins only; never oneself)."""
        name = (await read_form(request)).get("name", "")
        if name == admin.name:
            return users_page(admin, 400, f"user {name!r}: you cannot remove yourself")
        with db.write() as conn:
            removed = accounts_db.remove_user(conn, name)
        if not removed:
            return users_page(admin, 400, f"user {name[:64]!r}: no such user")
        return RedirectResponse("/admin/users?" + urlencode({"done": f"removed {name}"}), status_code=303)
