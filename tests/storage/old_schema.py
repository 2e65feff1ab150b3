"""A database as an older bot left it: the bundled migrations below a version only."""

from __future__ import annotations

from bot.storage.database import Transaction
from bot.storage.migrations import bundled_migrations, sqlite_statements


async def apply_migrations_below(tx: Transaction, backend: str, version: int,
                                 applied_at: str) -> None:
    """Create ``schema_migrations`` and apply and record every migration before ``version``."""
    await tx.execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for migration in bundled_migrations():
        if migration.version >= version:
            continue
        statements = (sqlite_statements(migration.sqlite) if backend == "sqlite"
                      else [migration.postgresql])
        for statement in statements:
            await tx.execute(statement)
        await tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (migration.version, migration.name, applied_at))
