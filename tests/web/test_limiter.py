"""The login limiter alone: failures per name and per address over a sliding window, forgotten on success."""

from __future__ import annotations

from newsfold.web.limiter import MAX_KEYS, LoginLimiter


def test_failures_counted_per_name_and_address_and_they_expire() -> None:
    limiter = LoginLimiter(per_name=2, per_address=3, window=60.0)
    assert limiter.retry_after("alice", "10.0.0.1", 0.0) == 0
    limiter.failed("alice", "10.0.0.1", 0.0)
    limiter.failed("Alice", "10.0.0.2", 10.0)  # names are counted case aside
    assert limiter.retry_after("alice", "10.0.0.3", 20.0) == 40.0  # until the first failure leaves the window
    assert limiter.retry_after("bob", "10.0.0.1", 20.0) == 0
    assert limiter.retry_after("alice", "10.0.0.3", 60.0) == 0  # the first has left: one in the window
    limiter.failed("bob", "10.0.0.1", 61.0)
    limiter.failed("carol", "10.0.0.1", 62.0)
    assert limiter.retry_after("dave", "10.0.0.1", 63.0) == 0  # two from this address in the window
    limiter.failed("dave", "10.0.0.1", 63.0)
    assert limiter.retry_after("erin", "10.0.0.1", 64.0) == 57.0  # three: the address waits for bob's to leave
    limiter.succeeded("ALICE")
    limiter.failed("alice", "10.0.0.9", 65.0)
    assert limiter.retry_after("alice", "10.0.0.9", 65.0) == 0


def test_memory_is_bounded() -> None:
    limiter = LoginLimiter(per_name=5, per_address=20, window=3600.0)
    for i in range(MAX_KEYS):  # MAX_KEYS names and one address: one key too many
        limiter.failed(f"user{i}", "10.0.0.1", float(i))
    assert limiter.tracked == MAX_KEYS
    assert limiter.retry_after("user0", "10.0.0.2", float(MAX_KEYS)) == 0  # idle longest: forgotten
    for _ in range(4):
        limiter.failed("user9999", "10.0.0.3", float(MAX_KEYS))
    assert limiter.retry_after("user9999", "10.0.0.4", float(MAX_KEYS)) > 0  # the newest kept
