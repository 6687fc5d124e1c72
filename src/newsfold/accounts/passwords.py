"""Password hashing with argon2id (argon2-cffi): hashes carry their own salt and parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from newsfold.errors import InputError

MIN_LENGTH = 8
MAX_LENGTH = 1024


def _hasher() -> PasswordHasher:
    """The hasher with argon2-cffi's recommended parameters (RFC 9106's low-memory profile)."""
    return PasswordHasher()


def check_password(password: str) -> str:
    """The password, if it is acceptable; else an InputError saying why."""
    if len(password) < MIN_LENGTH:
        raise InputError("password", f"shorter than {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise InputError("password", f"longer than {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a password, salted, in the PHC string format."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash (constant time); False, never an error, for a malformed or missing hash."""
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's (rehash on the next good login)."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True
