"""The login rate limiter: failed logins counted per user name and per client address over a sliding window."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

# at most this many names and addresses are tracked; beyond it the ones idle longest are forgotten first
MAX_KEYS = 10_000


@dataclass(slots=True)
class LoginLimiter:
    """Failures per name (at most `per_name`) and per address (at most `per_address`) within `window` seconds.

    State of one app (app.state.accounts.limiter), never a module global; safe to share between threads."""

    per_name: int
    per_address: int
    window: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> deque[float]:
        """The failures of one key within the window (older ones dropped)."""
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    @property
    def tracked(self) -> int:
        """How many names and addresses have failures on record."""
        with self._lock:
            return len(self._failures)

    def retry_after(self, name: str, address: str, now: float) -> float:
        """Seconds until a login for this name from this address may be tried again (0: now)."""
        with self._lock:
            wait = 0.0
            for key, limit in ((f"name:{name.lower()}", self.per_name), (f"addr:{address}", self.per_address)):
                times = self._recent(key, now)
                if len(times) >= limit:
                    wait = max(wait, times[-limit] + self.window - now)
            return wait

    def failed(self, name: str, address: str, now: float) -> None:
        """Count a failed login for this name and this address."""
        with self._lock:
            for key in (f"name:{name.lower()}", f"addr:{address}"):
                self._recent(key, now)
                times = self._failures.setdefault(key, deque())
                times.append(now)
                limit = self.per_name if key.startswith("name:") else self.per_address
                while len(times) > limit:
                    times.popleft()
            if len(self._failures) > MAX_KEYS:
                idle = sorted(self._failures, key=lambda k: self._failures[k][-1])
                for key in idle[: len(self._failures) - MAX_KEYS]:
                    del self._failures[key]

    def succeeded(self, name: str) -> None:
        """Forget the failures of a name that has just logged in (its address's stay counted)."""
        with self._lock:
            self._failures.pop(f"name:{name.lower()}", None)
