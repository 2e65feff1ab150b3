"""Forget-me deletes one user's rows everywhere and nobody else's, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json

from bot.moderation.privacy import export_user, forget_user
from bot.quiz.loader import load_quiz_file
from bot.quiz.scoring import score
from bot.storage import Database
from bot.storage.moderation import NewRevision, PersonalTable, PrivacyStore, RevisionStore
from bot.storage.question_log import QuestionLog, QuestionRecord, Vote
from bot.storage.quiz_results import QuizResults
from tests.storage.rows import count
from tests.storage.test_quiz_results import SHIPPED

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
ME, OTHER = 1_234_567_890_123_456_789, 7777  # a real Discord id needs 64 bits


async def _ask(db: Database, text: str, user_id: int, message_id: int) -> None:
    await QuestionLog(db).record(QuestionRecord(
        question=text, source="slash", user_id=user_id, guild_id=999, channel_id=10,
        status="answered", entry_kind="article", entry_id="a", confidence=0.9, answered=True,
        message_id=message_id))


async def _vote(db: Database, message_id: int, user_id: int, value: int) -> None:
    await QuestionLog(db).vote(Vote(message_id, user_id, 999, "article", "a",
                                    1 if value > 0 else -1))


async def _quiz_result(db: Database, user_id: int) -> None:
    quiz, problems = load_quiz_file(SHIPPED)
    assert quiz is not None, problems
    answers = {q.id: q.options[0].id for q in quiz.questions}
    await QuizResults(db).save(score(quiz, answers), user_id=user_id, guild_id=999)


async def test_forget_deletes_only_that_users_rows(db: Database) -> None:
    await _quiz_result(db, ME)
    await _quiz_result(db, OTHER)
    await _ask(db, "who is sam altman", ME, message_id=1)
    await _ask(db, "who is ilya", ME, message_id=2)
    await _ask(db, "who is dario", OTHER, message_id=3)
    await _vote(db, 1, ME, -1)
    await _vote(db, 3, ME, 1)
    await _vote(db, 1, OTHER, 1)  # someone else's vote on my answer stays
    await RevisionStore(db).record([NewRevision(
        kind="teach", file="articles/a.yaml", before_text="a", after_text="b", entry="article:a",
        actor_id=ME, actor_name="me", guild_id=999)], {}, T0)
    store = PrivacyStore(db)

    exported = json.loads(await export_user(store, ME, T0))
    report = await forget_user(store, ME)

    tables = exported["tables"]
    assert [r["question"] for r in tables["question_log"]] == ["who is sam altman", "who is ilya"]
    assert [r["message_id"] for r in tables["feedback"]] == [1, 3]
    assert [r["user_id"] for r in tables["quiz_results"]] == [str(ME)]
    assert [r["entry"] for r in tables["kb_revisions"]] == ["article:a"]
    assert report.deleted == {"quiz_sessions": 0, "quiz_results": 1, "question_log": 2,
                              "feedback": 2}
    assert "Deleted 5 rows" in report.describe()
    assert await count(db, "quiz_results", "WHERE user_id = ?", (str(ME),)) == 0
    assert await count(db, "quiz_results", "WHERE user_id = ?", (str(OTHER),)) == 1
    for table in ("question_log", "feedback"):
        assert await count(db, table, "WHERE user_id = ?", (ME,)) == 0
        assert await count(db, table, "WHERE user_id = ?", (OTHER,)) == 1
    assert await count(db, "kb_revisions") == 1  # the audit trail stays (see bot/moderation)
    assert (await forget_user(store, ME)).total == 0


async def test_tables_not_created_yet_are_skipped(db: Database) -> None:
    store = PrivacyStore(db, tables=(PersonalTable("no_such_table", "user_id", "id"),
                                     PersonalTable("question_log", "user_id", "id")))
    await _ask(db, "who is ilya", ME, message_id=1)
    assert await store.forget_user(ME) == {"question_log": 1}
