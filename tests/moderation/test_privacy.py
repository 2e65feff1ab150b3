"""Forget-me deletes one user's rows everywhere and nobody else's; export shows them first."""

from __future__ import annotations

import datetime as dt
import json

from bot.moderation.privacy import export_user, forget_user
from bot.storage.database import Database
from bot.storage.moderation import SqlitePrivacyStore
from tests.moderation.asklog import log_question, vote

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
ME, OTHER = 4242, 7777


async def _count(db: Database, table: str, user_id: int) -> int:
    row = await db.fetchone(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,))
    return int(row[0]) if row else 0


async def _quiz_result(db: Database, user_id: int) -> None:
    async with db.write() as conn:  # quiz_results keeps user ids as text (migration 0001)
        await conn.execute(
            "INSERT INTO quiz_results (user_id, guild_id, quiz_version, answers, score, band,"
            " created_at) VALUES (?, '999', 1, '{}', 40, 'moderate',"
            " '2026-04-01T00:00:00.000000Z')",
            (str(user_id),))


async def test_forget_deletes_only_that_users_rows(db: Database) -> None:
    await _quiz_result(db, ME)
    await _quiz_result(db, OTHER)
    mine = await log_question(db, "who is sam altman", T0, user_id=ME)
    await log_question(db, "who is ilya", T0, user_id=ME)
    theirs = await log_question(db, "who is dario", T0, user_id=OTHER)
    await vote(db, mine, ME, -1, T0)
    await vote(db, theirs, ME, 1, T0)
    await vote(db, mine, OTHER, 1, T0)  # someone else's vote on my answer stays
    store = SqlitePrivacyStore(db)

    exported = json.loads(await export_user(store, ME, T0))
    report = await forget_user(store, ME)

    assert [r["question"] for r in exported["tables"]["question_log"]] == [
        "who is sam altman", "who is ilya"]
    assert len(exported["tables"]["feedback"]) == 2
    assert len(exported["tables"]["quiz_results"]) == 1
    assert report.deleted == {"quiz_sessions": 0, "quiz_results": 1, "question_log": 2,
                              "feedback": 2}
    assert "Deleted 5 rows" in report.describe()
    for table in ("quiz_results", "question_log", "feedback"):
        assert await _count(db, table, ME) == 0
        assert await _count(db, table, OTHER) == 1
    again = await forget_user(store, ME)
    assert again.total == 0


async def test_tables_not_created_yet_are_skipped(db: Database) -> None:
    store = SqlitePrivacyStore(db, tables=(("no_such_table", "user_id"),
                                           ("question_log", "user_id")))
    assert await store.forget(ME) == {"question_log": 0}
