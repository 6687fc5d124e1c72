"""Passwords (argon2id) and tokens: a hash verifies only its password, a malformed one is False, digests are stable."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from newsfold.accounts.passwords import check_password, hash_password, needs_rehash, verify_password
from newsfold.accounts.tokens import new_token, same_token, token_digest
from newsfold.errors import InputError


def test_a_hash_verifies_its_password_only() -> None:
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert hashed != hash_password("correct horse battery")  # salted
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "correct horse batter")
    assert not verify_password(hashed, "")
    assert not needs_rehash(hashed)


@pytest.mark.parametrize(
    "bad", ["", "plain", "$argon2id$v=19$m=1,t=1,p=1$xx$yy", "$2b$12$abcdefghijklmnopqrstuv", None]
)
def test_a_malformed_or_missing_hash_is_false_never_an_error(bad: str | None) -> None:
    assert verify_password(bad, "anything at all") is False
    if bad is not None:
        assert needs_rehash(bad) is True


def test_a_weaker_hash_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("correct horse battery")
    assert verify_password(weak, "correct horse battery")
    assert needs_rehash(weak)


def test_password_length_checked() -> None:
    assert check_password("12345678") == "12345678"
    with pytest.raises(InputError, match="password: shorter than 8"):
        check_password("1234567")
    with pytest.raises(InputError, match="password: longer than 1024"):
        check_password("x" * 1025)


def test_tokens_are_random_url_safe_and_stored_as_digests() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 43 and t.replace("-", "").replace("_", "").isalnum() for t in tokens)
    token = next(iter(tokens))
    digest = token_digest(token)
    assert len(digest) == 64 and digest == token_digest(token) and token not in digest
    assert token_digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert same_token(token, token) and not same_token(token, token + "x") and not same_token("", token)
