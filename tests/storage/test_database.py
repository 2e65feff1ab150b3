"""The database layer on both backends: transactions, cancellation, and clear connection errors."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from bot.storage import (
    Database,
    DatabaseError,
    DatabaseUnavailableError,
    connect_database,
    open_database,
)
from bot.storage.postgresql import numbered_placeholders
from bot.storage.sqlite import SQLiteDatabase
from tests import postgres as test_cluster
from tests.postgres import PostgresServer
from tests.storage.rows import count


async def _scratch(db: Database) -> None:
    async with db.write() as tx:
        await tx.execute("CREATE TABLE t (v INTEGER)")


async def test_failed_writer_rolls_back_and_next_writer_commits(db: Database) -> None:
    await _scratch(db)
    with pytest.raises(RuntimeError):
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            raise RuntimeError("boom")
    async with db.write() as tx:
        assert await tx.execute("INSERT INTO t VALUES (2)") == 1
    assert await count(db, "t") == 1


async def test_cancelled_writers_leave_no_open_transaction(db: Database) -> None:
    await _scratch(db)
    started = asyncio.Event()

    async def slow_writer() -> None:
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (1)")
            started.set()
            await asyncio.Event().wait()  # until cancelled

    async def writer(value: int) -> None:
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (?)", (value,))

    first = asyncio.create_task(slow_writer())
    await asyncio.wait_for(started.wait(), 5)
    queued = [asyncio.create_task(writer(2)) for _ in range(5)]
    for task in (first, *queued[:2]):
        task.cancel()
    results = await asyncio.gather(first, *queued, return_exceptions=True)
    assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 3
    if isinstance(db, SQLiteDatabase):
        assert not db.conn.in_transaction
    # More writers than the PostgreSQL pool has connections: each one must be clean.
    await asyncio.gather(*(writer(3) for _ in range(20)))
    assert await count(db, "t", "WHERE v = ?", (1,)) == 0  # the cancelled writer's row
    assert await count(db, "t") == 23  # three queued writers + twenty


async def test_a_migration_numbered_below_the_newest_applied_still_runs(database_url: str) -> None:
    """A database that got 0003 before 0002 existed (two branches) still gets 0002."""
    async with open_database(database_url) as db, db.write() as tx:
        await tx.execute("DELETE FROM schema_migrations WHERE version = 2")
        await tx.execute("DROP TABLE feedback")
        await tx.execute("DROP TABLE question_log")
    async with open_database(database_url) as db:
        versions = [int(r[0]) for r in await db.fetchall(
            "SELECT version FROM schema_migrations ORDER BY version")]
        assert 2 in versions
        assert await count(db, "question_log") == 0


async def test_a_query_cut_off_by_a_timeout_leaves_the_pool_usable(postgres_url: str) -> None:
    async with open_database(postgres_url) as db:
        await _scratch(db)

        async def stuck_writer() -> None:
            async with db.write() as tx:
                await tx.execute("INSERT INTO t VALUES (1)")
                await tx.execute("SELECT pg_sleep(30)")

        with pytest.raises(TimeoutError):
            await asyncio.wait_for(stuck_writer(), 0.5)
        async with db.write() as tx:
            await tx.execute("INSERT INTO t VALUES (2)")
        assert [r[0] for r in await db.fetchall("SELECT v FROM t")] == [2]


async def test_a_statement_past_command_timeout_is_a_storage_error(postgres_url: str) -> None:
    async with open_database(f"{postgres_url}&command_timeout=0.3") as db:
        with pytest.raises(DatabaseError, match="ran past command_timeout"):
            await db.fetchval("SELECT pg_sleep(30)")
        async with db.write() as tx:  # the connection went back to the pool in a usable state
            assert await tx.fetchval("SELECT 1") == 1


async def test_a_burst_waits_for_a_pooled_connection_up_to_pool_timeout(
    postgres_url: str,
) -> None:
    async with open_database(f"{postgres_url}&pool_size=1&pool_timeout=0.3") as db:
        held = asyncio.Event()
        release = asyncio.Event()

        async def holder() -> None:
            async with db.write() as tx:
                await tx.execute("SELECT 1")
                held.set()
                await release.wait()

        task = asyncio.create_task(holder())
        await held.wait()
        with pytest.raises(DatabaseError) as caught:
            await db.fetchval("SELECT 2")  # the only connection is busy past pool_timeout
        assert str(caught.value) == ("no PostgreSQL connection free within 0.3 s "
                                     "(pool_size=1, pool_timeout=0.3)")
        waiting = asyncio.create_task(db.fetchval("SELECT 3"))  # queued, then served
        release.set()
        await task
        assert await waiting == 3


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_unreachable_server_is_one_clear_line() -> None:
    port = _unused_port()
    url = f"postgresql://labwire:hunter2secret@127.0.0.1:{port}/labwire?connect_timeout=5"
    with pytest.raises(DatabaseUnavailableError) as caught:
        await connect_database(url)
    message = str(caught.value)
    assert message.startswith(f"cannot connect to PostgreSQL at 127.0.0.1:{port}/labwire")
    assert "refused" in message and "\n" not in message
    assert "hunter2secret" not in message


async def test_wrong_password_is_one_line_and_never_logged(
    postgres: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "not-the-password-1234"
    with pytest.raises(DatabaseUnavailableError) as caught:
        await connect_database(postgres.url(password=wrong))
    message = str(caught.value)
    assert "wrong password or user name" in message and "\n" not in message
    for secret in (wrong, postgres.password):
        assert secret not in message
        assert secret not in caplog.text
        assert all(secret not in repr(r.__dict__) for r in caplog.records)


async def test_a_missing_database_on_the_server_is_named(postgres: PostgresServer) -> None:
    with pytest.raises(DatabaseUnavailableError, match='database "nope" does not exist'):
        await connect_database(postgres.url("nope"))


async def test_connecting_logs_where_but_never_the_password(
    postgres_url: str, postgres: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with open_database(postgres_url) as db:
        assert postgres.password not in db.display and "***" in db.display
        assert postgres.password not in repr(db.target)
    assert "applied migration" in caplog.text
    assert postgres.password not in caplog.text


async def test_read_only_commands_never_create_an_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    with pytest.raises(DatabaseUnavailableError, match="no database at"):
        await connect_database(f"sqlite:///{missing}", create=False)
    assert not missing.exists()


def test_placeholders_are_numbered_outside_quotes_and_comments() -> None:
    sql = "SELECT '?', \"a?\" FROM t WHERE a = ? AND b = ? -- why?\nAND c = ?"
    assert numbered_placeholders(sql) == (
        "SELECT '?', \"a?\" FROM t WHERE a = $1 AND b = $2 -- why?\nAND c = $3")


def test_a_machine_without_postgresql_is_told_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(test_cluster, "find_bindir", lambda: None)
    with pytest.raises(test_cluster.PostgresUnavailableError) as caught:
        test_cluster.start_cluster()
    assert "\n" not in str(caught.value)
    assert "scripts/install-postgres.sh" in str(caught.value)
