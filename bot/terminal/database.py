"""Opening the database from a terminal command: one clear line when it fails, always closed.

Every ``labwire`` command that touches the database goes through :func:`opened`.
A file that is not SQLite, a folder that cannot be created, a database that is
locked or a PostgreSQL server that cannot be reached becomes an
:class:`UnusableDatabaseError` whose message names the database and what is
wrong; the command prints it as one line and exits 1.  The connection is closed
on every path: aiosqlite's worker thread would otherwise keep the process alive
after the command has finished.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.storage import Database, DatabaseError, DatabaseURLError, parse_database_url
from bot.storage.connect import connect_database


class UnusableDatabaseError(Exception):
    """The database cannot be used; the message is one line naming it and the cause."""


def describe(path: Path, error: BaseException) -> str:
    """What went wrong with the SQLite database at ``path``, in words a user can act on."""
    text = str(error)
    if path.is_dir():
        return f"{path} is a folder; the database is a file (e.g. {path / 'labwire.sqlite3'})"
    if isinstance(error, sqlite3.DatabaseError) and "file is not a database" in text:
        return (f"{path} is not an SQLite database; point --db or LABWIRE_DB at "
                "Labwire's database file (or at a new file name)")
    if isinstance(error, sqlite3.DatabaseError) and "malformed" in text:
        return f"the database {path} is damaged ({text}); restore a backup (labwire db restore)"
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return f"the database {path} is locked by another process; try again when it is done"
    if isinstance(error, sqlite3.OperationalError) and "unable to open" in text:
        return f"cannot open the database {path}: its folder is not writable"
    if isinstance(error, sqlite3.OperationalError) and "readonly" in text:
        return f"cannot write to the database {path}: the file or its folder is read-only"
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if isinstance(error, OSError) and blocking is not None:
        return f"cannot create the database {path}: {blocking} is a file, not a folder"
    if isinstance(error, OSError):
        reason = error.strerror or text
        where = f" ({error.filename})" if error.filename and str(error.filename) != str(path) \
            else ""
        return f"cannot create the database {path}: {reason}{where}"
    return f"cannot use the database {path}: {text}"


def _explained(url: str, error: BaseException) -> UnusableDatabaseError:
    """One line for ``error``: SQLite's cause in a user's words, otherwise storage's own line."""
    try:
        path = parse_database_url(url).path
    except DatabaseURLError:
        path = None
    cause = error if isinstance(error, (OSError, sqlite3.Error)) else error.__cause__
    if path is not None and isinstance(cause, (OSError, sqlite3.Error)):
        return UnusableDatabaseError(describe(path, cause))
    return UnusableDatabaseError(str(error))


async def connect(url: str, *, create: bool = True) -> Database:
    """The migrated database ``url`` names; :class:`UnusableDatabaseError` if it cannot be."""
    try:
        target = parse_database_url(url)
        if target.path is not None and create:
            await asyncio.to_thread(_can_open, target.path)
        return await connect_database(url, create=create)
    except (OSError, sqlite3.Error, DatabaseError, DatabaseURLError) as exc:
        raise _explained(url, exc) from exc


def _can_open(path: Path) -> None:
    """Open the file once with plain sqlite3 first.

    When aiosqlite cannot open a file (a folder, no permission), its worker thread
    outlives the failure and prints a traceback once the event loop has closed; a
    plain sqlite3 connection fails the same way without leaving anything behind.
    """
    if str(path) == ":memory:":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    sqlite3.connect(path).close()


@asynccontextmanager
async def opened(url: str, *, create: bool = True) -> AsyncIterator[Database]:
    """``async with opened(url) as db``: migrated, closed on every path, errors in one line."""
    db = await connect(url, create=create)
    try:
        yield db
    except (sqlite3.Error, DatabaseError) as exc:
        raise _explained(url, exc) from exc
    finally:
        await db.close()
