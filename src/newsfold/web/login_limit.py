"""Wrong passwords slowed down: after a few failures for a name or from an address, logins wait a while."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# failures allowed within WINDOW seconds, per user name and per client address
MAX_FAILURES = 5
WINDOW = 60.0


class LoginLimiter:
    """Failed logins counted per name and per client address in a sliding window (one per API router)."""

    def __init__(
        self, max_failures: int = MAX_FAILURES, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """Allow max_failures failures per window seconds."""
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> list[float]:
        """The failures of a key within the window (older ones forgotten)."""
        kept = [t for t in self._failures.get(key, []) if now - t < self.window]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def allowed(self, name: str, client: str) -> bool:
        """Whether a login for name from client may be tried now."""
        now = self.clock()
        with self._lock:
            return all(len(self._recent(k, now)) < self.max_failures for k in (f"n:{name.lower()}", f"c:{client}"))

    def failed(self, name: str, client: str) -> None:
        """Count a failed login."""
        now = self.clock()
        with self._lock:
            for key in (f"n:{name.lower()}", f"c:{client}"):
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, name: str, client: str) -> None:
        """Forget a name's failures after a good login."""
        with self._lock:
            self._failures.pop(f"n:{name.lower()}", None)
