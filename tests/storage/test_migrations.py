"""Numbered migrations: applied once on a fresh database, never twice."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.database import Database, bundled_migrations


async def test_fresh_database_gets_the_quiz_results_table(tmp_path: Path) -> None:
    async with Database.open(tmp_path / "fresh.sqlite3") as db:
        rows = await db.fetchall("SELECT version, name FROM schema_migrations ORDER BY version")
        assert (1, "quiz_results") in [(r["version"], r["name"]) for r in rows]
        assert [r["version"] for r in rows] == [v for v, _, _ in bundled_migrations()]
        columns = {r["name"] for r in await db.fetchall("PRAGMA table_info(quiz_results)")}
        assert {"user_id", "guild_id", "quiz_version", "answers", "score", "band",
                "created_at"} <= columns
        mode = await db.fetchone("PRAGMA journal_mode")
        assert mode is not None and mode[0] == "wal"
        fk = await db.fetchone("PRAGMA foreign_keys")
        assert fk is not None and fk[0] == 1


async def test_reopening_a_migrated_database_applies_nothing_and_keeps_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "twice.sqlite3"
    async with Database.open(path) as db:
        version = await db.schema_version()
        async with db.write() as conn:
            await conn.execute(
                "INSERT INTO quiz_results (user_id, quiz_version, answers, score, band,"
                " created_at) VALUES ('u1', 1, '{\"stack\": \"qa\"}', 40, 'moderate',"
                " '2026-06-01T00:00:00.000000Z')")
    async with Database.open(path) as db:
        assert await db.migrate() == []
        assert await db.schema_version() == version
        count = await db.fetchone("SELECT COUNT(*) FROM quiz_results")
        assert count is not None and count[0] == 1
        applied = await db.fetchone("SELECT COUNT(*) FROM schema_migrations WHERE version = 1")
        assert applied is not None and applied[0] == 1


async def test_the_table_rejects_impossible_rows(tmp_path: Path) -> None:
    async with Database.open(tmp_path / "checks.sqlite3") as db:
        for score, answers in ((101, '{"a": "b"}'), (50, "not json"), (50, "[1, 2]")):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                async with db.write() as conn:
                    await conn.execute(
                        "INSERT INTO quiz_results (user_id, quiz_version, answers, score, band,"
                        " created_at) VALUES ('u', 1, ?, ?, 'low', 'x')", (answers, score))
        count = await db.fetchone("SELECT COUNT(*) FROM quiz_results")
        assert count is not None and count[0] == 0
