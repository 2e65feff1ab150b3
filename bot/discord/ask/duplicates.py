"""The duplicate rule: the same answer is not posted twice in a channel within 60 seconds.

The second asker gets a link to the first answer instead.  In memory and per
process, with an injectable clock; memory is bounded by expiring old posts.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

MonotonicClock = Callable[[], float]


@dataclass
class RecentAnswer:
    posted_at: float
    message_id: int | None = None
    jump_url: str | None = None


class RecentAnswers:
    """Which answers were posted publicly in which channel during the last ``window`` s."""

    def __init__(self, window: float, clock: MonotonicClock = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._posted: OrderedDict[tuple[int, Hashable], RecentAnswer] = OrderedDict()

    def claim(self, channel_id: int, key: Hashable) -> RecentAnswer | None:
        """Reserve posting ``key`` in the channel; return the earlier post if there is one."""
        now = self.clock()
        self._expire(now)
        earlier = self._posted.get((channel_id, key))
        if earlier is not None:
            return earlier
        self._posted[(channel_id, key)] = RecentAnswer(now)
        return None

    def settle(self, channel_id: int, key: Hashable, message_id: int | None,
               jump_url: str | None) -> None:
        entry = self._posted.get((channel_id, key))
        if entry is not None:
            entry.message_id, entry.jump_url = message_id, jump_url

    def release(self, channel_id: int, key: Hashable) -> None:
        """The post failed: let the next asker try again."""
        self._posted.pop((channel_id, key), None)

    def _expire(self, now: float) -> None:
        while self._posted:
            key, entry = next(iter(self._posted.items()))
            if now - entry.posted_at < self.window:
                break
            del self._posted[key]


def jump_url(guild_id: int | None, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"
