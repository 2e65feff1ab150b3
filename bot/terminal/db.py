"""``labwire db migrate`` and ``labwire db status``, for SQLite and PostgreSQL alike.

The bot migrates its database when it starts, so ``migrate`` is for operators
who want the schema changed before a deployment (or from a job of its own);
``status`` changes nothing and exits 1 when the schema is not what this
Labwire expects, so a deployment script can check it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import Settings
from bot.storage import DatabaseError, DatabaseURLError, open_database
from bot.storage.database import SchemaStatus
from bot.storage.migrations import Migration
from bot.terminal.common import add_database_arg, database_from, subcommands_of
from bot.wording import plural

EXIT_NOT_CURRENT = 1
EXIT_UNAVAILABLE = 1


def register(sub: Any) -> None:
    db_sub = subcommands_of(sub.choices["db"])  # `labwire db` is defined in bot/terminal/ops.py
    migrate = db_sub.add_parser(
        "migrate", help="apply the schema migrations the database does not have yet")
    add_database_arg(migrate)
    migrate.set_defaults(func=cmd_migrate)

    status = db_sub.add_parser(
        "status", help="show the database's schema version and pending migrations "
                       "(exit 1 unless up to date)")
    add_database_arg(status)
    status.set_defaults(func=cmd_status)


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> tuple[str, list[Migration], SchemaStatus]:
        async with open_database(database_from(args.db, settings), migrate=False) as db:
            applied = await db.migrate()
            return db.display, applied, await db.schema_status()

    try:
        where, applied, status = asyncio.run(run())
    except (DatabaseError, DatabaseURLError) as exc:
        print(f"labwire db migrate: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    for migration in applied:
        print(f"applied {migration.label}")
    done = f"{plural(len(applied), 'migration')} applied" if applied else "already up to date"
    summary = f"{where}: schema version {status.version}, {done}"
    print(summary)
    if status.unknown:
        print(_unknown_line(status), file=sys.stderr)
        return EXIT_NOT_CURRENT
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    async def run() -> tuple[str, SchemaStatus]:
        url = database_from(args.db, settings)
        async with open_database(url, migrate=False, create=False) as db:
            return db.display, await db.schema_status()

    try:
        where, status = asyncio.run(run())
    except (DatabaseError, DatabaseURLError) as exc:
        print(f"labwire db status: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    print("\n".join(status_lines(where, status)))
    if status.unknown:
        print(_unknown_line(status), file=sys.stderr)
    return 0 if status.up_to_date else EXIT_NOT_CURRENT


def status_lines(where: str, status: SchemaStatus) -> list[str]:
    if status.up_to_date:
        verdict = "up to date"
    elif status.pending:
        verdict = f"{plural(len(status.pending), 'migration')} pending: run labwire db migrate"
    else:
        verdict = "made by a newer Labwire"
    lines = [f"{where}: schema version {status.version}, {verdict}"]
    lines += [f"  {m.version:04d}_{m.name:<28} applied {m.applied_at}" for m in status.applied]
    lines += [f"  {m.label:<33} pending" for m in status.pending]
    lines += [f"  {m.version:04d}_{m.name:<28} unknown to this Labwire" for m in status.unknown]
    return lines


def _unknown_line(status: SchemaStatus) -> str:
    names = ", ".join(f"{m.version:04d}_{m.name}" for m in status.unknown)
    some = "a migration" if len(status.unknown) == 1 else "migrations"
    return (f"the database has {some} this Labwire does not know ({names}): "
            "upgrade Labwire before running it against this database")
