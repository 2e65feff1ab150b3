"""The PostgreSQL backend (asyncpg): a connection pool shared by every coroutine.

For deployments with several processes or machines.  Each write transaction
takes its own pooled connection, so writers run side by side and PostgreSQL
orders them.  The repositories' SQL uses ``?`` placeholders; they become
``$1, $2, ...`` here.  Connecting fails fast with one line naming the server
(never the password) when it is unreachable or refuses the credentials.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from bot.storage.database import (
    Database,
    DatabaseError,
    DatabaseUnavailableError,
    IntegrityError,
    Params,
    Row,
    utc_text,
)
from bot.storage.migrations import Migration
from bot.storage.urls import DatabaseTarget, PostgreSQLOptions, url_passwords

log = logging.getLogger(__name__)

CLOSE_TIMEOUT = 10.0
# Held while migrating, so processes starting together apply each migration once.
_MIGRATION_LOCK_SQL = (
    "SELECT pg_advisory_xact_lock(hashtext('labwire-migrations:' || current_schema()))")
_PLACEHOLDER_SCAN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?")


@functools.lru_cache(maxsize=512)
def numbered_placeholders(sql: str) -> str:
    """``?`` placeholders as PostgreSQL's ``$1, $2, ...`` (quoted text and comments kept)."""
    counter = 0

    def number(match: re.Match[str]) -> str:
        nonlocal counter
        if match.group(0) != "?":
            return match.group(0)
        counter += 1
        return f"${counter}"

    return _PLACEHOLDER_SCAN.sub(number, sql)


def _affected(status: str) -> int:
    """Rows changed, from a command tag such as 'DELETE 3' or 'INSERT 0 1'."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


@contextmanager
def _translated_errors() -> Iterator[None]:
    """Driver errors as the backend-neutral ones callers catch."""
    try:
        yield
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise IntegrityError(str(exc)) from exc
    except (asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise DatabaseError(f"PostgreSQL: {exc}") from exc
    except TimeoutError as exc:  # asyncpg's command_timeout (asyncio.wait_for cancels instead)
        raise DatabaseError("PostgreSQL: a statement ran past command_timeout") from exc


class _PostgreSQLTransaction:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        with _translated_errors():
            status = await self._conn.execute(numbered_placeholders(sql), *params)
        return _affected(str(status))

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        with _translated_errors():
            row: Row | None = await self._conn.fetchrow(numbered_placeholders(sql), *params)
            return row

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        with _translated_errors():
            return list(await self._conn.fetch(numbered_placeholders(sql), *params))

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        with _translated_errors():
            return await self._conn.fetchval(numbered_placeholders(sql), *params)


class PostgreSQLDatabase(Database):
    """A pool of connections to one PostgreSQL database (and schema)."""

    backend = "postgresql"

    def __init__(self, target: DatabaseTarget, pool: asyncpg.Pool,
                 options: PostgreSQLOptions) -> None:
        super().__init__(target)
        self.pool = pool
        self.options = options

    @classmethod
    async def connect(cls, target: DatabaseTarget) -> PostgreSQLDatabase:
        options = target.postgresql or PostgreSQLOptions()
        try:
            pool = await asyncpg.create_pool(
                target.dsn, min_size=1, max_size=options.pool_size,
                timeout=options.connect_timeout, command_timeout=options.command_timeout,
                server_settings={"application_name": "labwire"},
            )
        except Exception as exc:  # every driver, socket and auth failure: one line
            message = (f"cannot connect to PostgreSQL at {_where(target)}: "
                       f"{_reason(exc, options)} (check LABWIRE_DATABASE_URL)")
            for password in url_passwords(target.dsn):  # no driver message may carry it
                message = message.replace(password, "***")
            raise DatabaseUnavailableError(message) from exc
        return cls(target, pool, options)

    def deployment_lock(self, name: str) -> AdvisoryLock:
        return AdvisoryLock(self.target, self.options, name)

    def ordered_writes(self, name: str) -> tuple[str, Params]:
        # A transaction-level advisory lock: released at commit or rollback.
        return ("SELECT pg_advisory_xact_lock(hashtext('labwire-writes:' || current_schema()"
                " || ':' || ?))", (name,))

    def notice(self, channel: str) -> tuple[str, Params]:
        # Delivered at commit, to every session listening; the payload names the schema,
        # so deployments (or tests) sharing one database hear only their own notices.
        return "SELECT pg_notify(?, current_schema())", (_notice_channel(channel),)

    async def listen(self, channel: str, on_notice: Callable[[], None]) -> PostgreSQLListener:
        """A connection of its own, outside the pool (a pooled one is reset on release)."""
        try:
            conn = await asyncpg.connect(
                self.target.dsn, timeout=self.options.connect_timeout,
                command_timeout=self.options.command_timeout,
                server_settings={"application_name": f"labwire listen {channel}"})
        except Exception as exc:  # the same one line as connect()
            raise DatabaseUnavailableError(
                f"cannot listen on PostgreSQL at {_where(self.target)}: "
                f"{_reason(exc, self.options)}") from exc
        schema = str(await conn.fetchval("SELECT current_schema()"))

        def heard(_conn: object, _pid: int, _channel: str, payload: object) -> None:
            if payload == schema:
                on_notice()

        await conn.add_listener(_notice_channel(channel), heard)
        return PostgreSQLListener(conn)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.pool.close(), CLOSE_TIMEOUT)
        except TimeoutError:
            log.warning("closing the PostgreSQL pool timed out; terminating its connections")
            self.pool.terminate()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.Connection]:
        # Every connection busy (a burst of interactions): wait in line up to
        # pool_timeout rather than fail; a stuck statement ends at command_timeout.
        try:
            conn = await self.pool.acquire(timeout=self.options.pool_timeout)
        except TimeoutError as exc:
            raise DatabaseError(
                f"no PostgreSQL connection free within {self.options.pool_timeout:g} s "
                f"(pool_size={self.options.pool_size}, pool_timeout="
                f"{self.options.pool_timeout:g})") from exc
        try:
            yield conn
        finally:
            await self.pool.release(conn)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[_PostgreSQLTransaction]:
        """A transaction on its own pooled connection; asyncpg rolls back on any error."""
        async with self._connection() as conn, conn.transaction():
            yield _PostgreSQLTransaction(conn)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._connection() as conn:
            return await _PostgreSQLTransaction(conn).fetchall(sql, params)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._connection() as conn:
            return await _PostgreSQLTransaction(conn).fetchone(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        async with self._connection() as conn:
            return await _PostgreSQLTransaction(conn).fetchval(sql, params)

    async def tables(self) -> set[str]:
        rows = await self.fetchall(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
        return {str(r[0]) for r in rows}

    async def columns(self, table: str) -> list[str]:
        rows = await self.fetchall(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,))
        return [str(r[0]) for r in rows]

    async def _create_migrations_table(self) -> None:
        async with self._connection() as conn, conn.transaction():
            await conn.execute(_MIGRATION_LOCK_SQL)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")

    async def _apply(self, migration: Migration) -> bool:
        async with self._connection() as conn, conn.transaction():
            await conn.execute(_MIGRATION_LOCK_SQL)
            if await conn.fetchval("SELECT 1 FROM schema_migrations WHERE version = $1",
                                   migration.version):
                return False
            await conn.execute(migration.postgresql)  # no parameters: several statements
            await conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                migration.version, migration.name, utc_text())
        return True


class PostgreSQLListener:
    """A LISTEN on its own connection; :meth:`close` ends it."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @property
    def alive(self) -> bool:
        return not self._conn.is_closed()

    async def close(self) -> None:
        if self._conn.is_closed():
            return
        try:
            await asyncio.wait_for(self._conn.close(), CLOSE_TIMEOUT)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
            self._conn.terminate()


def _notice_channel(channel: str) -> str:
    return f"labwire_{channel}"


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own.

    The server releases it when that connection ends, so a process that dies
    (or loses its network) hands the work over to the next process that asks.
    Held by the connection, not the pool: a pooled connection is reset (and its
    advisory locks released) whenever it goes back to the pool.
    """

    def __init__(self, target: DatabaseTarget, options: PostgreSQLOptions, name: str) -> None:
        self.target = target
        self.options = options
        self.name = name
        self._conn: asyncpg.Connection | None = None
        self._held = False

    async def try_acquire(self) -> bool:
        if self._held and await self._still_connected():
            return True
        self._held = False
        try:
            if self._conn is None or self._conn.is_closed():
                self._conn = await asyncpg.connect(
                    self.target.dsn, timeout=self.options.connect_timeout,
                    command_timeout=self.options.command_timeout,
                    server_settings={"application_name": f"labwire lock {self.name}"})
            self._held = bool(await self._conn.fetchval(
                "SELECT pg_try_advisory_lock(hashtext('labwire:' || current_schema() || ':'"
                " || $1))", self.name))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("cannot take the deployment lock now",
                        extra={"lock": self.name, "error": type(exc).__name__})
            await self._drop_connection()
        return self._held

    async def release(self) -> None:
        self._held = False
        await self._drop_connection()  # ending the session releases the lock

    async def _still_connected(self) -> bool:
        try:
            return self._conn is not None and await self._conn.fetchval("SELECT 1") == 1
        except Exception:  # any failure of the probe: the session (and the lock) may be gone
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.terminate()
            return False

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            try:
                await asyncio.wait_for(conn.close(), CLOSE_TIMEOUT)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                conn.terminate()


def _where(target: DatabaseTarget) -> str:
    """host:port/database (and user), for messages; never the password."""
    parts = urlsplit(target.dsn)
    host = parts.hostname or "the local socket"
    port = f":{parts.port}" if parts.port else ""
    database = parts.path.lstrip("/") or (parts.username or "")
    user = f" as {parts.username}" if parts.username else ""
    return f"{host}{port}/{database}{user}"


def _reason(exc: BaseException, options: PostgreSQLOptions) -> str:
    if isinstance(exc, TimeoutError):
        return f"no answer within {options.connect_timeout:g} s"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running and listening there?)"
    if isinstance(exc, socket.gaierror):
        return "unknown host"
    if isinstance(exc, asyncpg.InvalidPasswordError):
        return "wrong password or user name"
    if isinstance(exc, OSError) and "Connect call failed" in str(exc):
        return "connection refused (is the server running and listening there?)"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return first_line or type(exc).__name__
