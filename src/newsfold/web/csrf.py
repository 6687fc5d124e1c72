"""CSRF protection: every unsafe request a cross-site form could send must carry this session's token.

A browser sends a cross-site request without asking first (CORS preflight) only when it is a "simple" one: a form's
content type (or none) and no Authorization header. Those are the requests a forged form can make, so those are
the ones checked; a request with another content type (JSON) or an Authorization header would need a preflight this
site never grants. The token is per session (derived from the session's secret, never stored) and, before a login,
that of a random cookie of its own (so the login form is protected too).
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qs

from fastapi import HTTPException, Request

from newsfold.accounts.tokens import same_token

FIELD = "csrf_token"
HEADER = "x-csrf-token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# paths whose requests carry their own credentials (tokens in headers or parameters, never cookies): the Google
# Reader and Fever APIs; extend this list for any other token-authenticated API
CSRF_EXEMPT: tuple[str, ...] = ("/api/greader/", "/api/fever/")
SIMPLE_TYPES = frozenset({"", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain"})
MAX_FORM = 64 * 1024
MISSING = "missing or stale CSRF token: reload the page and send the form again"


def session_csrf(session_token: str) -> str:
    """The CSRF token of a session: an HMAC of its secret (so neither the cookie nor the stored digest shows it)."""
    return hmac.new(session_token.encode("ascii"), b"newsfold csrf", hashlib.sha256).hexdigest()


def exempt(path: str) -> bool:
    """Whether a path belongs to a token-authenticated API that takes no cookies (CSRF_EXEMPT, or its root)."""
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in CSRF_EXEMPT)


def needs_token(request: Request) -> bool:
    """Whether this request is one a cross-site form could send: unsafe, simple, to a path that takes cookies."""
    if request.method not in UNSAFE or exempt(request.url.path):
        return False
    if "authorization" in request.headers:
        return False
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media in SIMPLE_TYPES


async def given_token(request: Request) -> str:
    """The CSRF token a request carries: its X-CSRF-Token header, else the csrf_token field of its form."""
    header = request.headers.get(HEADER)
    if header:
        return header
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/x-www-form-urlencoded":
        return ""
    body = await request.body()
    if len(body) > MAX_FORM:
        raise HTTPException(status_code=413, detail=f"form: larger than {MAX_FORM} bytes")
    values = parse_qs(body.decode("utf-8", "replace"), max_num_fields=64).get(FIELD) or [""]
    return values[0]


async def check_csrf(request: Request) -> None:
    """A dependency of every route: 403, before anything changes, for a forgeable request without this session's
    token (compared in constant time)."""
    if not needs_token(request):
        return
    expected = getattr(request.state, "identity", None)
    token = expected.csrf if expected is not None and not expected.fresh_csrf else ""
    given = await given_token(request)
    if not token or not given or not same_token(given, token):
        raise HTTPException(status_code=403, detail=MISSING)
