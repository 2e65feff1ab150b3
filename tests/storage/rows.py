"""Reading back what a repository stored, the same way on both backends."""

from __future__ import annotations

from bot.storage import Database


async def count(db: Database, table: str, where: str = "", params: tuple[object, ...] = ()) -> int:
    """Rows in ``table`` (optionally ``WHERE ...``)."""
    return int(await db.fetchval(f"SELECT COUNT(*) FROM {table} {where}", params))
