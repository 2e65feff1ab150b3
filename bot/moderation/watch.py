"""Reload the knowledge base when its files change (``labwire run --watch``, ``LABWIRE_WATCH``).

We poll modification times and sizes once a second instead of using inotify
through a library such as watchfiles: the directory holds a few hundred small
files, so a poll costs well under a millisecond, it behaves the same on Linux,
macOS, Docker bind mounts and network filesystems (where inotify events go
missing), and it adds no compiled dependency.  A change is acted on once the
fingerprint has been stable for one more poll, so a `git pull` writing many
files triggers one reload, not one per file.  The reload itself follows the
usual rule: swap only if everything validates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.moderation.files import knowledge_files

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
STOP_WITHIN = 10.0  # seconds a stopping watcher may take to finish a reload

Fingerprint = dict[str, tuple[int, int]]


def fingerprint(root: Path) -> Fingerprint:
    """``{relative path: (mtime_ns, size)}`` of every knowledge file."""
    out: Fingerprint = {}
    for path in knowledge_files(root):
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed while listing
            continue
        out[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return out


class KnowledgeWatcher:
    """Calls ``on_change`` after the files under ``root`` change and settle.

    :meth:`start` returns once the starting state is known, so every change made
    after it is seen; :meth:`stop` ends the loop between polls (a reload in
    progress finishes, so its database write is never cut off).
    """

    def __init__(self, root: Path, on_change: Callable[[], Awaitable[object]], *,
                 interval: float = POLL_SECONDS,
                 active: Callable[[], bool] | None = None) -> None:
        self.root = root
        self.on_change = on_change
        self.interval = interval
        # Watch only while this returns True (the process holding the deployment lock,
        # when knowledge is shared); a process taking over then sees what changed.
        self.active = active
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        last = await asyncio.to_thread(fingerprint, self.root)
        self._task = asyncio.create_task(self._watch(last), name="labwire-watch")
        log.info("watching knowledge directory",
                 extra={"root": str(self.root), "interval": self.interval})

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_WITHIN)

    async def _watch(self, last: Fingerprint) -> None:
        pending: Fingerprint | None = None
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=self.interval)
            if self._stop.is_set():
                break
            if self.active is not None and not self.active():
                continue
            current = await asyncio.to_thread(fingerprint, self.root)
            if current == last:
                pending = None
                continue
            if current != pending:  # still changing: wait for one quiet poll
                pending = current
                continue
            last, pending = current, None
            try:
                await self.on_change()
            except Exception:  # the watcher must outlive a failed reload
                log.exception("reload after a file change failed")
