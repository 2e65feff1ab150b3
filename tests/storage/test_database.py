"""The shared connection survives writers that fail or are cancelled."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.storage import Database


async def _count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) FROM t")
    return int(row[0]) if row else -1


async def test_failed_writer_rolls_back_and_next_writer_commits(tmp_path: Path) -> None:
    async with Database.open(tmp_path / "x.sqlite3") as db:
        await db.conn.execute("CREATE TABLE t (v INTEGER)")
        with pytest.raises(RuntimeError):
            async with db.write() as conn:
                await conn.execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("boom")
        async with db.write() as conn:
            await conn.execute("INSERT INTO t VALUES (2)")
        assert await _count(db) == 1


async def test_cancelled_writers_leave_no_open_transaction(tmp_path: Path) -> None:
    async with Database.open(tmp_path / "x.sqlite3") as db:
        await db.conn.execute("CREATE TABLE t (v INTEGER)")
        started = asyncio.Event()

        async def slow_writer() -> None:
            async with db.write() as conn:
                await conn.execute("INSERT INTO t VALUES (1)")
                started.set()
                await asyncio.Event().wait()  # until cancelled

        async def queued_writer() -> None:
            async with db.write() as conn:
                await conn.execute("INSERT INTO t VALUES (2)")

        first = asyncio.create_task(slow_writer())
        await started.wait()
        queued = [asyncio.create_task(queued_writer()) for _ in range(5)]
        for task in (first, *queued[:2]):
            task.cancel()
        results = await asyncio.gather(first, *queued, return_exceptions=True)
        assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 3
        assert not db.conn.in_transaction
        async with db.write() as conn:
            await conn.execute("INSERT INTO t VALUES (3)")
        assert await _count(db) == 4  # three queued writers + the last one


async def test_a_migration_numbered_below_the_newest_applied_still_runs(tmp_path: Path) -> None:
    """A database that got 0003 before 0002 existed (two branches) still gets 0002."""
    path = tmp_path / "gap.sqlite3"
    async with Database.open(path) as db, db.write() as conn:
        await conn.execute("DELETE FROM schema_migrations WHERE version = 2")
        await conn.execute("DROP TABLE feedback")
        await conn.execute("DROP TABLE question_log")
    async with Database.open(path) as db:
        versions = [int(r[0]) for r in await db.fetchall(
            "SELECT version FROM schema_migrations ORDER BY version")]
        assert 2 in versions
        assert await db.fetchone("SELECT COUNT(*) FROM question_log") is not None
