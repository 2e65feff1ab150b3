"""The SQLite backend: one aiosqlite connection, WAL, serialised writes.

The embedded default: no server, one file, one process.  Every coroutine shares
the connection, so writers take turns (interleaved BEGIN/COMMIT on one
connection would mix their work); readers never wait for a writer in WAL mode.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.database import (
    Database,
    DatabaseError,
    DatabaseUnavailableError,
    IntegrityError,
    Params,
    Row,
    utc_text,
)
from bot.storage.migrations import Migration, sqlite_statements
from bot.storage.urls import DatabaseTarget

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Driver errors as the backend-neutral ones callers catch."""
    try:
        yield
    except sqlite3.IntegrityError as exc:
        raise IntegrityError(str(exc)) from exc
    except sqlite3.Error as exc:
        raise DatabaseError(f"SQLite: {exc}") from exc


@asynccontextmanager
async def _async_translated_errors() -> AsyncIterator[None]:
    with _translated_errors():
        yield


class _SQLiteTransaction:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        with _translated_errors():
            cursor = await self._conn.execute(sql, tuple(params))
        return int(cursor.rowcount)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with _translated_errors():
            async with self._conn.execute(sql, tuple(params)) as cursor:
                row: Row | None = await cursor.fetchone()
                return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with _translated_errors():
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]


def _location(path: str, create: bool) -> str:
    """The URI to open: creating the folder, or refusing a missing file when not ``create``."""
    if path == ":memory:":
        return "file::memory:"
    file = Path(path)
    if create:
        file.parent.mkdir(parents=True, exist_ok=True)
        return file.resolve().as_uri()
    if not file.is_file():
        raise DatabaseUnavailableError(
            f"no database at {path} (set LABWIRE_DATABASE_URL or LABWIRE_DB, or pass --db)")
    return f"{file.resolve().as_uri()}?mode=rw"


async def _switch_to_wal(conn: aiosqlite.Connection) -> None:
    """Put the file in WAL mode, waiting out another process doing the same.

    Two connections switching a new file at once can deadlock on the lock upgrade, and
    SQLite then answers "database is locked" at once instead of calling the busy handler:
    so this retries, for as long as the busy timeout would have waited.
    """
    delay, waited = 0.01, 0.0
    while True:
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or waited >= BUSY_TIMEOUT_MS / 1000:
                raise
        await asyncio.sleep(delay)
        waited += delay
        delay = min(delay * 2, 0.25)


class SQLiteDatabase(Database):
    """An open SQLite file (or ``:memory:``)."""

    backend = "sqlite"

    def __init__(self, target: DatabaseTarget, conn: aiosqlite.Connection) -> None:
        super().__init__(target)
        self.conn = conn
        self._reader = _SQLiteTransaction(conn)
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, target: DatabaseTarget, *, create: bool = True) -> SQLiteDatabase:
        """Open the file, creating it (and its directory) unless ``create`` is false."""
        path = str(target.path)
        try:
            location = await asyncio.to_thread(_location, path, create)
            conn = await aiosqlite.connect(location, uri=True, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise DatabaseUnavailableError(
                f"cannot open the SQLite database {path}: {exc}") from exc
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            await _switch_to_wal(conn)
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
        except BaseException as exc:
            # aiosqlite's worker thread keeps the process alive until the connection is
            # closed: a file that is not a database would otherwise hang the command.
            await conn.close()
            if isinstance(exc, sqlite3.Error):
                raise DatabaseUnavailableError(
                    f"cannot use the database {path}: {exc}") from exc
            raise
        return cls(target, conn)

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[_SQLiteTransaction]:
        """A transaction that is committed when the block ends, rolled back on error.

        Writes from concurrent coroutines are serialised: they share one
        connection.  BEGIN IMMEDIATE takes SQLite's write lock at once, so
        another process's writer waits (up to the busy timeout) instead of
        failing half-way.  Commit and rollback are shielded from cancellation:
        a writer cancelled mid-way (a shutdown, a timeout) must not leave a
        transaction open for the next one.
        """
        async with self._write_lock, _async_translated_errors():
            if self.conn.in_transaction:  # left open by a writer cancelled inside BEGIN
                log.warning("rolling back a transaction left open by a cancelled writer")
                await asyncio.shield(self.conn.execute("ROLLBACK"))
            begin = asyncio.ensure_future(self.conn.execute("BEGIN IMMEDIATE"))
            try:
                await asyncio.shield(begin)
            except asyncio.CancelledError:
                await begin  # BEGIN runs in aiosqlite's thread either way: undo it
                await asyncio.shield(self.conn.execute("ROLLBACK"))
                raise
            try:
                yield _SQLiteTransaction(self.conn)
            except BaseException:
                await asyncio.shield(self.conn.execute("ROLLBACK"))
                raise
            await asyncio.shield(self.conn.execute("COMMIT"))

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._reader.fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        return await self._reader.fetchone(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        return await self._reader.fetchval(sql, params)

    async def tables(self) -> set[str]:
        rows = await self.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {str(r[0]) for r in rows}

    async def columns(self, table: str) -> list[str]:
        rows = await self.fetchall("SELECT name FROM pragma_table_info(?)", (table,))
        return [str(r[0]) for r in rows]

    async def _create_migrations_table(self) -> None:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )

    async def _apply(self, migration: Migration) -> bool:
        async with self.write() as tx:
            # Checked again under the write lock: another process may have just applied it.
            if await tx.fetchone("SELECT 1 FROM schema_migrations WHERE version = ?",
                                 (migration.version,)):
                return False
            for statement in sqlite_statements(migration.sqlite):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, utc_text()))
        return True
