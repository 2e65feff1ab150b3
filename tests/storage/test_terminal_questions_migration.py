"""Migration 0007: question_log accepts terminal questions and keeps every row, id and index.

The database is built the way an older bot left it (migrations before 0007 only,
a few logged questions); opening it applies 0007.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import Database, bundled_migrations
from bot.storage.question_log import TERMINAL_USER_ID, QuestionRecord, SQLiteQuestionLog

NOW = "2026-05-01T09:00:00.000000Z"


def _database_before_0007(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                     " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT '2026-01-01')")
        for version, name, sql in bundled_migrations():
            if version < 7:
                conn.executescript(sql)
                conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                             (version, name))
        for n, source in enumerate(("slash", "mention", "channel"), start=1):
            conn.execute(
                "INSERT INTO question_log (id, asked_at, question, source, user_id, status,"
                " confidence, answered) VALUES (?, ?, ?, ?, 42, 'no_answer', 0.1, 0)",
                (n * 10, NOW, f"question {n}", source))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO question_log (asked_at, question, source, user_id, status,"
                " confidence, answered) VALUES (?, 'q', 'terminal', 0, 'no_answer', 0.1, 0)",
                (NOW,))


async def test_terminal_questions_are_accepted_and_old_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_before_0007(path)
    async with Database.open(path) as db:
        rows = await db.fetchall("SELECT id, question, source FROM question_log ORDER BY id")
        assert [tuple(r) for r in rows] == [(10, "question 1", "slash"),
                                            (20, "question 2", "mention"),
                                            (30, "question 3", "channel")]
        new_id = await SQLiteQuestionLog(db).record(QuestionRecord(
            question="asked in a terminal", source="terminal", user_id=TERMINAL_USER_ID,
            guild_id=None, channel_id=None, status="no_answer", entry_kind=None,
            entry_id=None, confidence=0.0, answered=False))
        assert new_id == 31, "ids carry on after the highest one"
        indexes = {r[0] for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'question_log'")}
        assert {"question_log_asked_at", "question_log_unanswered", "question_log_user",
                "question_log_message"} <= indexes
        with pytest.raises(sqlite3.IntegrityError):
            async with db.write() as conn:
                await conn.execute(
                    "INSERT INTO question_log (asked_at, question, source, user_id, status,"
                    " confidence, answered) VALUES (?, 'q', 'carrier pigeon', 0, 'no_answer',"
                    " 0.1, 0)", (NOW,))
