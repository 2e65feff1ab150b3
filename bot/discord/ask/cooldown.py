"""At most N questions per user per window, shared by ``/ask`` and mentions.

In memory and per process, with an injectable clock so tests and the benchmark
can control time; memory is bounded by pruning expired entries.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from bot.settings import Cooldown

MonotonicClock = Callable[[], float]
PRUNE_ABOVE = 10_000  # users tracked before expired ones are dropped


class UserCooldown:
    """At most ``rate`` actions per ``per`` seconds per user (rate 0 = no limit)."""

    def __init__(self, cooldown: Cooldown, clock: MonotonicClock = time.monotonic) -> None:
        self.rate = cooldown.rate
        self.per = cooldown.per
        self.clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._notified: dict[int, float] = {}

    def hit(self, user_id: int) -> float:
        """Count one action; return 0 when allowed, else the seconds until it would be."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.setdefault(user_id, deque())
        while hits and hits[0] <= now - self.per:
            hits.popleft()
        if len(hits) >= self.rate:
            return max(hits[0] + self.per - now, 0.01)
        hits.append(now)
        if len(self._hits) > PRUNE_ABOVE:
            self._prune(now)
        return 0.0

    def should_notify(self, user_id: int) -> bool:
        """True once per cooldown window: where replies are public, say it only once."""
        now = self.clock()
        last = self._notified.get(user_id)
        if last is not None and now - last < self.per:
            return False
        self._notified[user_id] = now
        return True

    def _prune(self, now: float) -> None:
        for user_id in [u for u, h in self._hits.items() if not h or h[-1] <= now - self.per]:
            del self._hits[user_id]
        for user_id in [u for u, t in self._notified.items() if now - t >= self.per]:
            del self._notified[user_id]
