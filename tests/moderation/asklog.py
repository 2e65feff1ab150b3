"""Write question_log / feedback rows (the Discord bot's migration 0002) for tests."""

from __future__ import annotations

import datetime as dt
import itertools

from bot.storage.database import Database, utc_text

_message_ids = itertools.count(5000)


async def log_question(
    db: Database,
    question: str,
    at: dt.datetime,
    *,
    user_id: int = 1,
    guild_id: int | None = 999,
    status: str = "no_answer",
    answered: bool = False,
    entry: str | None = None,
    confidence: float = 0.2,
) -> int:
    """Insert one question; returns the id of its answer message (for votes)."""
    kind, _, entry_id = (entry or "").partition(":")
    message_id = next(_message_ids)
    async with db.write() as tx:
        await tx.execute(
            "INSERT INTO question_log (asked_at, question, source, guild_id, channel_id, user_id,"
            " status, entry_kind, entry_id, confidence, answered, message_id)"
            " VALUES (?, ?, 'slash', ?, 10, ?, ?, ?, ?, ?, ?, ?)",
            (utc_text(at), question, guild_id, user_id, status, kind or None, entry_id or None,
             confidence, int(answered), message_id))
    return message_id


async def vote(db: Database, message_id: int, user_id: int, value: int, at: dt.datetime,
               entry: str = "article:2026-03-07-kalinowski-quits", guild_id: int = 999) -> None:
    kind, _, entry_id = entry.partition(":")
    async with db.write() as tx:
        await tx.execute(
            "INSERT INTO feedback (message_id, user_id, guild_id, entry_kind, entry_id, vote,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (message_id, user_id, guild_id, kind, entry_id, value, utc_text(at), utc_text(at)))
