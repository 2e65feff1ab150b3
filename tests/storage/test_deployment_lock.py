"""Once-per-deployment work: one process holds the lock, another takes over when it dies."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from pathlib import Path

import pytest

from bot.storage import open_database, parse_database_url, sqlite_url
from bot.storage.postgresql import AdvisoryLock
from bot.storage.urls import PostgreSQLOptions
from tests.postgres import PostgresServer

KILL_LOCK_SESSIONS = (
    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"  # waits until it is gone
    " WHERE application_name = 'labwire lock prune' AND pid <> pg_backend_pid()")


async def test_one_holder_at_a_time_and_take_over_when_it_dies(postgres_url: str) -> None:
    async with open_database(postgres_url) as first, open_database(postgres_url) as second:
        a, b = first.deployment_lock("prune"), second.deployment_lock("prune")
        other_work = second.deployment_lock("feeds")
        assert await a.try_acquire()
        assert await a.try_acquire()  # still held: asking again is cheap and true
        assert not await b.try_acquire()
        assert await other_work.try_acquire()  # another kind of work is another lock

        # Process A dies: the server ends its session (as when its machine goes away).
        await second.fetchval(KILL_LOCK_SESSIONS)
        assert await b.try_acquire()
        assert not await a.try_acquire()  # A notices it lost the lock; B keeps it

        await b.release()
        assert await a.try_acquire()
        await a.release()
        await other_work.release()


async def test_a_holder_whose_session_dropped_takes_the_lock_back(postgres_url: str) -> None:
    async with open_database(postgres_url) as db:
        lock = db.deployment_lock("prune")
        assert await lock.try_acquire()
        await db.fetchval(KILL_LOCK_SESSIONS)  # a network blip; nobody else wants the work
        assert await lock.try_acquire()
        await lock.release()


async def test_each_schema_is_its_own_deployment(
    postgres: PostgresServer, postgres_url: str
) -> None:
    async with open_database(postgres_url) as one:
        await one.fetchval("CREATE SCHEMA second_deployment")
        async with open_database(postgres.url(search_path="second_deployment")) as other:
            first, second = one.deployment_lock("prune"), other.deployment_lock("prune")
            assert await first.try_acquire() and await second.try_acquire()
            await first.release()
            await second.release()


async def test_sqlite_has_one_process_which_always_holds_it(tmp_path: Path) -> None:
    async with open_database(sqlite_url(tmp_path / "x.sqlite3")) as db:
        lock = db.deployment_lock("prune")
        assert await lock.try_acquire() and await lock.try_acquire()


async def test_an_unreachable_server_means_not_holding_said_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = parse_database_url(f"postgresql://u:hunter2@127.0.0.1:{port}/x?connect_timeout=5")
    lock = AdvisoryLock(target, PostgreSQLOptions(connect_timeout=5), "prune")
    assert not await lock.try_acquire()
    assert "cannot take the deployment lock" in caplog.text
    assert "hunter2" not in caplog.text


HOLDER = """
import asyncio, sys
from bot.storage import open_database

async def main(url):
    async with open_database(url) as db:
        lock = db.deployment_lock("prune")
        print("held" if await lock.try_acquire() else "refused", flush=True)
        await asyncio.Event().wait()

asyncio.run(main(sys.argv[1]))
"""


async def test_the_work_moves_to_another_process_when_the_holder_is_killed(
    postgres_url: str,
) -> None:
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLDER, postgres_url, stdout=asyncio.subprocess.PIPE)
    assert holder.stdout is not None
    try:
        assert await asyncio.wait_for(holder.stdout.readline(), 30) == b"held\n"
        async with open_database(postgres_url) as db:
            lock = db.deployment_lock("prune")
            assert not await lock.try_acquire()
            holder.send_signal(signal.SIGKILL)
            await holder.wait()
            # Wait for the server to notice: block on the same lock, then let it go.
            key = "hashtext('labwire:' || current_schema() || ':prune')"
            async with db.write() as tx:
                await asyncio.wait_for(tx.execute(f"SELECT pg_advisory_xact_lock({key})"), 30)
            assert await lock.try_acquire()
            await lock.release()
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
