"""The question log and feedback repository (migration 0002), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.storage import Database
from bot.storage.database import utc_text
from bot.storage.question_log import QuestionLog, QuestionRecord, Vote
from tests.storage.rows import count


def question(user_id: int = 1, *, answered: bool = True, text: str = "why?") -> QuestionRecord:
    return QuestionRecord(
        question=text, source="slash", user_id=user_id, guild_id=10, channel_id=20,
        status="answered" if answered else "no_answer", entry_kind="article" if answered else None,
        entry_id="a1" if answered else None, confidence=0.9 if answered else 0.0,
        answered=answered, message_id=500 if answered else None,
    )


def vote(user_id: int, value: int, message_id: int = 500) -> Vote:
    return Vote(message_id=message_id, user_id=user_id, guild_id=10, entry_kind="article",
                entry_id="a1", vote=1 if value > 0 else -1)


async def test_recorded_question_reads_back_with_a_utc_time(db: Database) -> None:
    log = QuestionLog(db)
    snowflake = 1_234_567_890_123_456_789  # Discord ids need 64 bits
    row_id = await log.record(question(user_id=snowflake, text="why did Kalinowski quit?"))
    row = await db.fetchone("SELECT * FROM question_log WHERE id = ?", (row_id,))
    assert row is not None
    assert (row["question"], row["user_id"], row["entry_id"]) == (
        "why did Kalinowski quit?", snowflake, "a1")
    assert (row["answered"], row["confidence"]) == (1, 0.9)
    assert row["asked_at"].endswith("Z") and len(row["asked_at"]) == len(utc_text())


async def test_row_ids_count_up_in_the_order_questions_arrive(db: Database) -> None:
    log = QuestionLog(db)
    ids = [await log.record(question(text=f"q{n}")) for n in range(3)]
    assert ids == sorted(ids) and len(set(ids)) == 3


async def test_picked_suggestion_marks_the_question_answered(db: Database) -> None:
    log = QuestionLog(db)
    row_id = await log.record(question(answered=False))
    await log.mark_answered(row_id, entry_kind="person", entry_id="p1", message_id=77)
    row = await db.fetchone(
        "SELECT answered, entry_kind, entry_id, message_id FROM question_log WHERE id = ?",
        (row_id,))
    assert row is not None and tuple(row) == (1, "person", "p1", 77)


async def test_an_answer_message_leads_back_to_its_entry(db: Database) -> None:
    """A reply to an answer posted before a restart is a follow-up about that entry."""
    log = QuestionLog(db)
    await log.record(question())  # 'a1' shown in message 500
    unanswered = await log.record(question(answered=False))
    await log.mark_answered(unanswered, entry_kind="person", entry_id="p1", message_id=77)
    assert await log.answered_entry(500) == ("article", "a1")
    assert await log.answered_entry(77) == ("person", "p1")
    assert await log.answered_entry(999) is None


async def test_one_vote_per_user_per_answer_changeable(db: Database) -> None:
    log = QuestionLog(db)
    assert await log.vote(vote(1, +1)) == "new"
    assert await log.vote(vote(1, +1)) == "unchanged"
    assert await log.vote(vote(1, -1)) == "changed"
    assert await log.vote(vote(2, +1)) == "new"
    rows = await db.fetchall("SELECT user_id, vote FROM feedback ORDER BY user_id")
    assert [tuple(r) for r in rows] == [(1, -1), (2, 1)]


async def test_prune_deletes_only_rows_older_than_the_cutoff(db: Database) -> None:
    log = QuestionLog(db)
    old = utc_text(dt.datetime.now(dt.UTC) - dt.timedelta(days=91))
    await log.record(question(text="recent"))
    old_id = await log.record(question(text="old"))
    async with db.write() as tx:
        await tx.execute("UPDATE question_log SET asked_at = ? WHERE id = ?", (old, old_id))
    await log.vote(vote(1, +1))

    pruned = await log.prune(dt.datetime.now(dt.UTC) - dt.timedelta(days=90))
    assert (pruned.questions, pruned.feedback) == (1, 0)
    remaining = await db.fetchall("SELECT question FROM question_log")
    assert [r["question"] for r in remaining] == ["recent"]


async def test_concurrent_writers_lose_nothing(db: Database) -> None:
    log = QuestionLog(db)
    ids = await asyncio.gather(*(log.record(question(user_id=n)) for n in range(60)))
    await asyncio.gather(*(log.vote(vote(n, +1, message_id=n)) for n in range(60)))
    assert len(set(ids)) == 60
    assert await count(db, "question_log", "WHERE user_id < ?", (60,)) == 60
    assert await count(db, "feedback") == 60


def test_stored_times_sort_as_text() -> None:
    early = utc_text(dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC))
    late = utc_text(dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    assert early < late and early.endswith("Z")
