"""How often: the per-user cooldown, and the rule that an answer is not posted twice.

- :class:`UserCooldown`: at most N questions per user per window, ``/ask`` and
  mentions together (``LABWIRE_ASK_COOLDOWN``).
- :class:`RecentAnswers`: the same answer is not posted twice in a channel within
  60 seconds; the second asker gets a link to the first.

Both are in memory and per process (one SQLite process), with an injectable
clock so tests and the benchmark can control time; memory is bounded by
dropping expired entries.  :class:`SharedCooldown` and :class:`SharedRecentAnswers`
keep the same rules in the database, so every process of a deployment counts
the same questions and two processes never both post one answer in a channel
within the window (PostgreSQL).  The delivery path awaits either through
:class:`CooldownGate` and :class:`AnswerClaims`.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.settings import Cooldown
from bot.storage.manners import MannersStore

MonotonicClock = Callable[[], float]
PRUNE_ABOVE = 10_000  # users tracked before expired ones are dropped


class CooldownGate(Protocol):
    async def hit(self, user_id: int) -> float:
        """Count one question; 0 when allowed, else the seconds until it would be."""
        ...

    async def should_notify(self, user_id: int) -> bool:
        """True once per window: where replies are public, say it only once."""
        ...


class UserCooldown:
    """At most ``rate`` actions per ``per`` seconds per user (rate 0 = no limit)."""

    def __init__(self, cooldown: Cooldown, clock: MonotonicClock = time.monotonic) -> None:
        self.rate = cooldown.rate
        self.per = cooldown.per
        self.clock = clock
        self._hits: dict[int, deque[float]] = {}
        self._notified: dict[int, float] = {}

    async def hit(self, user_id: int) -> float:
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

    async def should_notify(self, user_id: int) -> bool:
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


class SharedCooldown:
    """The same rule, counted in the database for every process (wall-clock time)."""

    def __init__(self, store: MannersStore, cooldown: Cooldown,
                 clock: MonotonicClock = time.time) -> None:
        self.store = store
        self.rate = cooldown.rate
        self.per = cooldown.per
        self.clock = clock

    async def hit(self, user_id: int) -> float:
        if self.rate <= 0:
            return 0.0
        return await self.store.hit(user_id, self.clock(), self.rate, self.per)

    async def should_notify(self, user_id: int) -> bool:
        return await self.store.should_notify(user_id, self.clock(), self.per)


@dataclass
class RecentAnswer:
    posted_at: float
    message_id: int | None = None
    jump_url: str | None = None


class AnswerClaims(Protocol):
    async def claim(self, channel_id: int, key: str) -> RecentAnswer | None:
        """Reserve posting ``key`` in the channel; return the earlier post if there is one."""
        ...

    async def settle(self, channel_id: int, key: str, message_id: int | None,
                     jump_url: str | None) -> None: ...

    async def release(self, channel_id: int, key: str) -> None:
        """The post failed: let the next asker try again."""
        ...


class RecentAnswers:
    """Which answers were posted publicly in which channel during the last ``window`` s."""

    def __init__(self, window: float, clock: MonotonicClock = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._posted: OrderedDict[tuple[int, str], RecentAnswer] = OrderedDict()

    async def claim(self, channel_id: int, key: str) -> RecentAnswer | None:
        """Reserve posting ``key`` in the channel; return the earlier post if there is one."""
        now = self.clock()
        self._expire(now)
        earlier = self._posted.get((channel_id, key))
        if earlier is not None:
            return earlier
        self._posted[(channel_id, key)] = RecentAnswer(now)
        return None

    async def settle(self, channel_id: int, key: str, message_id: int | None,
                     jump_url: str | None) -> None:
        entry = self._posted.get((channel_id, key))
        if entry is not None:
            entry.message_id, entry.jump_url = message_id, jump_url

    async def release(self, channel_id: int, key: str) -> None:
        """The post failed: let the next asker try again."""
        self._posted.pop((channel_id, key), None)

    def _expire(self, now: float) -> None:
        while self._posted:
            key, entry = next(iter(self._posted.items()))
            if now - entry.posted_at < self.window:
                break
            del self._posted[key]


class SharedRecentAnswers:
    """The same rule, claimed in the database for every process (wall-clock time)."""

    def __init__(self, store: MannersStore, window: float,
                 clock: MonotonicClock = time.time) -> None:
        self.store = store
        self.window = window
        self.clock = clock

    async def claim(self, channel_id: int, key: str) -> RecentAnswer | None:
        earlier = await self.store.claim(channel_id, key, self.clock(), self.window)
        if earlier is None:
            return None
        return RecentAnswer(earlier.claimed_at, earlier.message_id, earlier.jump_url)

    async def settle(self, channel_id: int, key: str, message_id: int | None,
                     jump_url: str | None) -> None:
        await self.store.settle(channel_id, key, message_id, jump_url)

    async def release(self, channel_id: int, key: str) -> None:
        await self.store.release(channel_id, key)


def jump_url(guild_id: int | None, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"
