"""In-flight interactions: one INFO line each (command, latency, outcome) and graceful drain.

The bot calls :meth:`InteractionTracker.begin` when an interaction arrives
(in ``LabwireBot.dispatch``, before any handler runs), handlers wrap their work
in :meth:`span` and set ``span.outcome``, and the error handler finishes the
ones that fail.  Shutdown calls :meth:`stop_accepting` (new work is refused with
:class:`~bot.discord.errors.ShuttingDown`) and waits on :meth:`wait_idle`.  The
log line never contains the user's text or any token.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.discord.errors import ShuttingDown

log = logging.getLogger(__name__)

# An interaction nobody handled (a click on a view from before a restart) must
# not hold up shutdown forever.
ABANDONED_AFTER = 30.0


@dataclass
class Span:
    command: str
    outcome: str = "ok"


class InteractionTracker:
    KEEP_OUTCOMES = 1000

    def __init__(self) -> None:
        self._started: dict[int, float] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        # Recent outcomes, so a caller (a test, a benchmark) can wait without racing.
        self._outcomes: OrderedDict[int, str] = OrderedDict()
        self._waiters: dict[int, list[asyncio.Future[str]]] = {}
        self.accepting = True

    def stop_accepting(self) -> None:
        """From now on, new interactions are refused politely (the bot is draining)."""
        self.accepting = False

    def ensure_accepting(self) -> None:
        if not self.accepting:
            raise ShuttingDown()

    def begin(self, key: int) -> None:
        self._started.setdefault(key, time.perf_counter())
        self._idle.clear()

    def finish(
        self, key: int, command: str, outcome: str, *, quiet: bool = False, **fields: object
    ) -> None:
        """Log the interaction's line once (DEBUG if ``quiet``); later calls do nothing."""
        started = self._started.pop(key, None)
        if started is None:
            return
        latency_ms = round((time.perf_counter() - started) * 1000, 2)
        log.log(
            logging.DEBUG if quiet else logging.INFO,
            "interaction %s %s %.1f ms", command, outcome, latency_ms,
            extra={"command": command, "latency_ms": latency_ms, "outcome": outcome, **fields},
        )
        self._outcomes[key] = outcome
        if len(self._outcomes) > self.KEEP_OUTCOMES:
            self._outcomes.popitem(last=False)
        for future in self._waiters.pop(key, []):
            if not future.done():
                future.set_result(outcome)
        if not self._started:
            self._idle.set()

    async def finished(self, key: int) -> str:
        """The outcome of interaction ``key``, waiting for it if it is still in flight."""
        if key in self._outcomes:
            return self._outcomes[key]
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(key, []).append(future)
        return await future

    @property
    def in_flight(self) -> int:
        return len(self._started)

    @asynccontextmanager
    async def span(self, key: int, command: str, *, quiet: bool = False) -> AsyncIterator[Span]:
        """Work for one interaction; on an exception the error handler finishes it.

        ``quiet`` logs at DEBUG (autocomplete runs on every keystroke).
        """
        self.begin(key)
        span = Span(command)
        yield span
        self.finish(key, command, span.outcome, quiet=quiet)

    async def wait_idle(self, grace: float) -> bool:
        """Wait until nothing is in flight (at most ``grace`` s); False if time ran out."""
        deadline = time.monotonic() + grace
        while True:
            self._drop_abandoned()
            if not self._started:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                await asyncio.wait_for(self._idle.wait(), remaining)
            except TimeoutError:
                continue

    def _drop_abandoned(self) -> None:
        cutoff = time.perf_counter() - ABANDONED_AFTER
        for key in [k for k, t in self._started.items() if t < cutoff]:
            self._started.pop(key, None)
        if not self._started:
            self._idle.set()
