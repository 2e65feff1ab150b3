"""Migration 0009: question_log accepts terminal questions and keeps every row, id and index.

The database is built the way an older bot left it (migrations before 0009 only,
a few logged questions); opening it applies 0009, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import Database, IntegrityError, open_database, sqlite_url
from bot.storage.question_log import TERMINAL_USER_ID, QuestionLog, QuestionRecord
from tests.storage.old_schema import apply_migrations_below

NOW = "2026-05-01T09:00:00.000000Z"
TERMINAL_MIGRATION = 9


async def _old_database(db: Database) -> None:
    """Make ``db`` what a bot without 0009 left, with three logged questions."""
    async with db.write() as tx:
        await apply_migrations_below(tx, db.backend, TERMINAL_MIGRATION, NOW)
        for n, source in enumerate(("slash", "mention", "channel"), start=1):
            await tx.execute(
                "INSERT INTO question_log (id, asked_at, question, source, user_id, status,"
                " confidence, answered) VALUES (?, ?, ?, ?, 42, 'no_answer', 0.1, 0)",
                (n * 10, NOW, f"question {n}", source))
        if db.backend == "postgresql":  # ids given by hand: move the identity past them
            await tx.execute("SELECT setval(pg_get_serial_sequence('question_log', 'id'), 30)")


async def _terminal_row(db: Database) -> None:
    async with db.write() as tx:
        await tx.execute(
            "INSERT INTO question_log (asked_at, question, source, user_id, status,"
            " confidence, answered) VALUES (?, 'q', 'terminal', 0, 'no_answer', 0.1, 0)",
            (NOW,))


async def test_terminal_questions_are_accepted_and_old_rows_kept(database_url: str) -> None:
    async with open_database(database_url, migrate=False) as old:
        await _old_database(old)
        with pytest.raises(IntegrityError):
            await _terminal_row(old)

    async with open_database(database_url) as db:
        rows = await db.fetchall("SELECT id, question, source FROM question_log ORDER BY id")
        assert [tuple(r) for r in rows] == [(10, "question 1", "slash"),
                                            (20, "question 2", "mention"),
                                            (30, "question 3", "channel")]
        new_id = await QuestionLog(db).record(QuestionRecord(
            question="asked in a terminal", source="terminal", user_id=TERMINAL_USER_ID,
            guild_id=None, channel_id=None, status="no_answer", entry_kind=None,
            entry_id=None, confidence=0.0, answered=False))
        # PostgreSQL's identity skips the value the refused insert above drew.
        assert new_id in (31, 32), "ids carry on after the highest one"
        with pytest.raises(IntegrityError):
            async with db.write() as tx:
                await tx.execute(
                    "INSERT INTO question_log (asked_at, question, source, user_id, status,"
                    " confidence, answered) VALUES (?, 'q', 'carrier pigeon', 0, 'no_answer',"
                    " 0.1, 0)", (NOW,))


async def test_the_sqlite_rebuild_keeps_the_indexes(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    async with open_database(url, migrate=False) as old:
        await _old_database(old)
    async with open_database(url) as db:
        indexes = {r[0] for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'question_log'")}
    assert {"question_log_asked_at", "question_log_unanswered", "question_log_user",
            "question_log_message"} <= indexes
