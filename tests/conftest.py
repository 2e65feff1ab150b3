"""Fixtures for every test.

- No setting leaks in from the shell or a developer's ``.env`` (``clean_settings``).
- ``clock``: a clock the test sets.
- The databases: ``database_url`` is parametrized, so a test that asks for it (or for
  a fixture built on it, like ``tests/storage``'s ``db``) runs once on a fresh SQLite
  file and once on a fresh PostgreSQL schema.  The PostgreSQL cluster starts once per
  session, on first use (``tests/postgres.py``); when PostgreSQL is missing those tests
  fail with one line saying how to install it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

import bot.settings
from bot.storage import sqlite_url
from tests.clock import SettableClock
from tests.postgres import PostgresServer, PostgresUnavailableError, start_cluster, stop_cluster

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests see only the settings they set: no LABWIRE_*/DISCORD_* from the shell,
    and no ``./.env`` (the default one is looked for where none exists)."""
    for name in list(os.environ):
        if name.startswith(("LABWIRE_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.setattr(bot.settings, "DOTENV", tmp_path / "no-such.env")
    yield


@pytest.fixture
def clock() -> SettableClock:
    """A clock the test sets: Monday 2026-04-06 12:00 UTC to start with."""
    return SettableClock(dt.datetime(2026, 4, 6, 12, 0, tzinfo=dt.UTC))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The session's PostgreSQL cluster (started on first use, deleted at the end)."""
    try:
        server = start_cluster()
    except PostgresUnavailableError as exc:
        problem = str(exc)
    else:
        yield server
        stop_cluster(server)
        return
    pytest.fail(problem, pytrace=False)  # outside the except: one line, no chained traceback


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """A URL whose tables land in a new, empty schema of the test cluster."""
    schema = f"test_{secrets.token_hex(6)}"
    asyncio.run(_create_schema(postgres.url(), schema))
    return postgres.url(search_path=schema)


async def _create_schema(url: str, schema: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f"CREATE SCHEMA {schema}")
    finally:
        await conn.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once per backend: an SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "labwire.sqlite3")
    url: str = request.getfixturevalue("postgres_url")
    return url
