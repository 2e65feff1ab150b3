"""The question log and feedback repository (migration 0002)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.question_log import QuestionRecord, SQLiteQuestionLog, Vote, utc_text


@pytest.fixture
async def log(tmp_path: Path) -> AsyncIterator[SQLiteQuestionLog]:
    async with Database.open(tmp_path / "q.sqlite3") as db:
        yield SQLiteQuestionLog(db)


def question(user_id: int = 1, *, answered: bool = True, text: str = "why?") -> QuestionRecord:
    return QuestionRecord(
        question=text, source="slash", user_id=user_id, guild_id=10, channel_id=20,
        status="answered" if answered else "no_answer", entry_kind="article" if answered else None,
        entry_id="a1" if answered else None, confidence=0.9 if answered else 0.0,
        answered=answered, message_id=500 if answered else None,
    )


async def test_recorded_question_reads_back(log: SQLiteQuestionLog) -> None:
    row_id = await log.record(question(text="why did Kalinowski quit?"))
    stored = await log.get(row_id)
    assert stored is not None
    assert stored.question == "why did Kalinowski quit?"
    assert (stored.entry_kind, stored.entry_id, stored.answered) == ("article", "a1", True)
    assert stored.asked_at.endswith("Z")


async def test_picked_suggestion_marks_the_question_answered(log: SQLiteQuestionLog) -> None:
    row_id = await log.record(question(answered=False))
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    assert [q.id for q in await log.unanswered(since)] == [row_id]

    await log.mark_answered(row_id, entry_kind="person", entry_id="p1", message_id=77)
    assert await log.unanswered(since) == []
    stored = await log.get(row_id)
    assert stored is not None and (stored.entry_id, stored.message_id) == ("p1", 77)


async def test_one_vote_per_user_per_answer_changeable(log: SQLiteQuestionLog) -> None:
    def vote(user_id: int, value: int) -> Vote:
        return Vote(message_id=500, user_id=user_id, guild_id=10, entry_kind="article",
                    entry_id="a1", vote=1 if value > 0 else -1)

    assert await log.vote(vote(1, +1)) == "new"
    assert await log.vote(vote(1, +1)) == "unchanged"
    assert await log.vote(vote(1, -1)) == "changed"
    assert await log.vote(vote(2, +1)) == "new"
    assert await log.vote_counts(500) == (1, 1)
    assert await log.vote_counts(501) == (0, 0)


async def test_prune_deletes_only_rows_older_than_the_cutoff(
    log: SQLiteQuestionLog, tmp_path: Path
) -> None:
    old = utc_text(dt.datetime.now(dt.UTC) - dt.timedelta(days=91))
    await log.record(question(text="recent"))
    old_id = await log.record(question(text="old"))
    async with log.db.write() as conn:
        await conn.execute("UPDATE question_log SET asked_at = ? WHERE id = ?", (old, old_id))
    await log.vote(Vote(500, 1, 10, "article", "a1", 1))

    pruned = await log.prune(dt.datetime.now(dt.UTC) - dt.timedelta(days=90))
    assert (pruned.questions, pruned.feedback) == (1, 0)
    remaining = await log.db.fetchall("SELECT question FROM question_log")
    assert [r["question"] for r in remaining] == ["recent"]


async def test_forget_user_removes_only_their_rows(log: SQLiteQuestionLog) -> None:
    await log.record(question(user_id=1))
    await log.record(question(user_id=2))
    await log.vote(Vote(500, 1, 10, "article", "a1", 1))
    await log.vote(Vote(500, 2, 10, "article", "a1", -1))

    gone = await log.forget_user(1)
    assert (gone.questions, gone.feedback) == (1, 1)
    users = {r["user_id"] for r in await log.db.fetchall("SELECT user_id FROM question_log")}
    assert users == {2}
    assert await log.vote_counts(500) == (0, 1)


async def test_concurrent_writers_lose_nothing(log: SQLiteQuestionLog) -> None:
    await asyncio.gather(*(log.record(question(user_id=n)) for n in range(50)))
    await log.record_many([question(user_id=100 + n) for n in range(25)])
    row = await log.db.fetchone("SELECT COUNT(DISTINCT user_id) FROM question_log")
    assert row is not None and row[0] == 75


def test_stored_times_sort_as_text() -> None:
    early = utc_text(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    late = utc_text(dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    assert early < late and early.endswith("Z")
