"""Every process applies every process's knowledge edits (PostgreSQL, issue 15 item 3).

A recorded revision sends a database notice; :class:`KnowledgeSync` wakes on it
and has the editor apply what was stored since its last look
(:meth:`~bot.moderation.editor.KnowledgeEditor.apply_stored`).  Notices can be
missed (the listening connection drops, the server restarts), so it also looks
every ``check_seconds`` whatever happens, and listens again when its
connection is gone.  SQLite runs one process and never starts this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.moderation.editor import KnowledgeEditor
from bot.storage.database import Database, DatabaseError, Listener
from bot.storage.moderation import REVISIONS_CHANNEL

log = logging.getLogger(__name__)

CHECK_SECONDS = 30.0  # the fallback when a notice is missed
STOP_WITHIN = 10.0  # seconds a stopping sync may take to finish applying

Applied = Callable[[list[str]], None]


class KnowledgeSync:
    """Applies stored revisions when told to (a notice) and every ``check_seconds``."""

    def __init__(self, editor: KnowledgeEditor, db: Database, *,
                 check_seconds: float = CHECK_SECONDS, listen: bool = True,
                 on_applied: Applied | None = None) -> None:
        self.editor = editor
        self.db = db
        self.check_seconds = check_seconds
        self.listen = listen  # False only in tests of the fallback
        self.on_applied = on_applied
        self._listener: Listener | None = None
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Listen first, then catch up: an edit made in between is heard, not lost."""
        await self._ensure_listening()
        await self._apply()
        self._task = asyncio.create_task(self._forever(), name="labwire-knowledge-sync")
        log.info("following knowledge edits of every process",
                 extra={"notices": self._listener is not None,
                        "check_seconds": self.check_seconds})

    async def stop(self) -> None:
        self._stop.set()
        self._wake.set()  # end the wait for a notice now
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_WITHIN)
        if self._listener is not None:
            await self._listener.close()
            self._listener = None

    async def _forever(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.check_seconds)
            if self._stop.is_set():
                break
            self._wake.clear()
            await self._ensure_listening()
            await self._apply()

    async def _apply(self) -> None:
        try:
            files = await self.editor.apply_stored()
        except Exception as exc:  # the next notice or check tries again
            log.warning("could not apply stored knowledge revisions",
                        extra={"error": f"{type(exc).__name__}: {exc}"})
            return
        if files and self.on_applied is not None:
            self.on_applied(files)

    async def _ensure_listening(self) -> None:
        if not self.listen or (self._listener is not None and self._listener.alive):
            return
        try:
            self._listener = await self.db.listen(REVISIONS_CHANNEL, self._wake.set)
        except DatabaseError as exc:
            self._listener = None
            log.warning("cannot listen for knowledge edits now; checking every "
                        f"{self.check_seconds:g} s", extra={"error": str(exc)})
