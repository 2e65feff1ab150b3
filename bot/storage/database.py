"""One aiosqlite connection with numbered migrations, WAL and serialised writes.

Callers never touch SQL directly: each feature has a small repository (see
``repositories.py``) that takes a :class:`Database`.  A PostgreSQL deployment
would implement the same repository protocols.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

MIGRATION_RE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def bundled_migrations() -> list[tuple[int, str, str]]:
    """``(version, name, sql)`` for every numbered file in ``migrations/``, in order."""
    found = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = MIGRATION_RE.match(entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(versions) != len(set(versions)):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


class Database:
    """An open SQLite database; use ``async with Database.open(path) as db``."""

    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    @asynccontextmanager
    async def open(cls, path: str | Path) -> AsyncIterator[Database]:
        db = await cls.connect(path)
        try:
            yield db
        finally:
            await db.close()

    @classmethod
    async def connect(cls, path: str | Path) -> Database:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            db = cls(conn, path)
            await db.migrate()
        except BaseException:
            # aiosqlite's worker thread keeps the process alive until the connection is
            # closed: a file that is not a database would otherwise hang the command.
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A transaction that is committed when the block ends, rolled back on error.

        Writes from concurrent coroutines are serialised: they share one
        connection, so interleaved BEGIN/COMMIT would otherwise mix them up.
        Commit and rollback are shielded from cancellation: a writer cancelled
        mid-way (a shutdown, a timeout) must not leave a transaction open for
        the next one.
        """
        async with self._write_lock:
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
                yield self.conn
            except BaseException:
                await asyncio.shield(self.conn.execute("ROLLBACK"))
                raise
            await asyncio.shield(self.conn.execute("COMMIT"))

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def schema_version(self) -> int:
        row = await self.fetchone("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    async def migrate(self) -> list[int]:
        """Apply every bundled migration newer than the database; return those applied."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )
        # Apply every bundled migration not yet recorded, in order: a database that
        # got 0003 on a branch before 0002 existed still gets 0002.
        done = {int(r[0]) for r in await self.fetchall("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in bundled_migrations():
            if version in done:
                continue
            async with self.write() as conn:
                for statement in _statements(sql):
                    await conn.execute(statement)
                await conn.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
                )
            log.info("applied migration", extra={"version": version, "migration": name})
            applied.append(version)
        return applied


def utc_text(moment: dt.datetime | None = None) -> str:
    """ISO-8601 UTC with microseconds and a Z, so stored times sort as text."""
    moment = moment or dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _statements(sql: str) -> list[str]:
    """Split a migration file on ';' at line ends (our files contain no triggers)."""
    return [s.strip() for s in re.split(r";\s*$", sql, flags=re.MULTILINE) if s.strip()]
