"""Quiz results storage, on SQLite and PostgreSQL: saved before success is reported,
survives a reopen, no lost writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz
from bot.quiz.scoring import QuizResult, score
from bot.storage import Database, open_database
from bot.storage.quiz_results import QuizResults

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "quiz" / "risk.yaml"


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    loaded, problems = load_quiz_file(SHIPPED)
    assert loaded is not None, problems
    return loaded


def _result(quiz: Quiz, stack: str = "frontend", career: str = "mid",
            work: str = "tickets", ai: str = "delegate") -> QuizResult:
    return score(quiz, {"stack": stack, "career": career, "work": work, "ai": ai})


async def test_saved_result_survives_a_reopen(database_url: str, quiz: Quiz) -> None:
    result = _result(quiz)
    async with open_database(database_url) as db:
        saved = await QuizResults(db).save(result, user_id=1234567890123, guild_id=42)
    async with open_database(database_url) as db:
        last = await QuizResults(db).last_for_user("1234567890123")
    assert last is not None
    assert last == saved
    assert (last.score, last.band, last.guild_id) == (result.score, result.band.id, "42")
    assert dict(last.answers) == dict(result.answers)
    assert last.quiz_version == quiz.version


async def test_last_result_is_the_newest_and_per_user(db: Database, quiz: Quiz) -> None:
    repo = QuizResults(db)
    await repo.save(_result(quiz, career="student"), user_id="alice")
    newest = await repo.save(_result(quiz, career="senior"), user_id="alice")
    await repo.save(_result(quiz, career="junior"), user_id="bob")
    last = await repo.last_for_user("alice")
    assert last is not None and last.id == newest.id and last.answers["career"] == "senior"
    assert await repo.last_for_user("carol") is None


async def test_stats_count_each_persons_latest_result(db: Database, quiz: Quiz) -> None:
    repo = QuizResults(db)
    empty = await repo.stats()
    assert (empty.count, empty.attempts, empty.median) == (0, 0, None)
    low = _result(quiz, "security", "manager", "research", "build-ai")
    high = _result(quiz)
    very_high = _result(quiz, "data", "student", "tickets", "rarely")
    assert (low.band.id, high.band.id, very_high.band.id) == ("low", "high", "very-high")
    await repo.save(very_high, user_id="a", guild_id=1)   # superseded by a's retake
    await repo.save(low, user_id="a", guild_id=1)
    await repo.save(high, user_id="b", guild_id=1)
    await repo.save(very_high, user_id="c", guild_id=2)

    guild = await repo.stats(guild_id=1)
    assert (guild.count, guild.attempts) == (2, 3)
    assert guild.median == (low.score + high.score) / 2
    assert dict(guild.by_band) == {"low": 1, "high": 1}

    everyone = await repo.stats()
    assert (everyone.count, everyone.attempts) == (3, 4)
    assert everyone.median == high.score
    assert dict(everyone.by_band) == {"low": 1, "high": 1, "very-high": 1}


async def test_fifty_concurrent_writers_lose_nothing(database_url: str, quiz: Quiz) -> None:
    result = _result(quiz)
    async with open_database(database_url) as db:
        repo = QuizResults(db)
        saved = await asyncio.gather(
            *(repo.save(result, user_id=f"user-{i}", guild_id=7) for i in range(50)))
    assert len({s.id for s in saved}) == 50
    async with open_database(database_url) as db:
        stats = await QuizResults(db).stats(guild_id=7)
        users = await db.fetchall("SELECT DISTINCT user_id FROM quiz_results")
    assert (stats.count, stats.attempts) == (50, 50)
    assert {r["user_id"] for r in users} == {f"user-{i}" for i in range(50)}


async def test_bad_user_id_is_refused_and_nothing_is_saved(db: Database, quiz: Quiz) -> None:
    repo = QuizResults(db)
    with pytest.raises(ValueError, match="must not be empty"):
        await repo.save(_result(quiz), user_id="  ")
    assert (await repo.stats()).attempts == 0
