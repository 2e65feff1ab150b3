"""The duplicate rule: the same answer is not posted twice in a channel within 60 seconds.

The second asker gets a link to the first answer instead.  :class:`RecentAnswers`
keeps it in memory (one process: SQLite; memory bounded by expiring old posts);
:class:`SharedRecentAnswers` in the database, so two processes never both post
the same answer in a channel within the window (PostgreSQL).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.storage.manners import MannersStore

MonotonicClock = Callable[[], float]


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
