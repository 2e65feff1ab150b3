"""The database interface the repositories use, shared by the SQLite and PostgreSQL backends.

Repositories (``question_log.py``, ``quiz_results.py``, ``moderation.py``) hold
all the SQL, written once in the subset both databases speak, with ``?``
placeholders; a backend (``sqlite.py``, ``postgresql.py``) only runs it.
Reads go through :meth:`Database.fetchall` and friends; writes happen inside
``async with db.write() as tx:``, one transaction that commits when the block
ends and rolls back on any error, cancellation included.  The schema comes
from the numbered migrations in ``migrations/``, applied by :meth:`Database.migrate`.
"""

from __future__ import annotations

import datetime as dt
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from bot.storage.migrations import Migration, bundled_migrations
from bot.storage.urls import Backend, DatabaseTarget

log = logging.getLogger(__name__)

Params = Sequence[object]
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class DatabaseError(Exception):
    """A storage failure whose message is one line an operator can act on."""


class DatabaseUnavailableError(DatabaseError):
    """The database cannot be opened: server unreachable, wrong credentials, missing file."""


class IntegrityError(DatabaseError):
    """A constraint of the schema refused a write (it was rolled back)."""


class Row(Protocol):
    """A result row: by column name or position (``sqlite3.Row``, ``asyncpg.Record``)."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


class Transaction(Protocol):
    """One open write transaction (see :meth:`Database.write`)."""

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed."""
        ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row (e.g. ``INSERT ... RETURNING id``), or None."""
        ...


class DeploymentLock(Protocol):
    """Work done once per deployment (pruning, feed polling) runs where this is held.

    Processes call :meth:`try_acquire` now and then; one of them holds the lock
    until it releases it or dies, and then the next caller takes over.
    """

    async def try_acquire(self) -> bool:
        """True while this process holds the lock (taking it if it is free)."""
        ...

    async def release(self) -> None: ...


class Listener(Protocol):
    """A subscription to a database notice (see :meth:`Database.listen`)."""

    @property
    def alive(self) -> bool:
        """False once its connection is gone (notices may be missed from then on)."""
        ...

    async def close(self) -> None: ...


class ProcessLock:
    """The lock when only one process can use the database (SQLite): always held."""

    async def try_acquire(self) -> bool:
        return True

    async def release(self) -> None:
        return None


@dataclass(frozen=True)
class AppliedMigration:
    version: int
    name: str
    applied_at: str


@dataclass(frozen=True)
class SchemaStatus:
    """What ``labwire db status`` shows."""

    applied: tuple[AppliedMigration, ...]
    pending: tuple[Migration, ...]
    unknown: tuple[AppliedMigration, ...]  # recorded by a newer Labwire, or renamed

    @property
    def version(self) -> int:
        return max((m.version for m in self.applied), default=0)

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.unknown


class Database(ABC):
    """An open database; create one with :func:`bot.storage.connect_database`."""

    backend: ClassVar[Backend]

    def __init__(self, target: DatabaseTarget) -> None:
        self.target = target

    @property
    def display(self) -> str:
        """Where the database is, safe to log and print (no password)."""
        return self.target.display

    @abstractmethod
    def write(self) -> AbstractAsyncContextManager[Transaction]:
        """A transaction, committed when the block ends and rolled back on error."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    @abstractmethod
    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    @abstractmethod
    async def fetchval(self, sql: str, params: Params = ()) -> Any: ...

    @abstractmethod
    async def close(self) -> None: ...

    def deployment_lock(self, name: str) -> DeploymentLock:
        """The lock for one kind of once-per-deployment work (see :class:`DeploymentLock`)."""
        return ProcessLock()

    def ordered_writes(self, name: str) -> tuple[str, Params] | None:
        """A statement that makes transactions writing ``name`` commit one at a time, so
        their generated ids are committed in order; None when the database already runs
        one writer at a time (SQLite)."""
        return None

    def notice(self, channel: str) -> tuple[str, Params] | None:
        """A statement that tells every :meth:`listen` ing process about ``channel`` when
        the transaction commits; None when there are no other processes (SQLite)."""
        return None

    async def listen(self, channel: str, on_notice: Callable[[], None]) -> Listener | None:
        """Call ``on_notice`` whenever another transaction sends :meth:`notice`; None
        when the database has no notices (SQLite: one process, nobody else writes)."""
        return None

    @abstractmethod
    async def tables(self) -> set[str]:
        """Names of the tables in the database (the schema Labwire uses)."""

    @abstractmethod
    async def columns(self, table: str) -> list[str]:
        """Column names of ``table`` in order; empty when there is no such table."""

    @abstractmethod
    async def _create_migrations_table(self) -> None: ...

    @abstractmethod
    async def _apply(self, migration: Migration) -> bool:
        """Apply one migration and record it atomically; False if another process just did."""

    async def migrate(self) -> list[Migration]:
        """Apply every bundled migration not yet recorded, in order; return those applied.

        Every unrecorded version is applied, not only those above the newest: a
        database that got 0003 on a branch before 0002 existed still gets 0002.
        """
        await self._create_migrations_table()
        done = {m.version for m in await self._recorded()}
        applied = []
        for migration in bundled_migrations():
            if migration.version in done or not await self._apply(migration):
                continue
            log.info("applied migration", extra={"version": migration.version,
                                                 "migration": migration.name,
                                                 "backend": self.backend})
            applied.append(migration)
        return applied

    async def schema_status(self) -> SchemaStatus:
        recorded = await self._recorded()
        bundled = {m.version: m for m in bundled_migrations()}
        known = tuple(m for m in recorded
                      if m.version in bundled and bundled[m.version].name == m.name)
        unknown = tuple(m for m in recorded if m not in known)
        versions = {m.version for m in recorded}
        pending = tuple(m for v, m in sorted(bundled.items()) if v not in versions)
        return SchemaStatus(applied=known, pending=pending, unknown=unknown)

    async def _recorded(self) -> list[AppliedMigration]:
        if "schema_migrations" not in await self.tables():
            return []
        rows = await self.fetchall(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
        return [AppliedMigration(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def utc_text(moment: dt.datetime | None = None) -> str:
    """ISO-8601 UTC with microseconds and a Z, so stored times sort as text.

    ``None`` is now; a naive datetime is taken to be UTC already.
    """
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime(_TIME_FORMAT)


def from_utc_text(text: str) -> dt.datetime:
    """The aware UTC datetime that :func:`utc_text` wrote."""
    return dt.datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=dt.UTC)
