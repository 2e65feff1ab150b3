"""Open the database a URL names: SQLite (the default) or PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.storage.database import Database
from bot.storage.urls import parse_database_url


async def connect_database(url: str, *, migrate: bool = True, create: bool = True) -> Database:
    """Connect to ``url`` and, unless ``migrate`` is false, bring its schema up to date.

    ``create=False`` refuses to create a missing SQLite file (for read-only
    commands, where a typo must not leave an empty database behind).  Raises
    :class:`~bot.storage.urls.DatabaseURLError` or
    :class:`~bot.storage.database.DatabaseUnavailableError` with a one-line reason.
    """
    target = parse_database_url(url)
    db: Database
    if target.backend == "postgresql":
        # Imported here: SQLite-only installs and commands never load asyncpg.
        from bot.storage.postgresql import PostgreSQLDatabase

        db = await PostgreSQLDatabase.connect(target)
    else:
        from bot.storage.sqlite import SQLiteDatabase

        db = await SQLiteDatabase.connect(target, create=create)
    if migrate:
        try:
            await db.migrate()
        except BaseException:
            await db.close()
            raise
    return db


@asynccontextmanager
async def open_database(
    url: str, *, migrate: bool = True, create: bool = True
) -> AsyncIterator[Database]:
    """``async with open_database(url) as db:`` connects, migrates, and always closes."""
    db = await connect_database(url, migrate=migrate, create=create)
    try:
        yield db
    finally:
        await db.close()
