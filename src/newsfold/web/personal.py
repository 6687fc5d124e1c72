"""The accounts middleware: who each request comes from, the login wall when one is set, and the parts of a page
that are the reader's own (the account menu, the CSRF fields) filled in after the page's shared, cached body.

Pages are rendered once and cached (or rendered ahead) for everyone, so a template never holds a user's data: it
writes markers (csrf_field(), csrf_meta(), account_menu()) that this middleware replaces on the way out. The page's
entity tag gets a suffix naming the identity it was filled for, so a browser never revalidates one reader's page
into another's.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfold.web.auth import CSRF_COOKIE, CSRF_COOKIE_MAX_AGE, SESSION_COOKIE, Accounts, Identity, clear_session_cookie
from newsfold.web.csrf import FIELD, exempt
from newsfold.web.errors import error_body

CSRF_MARK = b"<!--newsfold:csrf-->"
CSRF_META_MARK = b"<!--newsfold:csrf-meta-->"
ACCOUNT_MARK = b"<!--newsfold:account-->"
# reachable without signing in when accounts.login_required is set
OPEN_PATHS = ("/login", "/logout", "/static/", "/api/account")


def csrf_field() -> Markup:
    """In a template's form: the hidden field with this reader's CSRF token (filled in per request)."""
    return Markup(CSRF_MARK.decode("ascii"))


def csrf_meta() -> Markup:
    """In a template's head: a meta element with this reader's CSRF token, for scripts (X-CSRF-Token)."""
    return Markup(CSRF_META_MARK.decode("ascii"))


def account_menu() -> Markup:
    """In a template's header: the reader's account menu (log in, or name, account, users and log out)."""
    return Markup(ACCOUNT_MARK.decode("ascii"))


def menu_html(found: Identity, here: str) -> str:
    """The account menu for an identity on the page at `here`."""
    if found.user is None:
        if not found.accounts:
            return ""
        return f'<div class="account"><a href="/login?{escape(urlencode({"next": here}))}">Log in</a></div>'
    parts = [f'<a href="/account" class="account-name">{escape(found.user.name)}</a>']
    if found.user.admin:
        parts.append('<a href="/admin/users">Users</a>')
    if not found.via_proxy:
        parts.append(
            '<form class="logout" action="/logout" method="post">'
            f'<input type="hidden" name="{FIELD}" value="{escape(found.csrf)}">'
            '<button type="submit">Log out</button></form>'
        )
    return '<div class="account">' + " ".join(parts) + "</div>"


def fill(body: bytes, csrf: str, menu: bytes) -> bytes:
    """A page's markers replaced: the CSRF field and meta with this token, the account menu with this menu."""
    token = escape(csrf).encode("ascii")
    field = b'<input type="hidden" name="' + FIELD.encode("ascii") + b'" value="' + token + b'">'
    body = body.replace(CSRF_MARK, field).replace(CSRF_META_MARK, b'<meta name="csrf-token" content="' + token + b'">')
    return body.replace(ACCOUNT_MARK, menu)


def fingerprint(found: Identity) -> str:
    """What a page's entity tag is suffixed with for this identity ('' for the anonymous reader of a site without
    accounts, whose pages are everyone's)."""
    if found.user is None and not found.accounts:
        return ""
    seen = "anonymous" if found.user is None else f"{found.user.id}|{found.user.name}|{found.user.admin}|{found.csrf}"
    return hashlib.blake2b(seen.encode("utf-8"), digest_size=6).hexdigest()


def _own_tags(value: str, suffix: str) -> str:
    """An If-None-Match value with only the tags this identity was given, their suffix taken off."""
    kept = []
    for tag in (part.strip() for part in value.split(",")):
        inner = tag.removeprefix("W/").strip('"')
        if suffix and inner.endswith("-" + suffix):
            kept.append('"' + inner[: -len(suffix) - 1] + '"')
        elif not suffix and "-" not in inner:
            kept.append(tag)
    return ", ".join(kept)


def _header(message: Message, name: bytes) -> bytes | None:
    """A header of a response start message."""
    for key, value in message.get("headers", []):
        if key.lower() == name:
            return bytes(value)
    return None


def _sets_cookie(headers: list[tuple[bytes, bytes]], name: str) -> bool:
    """Whether a response already sets a cookie of this name."""
    prefix = name.encode("ascii") + b"="
    return any(key.lower() == b"set-cookie" and value.startswith(prefix) for key, value in headers)


class AccountsMiddleware:
    """ASGI middleware: identify the request, enforce accounts.login_required, personalise HTML responses."""

    def __init__(self, app: ASGIApp, accounts: Accounts) -> None:
        """Wrap app with the accounts of its site."""
        self.app = app
        self.accounts = accounts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        found = self.accounts.identify(request)
        scope = dict(scope, state={**(scope.get("state") or {}), "identity": found})
        path = str(scope.get("path", ""))
        if self._walled(found, path):
            await self._wall(request, path)(scope, receive, send)
            return
        suffix = fingerprint(found)
        headers = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
        asked = request.headers.get("if-none-match")
        if asked:
            own = _own_tags(asked, suffix)
            if own:
                headers.append((b"if-none-match", own.encode("latin-1")))
        scope["headers"] = headers
        here = path + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
        await self.app(scope, receive, _Personaliser(send, found, suffix, menu_html(found, here), self.accounts))

    def _walled(self, found: Identity, path: str) -> bool:
        """Whether the login wall keeps this request out."""
        if not self.accounts.settings.login_required or found.user is not None:
            return False
        return not (path in ("/login", "/logout") or path.startswith(OPEN_PATHS) or exempt(path))

    @staticmethod
    def _wall(request: Request, path: str) -> Response:
        """The answer to a request kept out by the login wall: 401 JSON for the API, else the login page."""
        if path.startswith("/api/") or path == "/api" or path.endswith(".json"):
            body = error_body(401, "sign in first: this site's accounts.login_required is set")
            return Response(json.dumps(body), status_code=401, media_type="application/json")
        here = path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?" + urlencode({"next": here}), status_code=303)


class _Personaliser:
    """The send side of one request: fill in the markers of an HTML body, suffix its entity tag, set cookies."""

    def __init__(self, send: Send, found: Identity, suffix: str, menu: str, accounts: Accounts) -> None:
        """Personalise what is sent through send for this identity."""
        self.send = send
        self.found = found
        self.suffix = suffix
        self.menu = menu.encode("utf-8")
        self.accounts = accounts
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.needs_csrf_cookie = False  # a new anonymous CSRF token went into the page: the client must keep it

    async def __call__(self, message: Message) -> None:
        """Pass a message on, holding an HTML body until it is whole."""
        if message["type"] == "http.response.start":
            content_type = _header(message, b"content-type") or b""
            if content_type.startswith(b"text/html"):
                self.start = message
                return
            await self.send(self._started(message, b""))
            return
        if message["type"] == "http.response.body" and self.start is not None:
            self.chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = self._filled(b"".join(self.chunks))
            await self.send(self._started(self.start, body))
            await self.send({"type": "http.response.body", "body": body})
            return
        await self.send(message)

    def _filled(self, body: bytes) -> bytes:
        """The body filled in for this reader (a new anonymous CSRF token that went in must be set as a cookie)."""
        if CSRF_MARK in body or CSRF_META_MARK in body:
            self.needs_csrf_cookie = self.found.fresh_csrf
        return fill(body, self.found.csrf, self.menu)

    def _started(self, message: Message, body: bytes) -> Message:
        """The response start with the entity tag suffixed (every response: JSON twins may be a user's own too), the
        length of a filled body, and the cookies to set."""
        headers = [
            (k, v) for k, v in message.get("headers", []) if self.start is None or k.lower() != b"content-length"
        ]
        if self.start is not None:
            headers.append((b"content-length", str(len(body)).encode("ascii")))
        if self.suffix:
            headers = [
                (
                    k,
                    v[:-1] + b"-" + self.suffix.encode("ascii") + b'"'
                    if k.lower() == b"etag" and v.endswith(b'"')
                    else v,
                )
                for k, v in headers
            ]
        cookies = Response()
        if self.needs_csrf_cookie and not _sets_cookie(headers, CSRF_COOKIE):
            cookies.set_cookie(
                CSRF_COOKIE,
                self.found.csrf,
                max_age=CSRF_COOKIE_MAX_AGE,
                path="/",
                httponly=True,
                samesite="lax",
                secure=self.found.secure,
            )
        if not _sets_cookie(headers, SESSION_COOKIE):
            if self.found.renewed is not None and self.found.session is not None:
                self.accounts.set_session_cookie(cookies, self.found.session, self.found.secure)
            elif self.found.stale_session:
                clear_session_cookie(cookies, self.found.secure)
        headers += [(k, v) for k, v in cookies.raw_headers if k == b"set-cookie"]
        return {**message, "headers": headers}
