"""Quiz results storage: saved before success is reported, survives reopen, no lost writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz
from bot.quiz.scoring import QuizResult, score
from bot.storage.database import Database
from bot.storage.quiz_results import SqliteQuizResults

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "quiz" / "risk.yaml"


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    loaded, problems = load_quiz_file(SHIPPED)
    assert loaded is not None, problems
    return loaded


def _result(quiz: Quiz, stack: str = "frontend", career: str = "mid",
            work: str = "tickets", ai: str = "delegate") -> QuizResult:
    return score(quiz, {"stack": stack, "career": career, "work": work, "ai": ai})


async def test_saved_result_survives_a_reopen(tmp_path: Path, quiz: Quiz) -> None:
    path = tmp_path / "labwire.sqlite3"
    result = _result(quiz)
    async with Database.open(path) as db:
        saved = await SqliteQuizResults(db).save(result, user_id=1234567890123, guild_id=42)
    async with Database.open(path) as db:
        last = await SqliteQuizResults(db).last_for_user("1234567890123")
    assert last is not None
    assert last == saved
    assert (last.score, last.band, last.guild_id) == (result.score, result.band.id, "42")
    assert dict(last.answers) == dict(result.answers)
    assert last.quiz_version == quiz.version


async def test_last_result_is_the_newest_and_per_user(tmp_path: Path, quiz: Quiz) -> None:
    async with Database.open(tmp_path / "db.sqlite3") as db:
        repo = SqliteQuizResults(db)
        await repo.save(_result(quiz, career="student"), user_id="alice")
        newest = await repo.save(_result(quiz, career="senior"), user_id="alice")
        await repo.save(_result(quiz, career="junior"), user_id="bob")
        last = await repo.last_for_user("alice")
        assert last is not None and last.id == newest.id and last.answers["career"] == "senior"
        assert await repo.last_for_user("carol") is None


async def test_stats_count_each_persons_latest_result(tmp_path: Path, quiz: Quiz) -> None:
    async with Database.open(tmp_path / "db.sqlite3") as db:
        repo = SqliteQuizResults(db)
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


async def test_fifty_concurrent_writers_lose_nothing(tmp_path: Path, quiz: Quiz) -> None:
    path = tmp_path / "busy.sqlite3"
    result = _result(quiz)
    async with Database.open(path) as db:
        repo = SqliteQuizResults(db)
        saved = await asyncio.gather(
            *(repo.save(result, user_id=f"user-{i}", guild_id=7) for i in range(50)))
    assert len({s.id for s in saved}) == 50
    async with Database.open(path) as db:
        stats = await SqliteQuizResults(db).stats(guild_id=7)
        users = await db.fetchall("SELECT DISTINCT user_id FROM quiz_results")
    assert (stats.count, stats.attempts) == (50, 50)
    assert {r["user_id"] for r in users} == {f"user-{i}" for i in range(50)}


async def test_bad_user_id_is_refused_and_nothing_is_saved(tmp_path: Path, quiz: Quiz) -> None:
    async with Database.open(tmp_path / "db.sqlite3") as db:
        repo = SqliteQuizResults(db)
        with pytest.raises(ValueError, match="must not be empty"):
            await repo.save(_result(quiz), user_id="  ")
        assert (await repo.stats()).attempts == 0


async def test_forgetting_a_user_deletes_only_their_results(tmp_path: Path, quiz: Quiz) -> None:
    async with Database.open(tmp_path / "db.sqlite3") as db:
        repo = SqliteQuizResults(db)
        for user in ("a", "a", "b"):
            await repo.save(_result(quiz), user_id=user)
        assert await repo.delete_user("a") == 2
        assert await repo.last_for_user("a") is None
        assert await repo.last_for_user("b") is not None
