"""Reload the knowledge base when its files change (``labwire run --watch``).

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
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.moderation.files import knowledge_files

log = logging.getLogger(__name__)

WATCH_ENV = "LABWIRE_WATCH"
POLL_ENV = "LABWIRE_WATCH_POLL_SECONDS"
POLL_SECONDS = 1.0

Fingerprint = dict[str, tuple[int, int]]


def watch_enabled(env: dict[str, str] | os._Environ[str] | None = None) -> bool:
    value = (os.environ if env is None else env).get(WATCH_ENV, "").strip().lower()
    return value in ("1", "true", "yes", "on")


def watch_interval(env: dict[str, str]) -> float:
    """Seconds between polls: ``LABWIRE_WATCH_POLL_SECONDS``, default 1."""
    raw = env.get(POLL_ENV, "").strip()
    try:
        value = float(raw) if raw else POLL_SECONDS
    except ValueError:
        raise ValueError(f"{POLL_ENV}: '{raw}' is not a number of seconds") from None
    if not value > 0:
        raise ValueError(f"{POLL_ENV}: must be more than 0")
    return value


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


async def watch_knowledge(
    root: Path,
    on_change: Callable[[], Awaitable[object]],
    *,
    interval: float = POLL_SECONDS,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
) -> None:
    """Call ``on_change`` after the files under ``root`` change and settle; until ``stop``.

    ``ready`` is set once the starting state is known: changes after that are seen.
    """
    stop = stop or asyncio.Event()
    last = await asyncio.to_thread(fingerprint, root)
    if ready is not None:
        ready.set()
    pending: Fingerprint | None = None
    log.info("watching knowledge directory", extra={"root": str(root), "interval": interval})
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)
        if stop.is_set():
            break
        current = await asyncio.to_thread(fingerprint, root)
        if current == last:
            pending = None
            continue
        if current != pending:  # still changing: wait for one quiet poll
            pending = current
            continue
        last, pending = current, None
        try:
            await on_change()
        except Exception:  # the watcher must outlive a failed reload
            log.exception("reload after a file change failed")
