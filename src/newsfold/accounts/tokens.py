"""Secret tokens (sessions, API logins, CSRF): random, url-safe, and stored only as their sha256 digest."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32


def new_token() -> str:
    """A new random url-safe token (32 bytes of entropy)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The sha256 hex digest of a token: what the store keeps instead of the token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_token(given: str, expected: str) -> bool:
    """Whether two tokens are equal, compared in constant time."""
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))
