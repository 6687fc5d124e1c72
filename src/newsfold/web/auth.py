"""Who a request comes from (a session cookie, or a trusted reverse proxy's user header) and the sessions themselves.

A session is a random token in an HttpOnly, SameSite=Lax cookie (Secure over https), stored only as its digest in
user_tokens (kind 'web') with an expiry that each day of use pushes back (sliding renewal).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from fastapi import HTTPException, Request
from starlette.responses import Response

from newsfold.accounts.passwords import hash_password, needs_rehash, verify_password
from newsfold.accounts.tokens import new_token, token_digest
from newsfold.config import Config
from newsfold.errors import ConfigError, InputError, NewsfoldError
from newsfold.store import accounts as accounts_db
from newsfold.store.accounts import User
from newsfold.store.db import Database
from newsfold.web.csrf import session_csrf
from newsfold.web.limiter import LoginLimiter

log = logging.getLogger(__name__)

SESSION_COOKIE = "newsfold_session"
CSRF_COOKIE = "newsfold_csrf"
CSRF_COOKIE_MAX_AGE = 365 * 24 * 3600
# what new_token() makes: 43 url-safe characters; any other cookie value is not looked up at all
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# a session is renewed (its expiry and cookie moved) at most once in this long
RENEW_EVERY = timedelta(days=1)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class LoginRequiredError(NewsfoldError):
    """The request needs a signed-in user: 401 for the API, a redirect to the login page for pages."""


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """The accounts settings of one site (accounts.* in config.py)."""

    login_required: bool = False
    session_lifetime: timedelta = timedelta(days=30)
    proxy_header: str = ""
    trusted_proxies: tuple[Network, ...] = ()
    login_attempts: int = 5
    login_window: float = 900.0

    @classmethod
    def from_config(cls, config: Config) -> AccountSettings:
        """The settings from a configuration; ConfigError for a malformed proxy address."""
        proxies = []
        for value in config["accounts.trusted_proxies"]:
            try:
                proxies.append(ipaddress.ip_network(str(value), strict=False))
            except ValueError as exc:
                raise ConfigError(f"accounts.trusted_proxies: {value!r} is not an address or network") from exc
        return cls(
            login_required=bool(config["accounts.login_required"]),
            session_lifetime=timedelta(days=max(1, int(config["accounts.session_days"]))),
            proxy_header=str(config["accounts.trust_proxy_header"]).strip().lower(),
            trusted_proxies=tuple(proxies),
            login_attempts=max(1, int(config["accounts.login_attempts"])),
            login_window=float(config["accounts.login_window"]),
        )


@dataclass(frozen=True, slots=True)
class Identity:
    """Who one request comes from, and the CSRF token its forms must carry."""

    user: User | None
    csrf: str
    fresh_csrf: bool  # a new anonymous token, not yet the client's cookie (so no request can carry it yet)
    accounts: bool  # whether the site has any users (with none, it is a single reader's, open to all)
    address: str  # the client's address (the one a trusted proxy forwarded for)
    secure: bool  # whether the request came over https
    session: str | None = None  # the session token in effect
    renewed: datetime | None = None  # the session's new expiry, when this request renewed it
    stale_session: bool = False  # the request carried a session cookie that is malformed, unknown or expired
    via_proxy: bool = False  # the user was named by a trusted proxy's header


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """A time as the store keeps it."""
    return accounts_db.stamp(moment.isoformat())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    """Whether an address lies in one of the trusted networks."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


@dataclass(slots=True)
class Accounts:
    """The accounts side of one app (app.state.accounts): its settings, login limiter and sessions in the store."""

    db: Database
    settings: AccountSettings
    limiter: LoginLimiter = field(init=False)
    _dummy_hash: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        """Make this app's login limiter."""
        attempts = self.settings.login_attempts
        self.limiter = LoginLimiter(attempts, attempts * 4, self.settings.login_window)

    def peer(self, request: Request) -> tuple[str, bool]:
        """The client's address (a trusted proxy's X-Forwarded-For believed) and whether it is a trusted proxy."""
        address = request.client.host if request.client else ""
        trusted = _trusted(address, self.settings.trusted_proxies)
        forwarded = request.headers.get("x-forwarded-for", "")
        if trusted and forwarded:
            return forwarded.split(",")[-1].strip() or address, True
        return address, trusted

    def identify(self, request: Request, now: datetime | None = None) -> Identity:
        """Who the request comes from: a trusted proxy's user header, else a live session cookie, else nobody."""
        now = now or utc_now()
        address, from_proxy = self.peer(request)
        with self.db.read() as conn:
            accounts = accounts_db.count_users(conn) > 0
        secure = request.url.scheme == "https"
        user = None
        if self.settings.proxy_header:
            named = request.headers.get(self.settings.proxy_header, "").strip()
            if named and from_proxy:
                user = self.proxy_user(named, now)
            elif named:
                log.warning("ignored %s header from untrusted address %s", self.settings.proxy_header, address)
        if user is not None:
            csrf, fresh = self._anonymous_csrf(request)
            return Identity(user, csrf, fresh, True, address, secure, via_proxy=True)
        cookie = request.cookies.get(SESSION_COOKIE)
        session, renewed = None, None
        if cookie and TOKEN_PATTERN.fullmatch(cookie):
            user, renewed = self._session_user(cookie, now)
            session = cookie if user is not None else None
        if session is not None:
            return Identity(user, session_csrf(session), False, accounts, address, secure, session, renewed)
        csrf, fresh = self._anonymous_csrf(request)
        return Identity(None, csrf, fresh, accounts, address, secure, stale_session=cookie is not None)

    @staticmethod
    def _anonymous_csrf(request: Request) -> tuple[str, bool]:
        """The CSRF token of a request without a session: its CSRF cookie's, else a new one."""
        cookie = request.cookies.get(CSRF_COOKIE)
        if cookie and TOKEN_PATTERN.fullmatch(cookie):
            return cookie, False
        return new_token(), True

    def _session_user(self, token: str, now: datetime) -> tuple[User | None, datetime | None]:
        """The user of a live session and, when it was due, the session's new expiry."""
        digest = token_digest(token)
        with self.db.read() as conn:
            user = accounts_db.user_for_token(conn, "web", digest, now=iso(now))
            expires = accounts_db.token_expiry(conn, "web", digest) if user is not None else None
        if user is None or expires is None:
            return user, None
        renewed = now + self.settings.session_lifetime
        if datetime.fromisoformat(expires) > renewed - RENEW_EVERY:
            return user, None
        with self.db.write() as conn:
            accounts_db.renew_token(conn, "web", digest, expires=iso(renewed))
        return user, renewed

    def proxy_user(self, name: str, now: datetime) -> User | None:
        """The user a trusted proxy names, added (without a password) on first sight; None for an invalid name."""
        try:
            accounts_db.check_name(name)
        except InputError as exc:
            log.warning("ignored proxy user header: %s", exc)
            return None
        with self.db.read() as conn:
            user = accounts_db.user_by_name(conn, name)
        if user is not None:
            return user
        try:
            with self.db.write() as conn:
                user = accounts_db.user_by_name(conn, name) or accounts_db.add_user(conn, name, None, now=iso(now))
        except InputError as exc:  # another user's name in another case
            log.warning("ignored proxy user header: %s", exc)
            return None
        log.info("added user %s, named by the proxy", name)
        return user

    def authenticate(self, name: str, password: str) -> User | None:
        """The user whose name and password these are, else None, in about the same time either way (a missing
        user's password is checked against a dummy hash); a hash made with weaker parameters is replaced."""
        with self.db.read() as conn:
            user = accounts_db.user_by_name(conn, name)
            stored = accounts_db.password_hash(conn, user.id) if user is not None else None
        if user is None or stored is None:
            if self._dummy_hash is None:
                self._dummy_hash = hash_password(new_token())
            verify_password(self._dummy_hash, password)
            return None
        if not verify_password(stored, password):
            return None
        if needs_rehash(stored):
            with self.db.write() as conn:
                accounts_db.set_password_hash(conn, user.id, hash_password(password))
        return user

    def start_session(self, user: User, now: datetime | None = None) -> tuple[str, datetime]:
        """A new session for the user: its token (for the cookie) and expiry; expired sessions are cleared out."""
        now = now or utc_now()
        token, expires = new_token(), now + self.settings.session_lifetime
        with self.db.write() as conn:
            accounts_db.remove_expired_tokens(conn, now=iso(now))
            accounts_db.add_token(conn, user.id, "web", token_digest(token), now=iso(now), expires=iso(expires))
        return token, expires

    def end_session(self, token: str) -> None:
        """End one session (a logout)."""
        with self.db.write() as conn:
            accounts_db.remove_token(conn, "web", token_digest(token))

    def set_session_cookie(self, response: Response, token: str, secure: bool) -> None:
        """Put the session token in its cookie: HttpOnly, SameSite=Lax, Secure over https, for the lifetime."""
        max_age = int(self.settings.session_lifetime.total_seconds())
        response.set_cookie(
            SESSION_COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure
        )


def clear_session_cookie(response: Response, secure: bool) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure)


def identity(request: Request) -> Identity | None:
    """What the accounts middleware found out about this request (None where it does not run)."""
    found = getattr(request.state, "identity", None)
    return found if isinstance(found, Identity) else None


def current_user(request: Request) -> User | None:
    """The signed-in user of this request, if any (a FastAPI dependency)."""
    found = identity(request)
    return found.user if found is not None else None


def require_user(request: Request) -> User:
    """The signed-in user (a FastAPI dependency): else 401 JSON for /api, a redirect to /login for pages."""
    user = current_user(request)
    if user is None:
        raise LoginRequiredError("sign in first")
    return user


def require_admin(request: Request) -> User:
    """The signed-in admin (a FastAPI dependency): 401 or the login page when signed out, 403 for a non-admin."""
    user = require_user(request)
    if not user.admin:
        raise HTTPException(status_code=403, detail=f"user {user.name!r} is not an admin")
    return user
