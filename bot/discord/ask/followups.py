"""Follow-ups: which earlier answer a new question is about.

"so did they win in court?" only makes sense after the answer it follows.  A
question is read against an earlier answer's entry (the engine's ``context``) when

1. it is a reply to one of the bot's answer messages;
2. it is asked in a thread started from one of the bot's answers, or in a thread
   where the bot has answered before;
3. the same user asked in the same channel within the last two minutes.

The last answers are kept in memory, bounded and expiring; an answer message the
bot no longer remembers (after a restart) is looked up in the question log by
its message id.  The engine decides whether the context is used: a question that
stands on its own is answered on its own.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.knowledge import EntryKey

MonotonicClock = Callable[[], float]
FOLLOW_UP_SECONDS = 120.0  # a question this soon after your answer, same channel, follows it
REMEMBERED_ANSWERS = 10_000  # answer messages kept for replies (older ones: the question log)

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Asked:
    """Where a question was asked, as far as follow-ups care."""

    channel_id: int | None
    user_id: int
    reply_to: int | None = None  # the message this question replies to
    thread_id: int | None = None  # the thread it was asked in


@dataclass(frozen=True)
class _Seen:
    key: EntryKey
    at: float


class _Recent(Generic[K]):
    """A bounded map whose entries expire ``ttl`` seconds after they were set."""

    def __init__(self, ttl: float, size: int, clock: MonotonicClock) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self._items: OrderedDict[K, _Seen] = OrderedDict()

    def set(self, key: K, entry: EntryKey) -> None:
        self._items.pop(key, None)
        self._items[key] = _Seen(entry, self.clock())
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, key: K) -> EntryKey | None:
        seen = self._items.get(key)
        if seen is None:
            return None
        if self.clock() - seen.at > self.ttl:
            del self._items[key]
            return None
        return seen.key


class Conversations:
    """The bot's recent answers: by message, by thread, and by (channel, user)."""

    def __init__(self, clock: MonotonicClock = time.monotonic, *,
                 window: float = FOLLOW_UP_SECONDS, size: int = REMEMBERED_ANSWERS) -> None:
        forever = float("inf")  # messages and threads do not go stale, they only fall out
        self.messages: _Recent[int] = _Recent(forever, size, clock)
        self.threads: _Recent[int] = _Recent(forever, size, clock)
        self.recent: _Recent[tuple[int | None, int]] = _Recent(window, size, clock)

    def answered(self, asked: Asked, message_id: int | None, entry: EntryKey) -> None:
        """The bot posted an answer about ``entry`` for this question."""
        if message_id is not None:
            self.messages.set(message_id, entry)
        if asked.thread_id is not None:
            self.threads.set(asked.thread_id, entry)
        self.recent.set((asked.channel_id, asked.user_id), entry)

    def about_message(self, message_id: int) -> EntryKey | None:
        """The entry of an answer message, or of the answer a thread started from (a
        thread started from a message has that message's id), or of the thread's last
        answer."""
        return self.messages.get(message_id) or self.threads.get(message_id)

    def latest(self, asked: Asked) -> EntryKey | None:
        """The entry of this user's last answer in this channel, if it is recent."""
        return self.recent.get((asked.channel_id, asked.user_id))
