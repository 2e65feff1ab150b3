"""Migration 0004: a database written under the old URL-slug ids names entries by the new ids.

The database is built the way an older bot left it (migrations 0001-0003 only, rows
holding old article ids); opening it applies 0004, and every row is checked, on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.knowledge import EntryKey, load_knowledge_or_raise
from bot.storage import Database, open_database
from bot.storage.database import Transaction
from tests.storage.old_schema import apply_migrations_below

REPO = Path(__file__).resolve().parents[2]
MIGRATION = REPO / "bot" / "storage" / "migrations" / "0004_short_ids.sql"
NOW = "2026-05-01T09:00:00.000000Z"

KALINOWSKI_OLD = "openai-caitlin-kalinowski-robotics-resignation-pentagon-deal-2026"
KALINOWSKI_NEW = "2026-03-07-kalinowski-quits-openai"
LIN_OLD = ("us-district-judge-rita-lin-blocks-pentagon-designation-of-anthropic-supply-chain"
           "--Story_20260326_JudgeRitaFLinOrdersT989de991")
LIN_NEW = "2026-03-26-judge-lin-blocks-designation"
LECUN_OLD = "meta-ai-chief-yann-lecun-to-leave-company"
LECUN_NEW = "2025-11-12-lecun-to-leave-meta"


def migration_renames() -> dict[str, str]:
    """The (old id, new id) rows of the migration's rename table."""
    text = MIGRATION.read_text(encoding="utf-8")
    return dict(re.findall(r"\('([^']+)',\s*'([^']+)'\)", text))


@pytest.fixture(scope="module")
def renames() -> dict[str, str]:
    return migration_renames()


async def _old_database(db: Database) -> None:
    """Make ``db`` what a bot without 0004 left: migrations 0001-0003 only."""
    async with db.write() as tx:
        await apply_migrations_below(tx, db.backend, 4, NOW)


async def _log(conn: Transaction, kind: str | None, entry_id: str | None) -> None:
    await conn.execute(
        "INSERT INTO question_log (asked_at, question, source, user_id, status, entry_kind,"
        " entry_id, confidence, answered) VALUES (?, 'q', 'slash', 1, 'answered', ?, ?, 0.9, 1)",
        (NOW, kind, entry_id))


async def _vote(conn: Transaction, message_id: int, kind: str, entry_id: str) -> None:
    await conn.execute(
        "INSERT INTO feedback (message_id, user_id, entry_kind, entry_id, vote, created_at,"
        " updated_at) VALUES (?, 7, ?, ?, 1, ?, ?)", (message_id, kind, entry_id, NOW, NOW))


async def _revision(conn: Transaction, entry: str, file: str) -> None:
    await conn.execute(
        "INSERT INTO kb_revisions (created_at, kind, entry, file, before_text, after_text)"
        " VALUES (?, 'upload', ?, ?, '', 'id: x')", (NOW, entry, file))


async def _seen(conn: Transaction, file: str, text: str) -> None:
    await conn.execute(
        "INSERT INTO kb_files_seen (file, sha256, text, seen_at) VALUES (?, 'h', ?, ?)",
        (file, text, NOW))


@asynccontextmanager
async def _migrated(
    database_url: str, fill: Callable[[Transaction], Awaitable[None]]
) -> AsyncIterator[Database]:
    """An old database holding what ``fill`` writes, reopened the way the bot opens it."""
    async with open_database(database_url, migrate=False) as old:
        await _old_database(old)
        async with old.write() as tx:
            await fill(tx)
    async with open_database(database_url) as db:
        versions = [r[0] for r in await db.fetchall("SELECT version FROM schema_migrations")]
        assert 4 in versions
        yield db


def test_the_rename_table_is_exactly_the_shipped_previous_ids(renames: dict[str, str]) -> None:
    kb = load_knowledge_or_raise(REPO / "knowledge")
    shipped = {old.id: new.id for old, new in kb.renamed.items() if old.kind == "article"}
    assert renames == shipped
    assert len(renames) == 40


async def test_every_logged_and_voted_old_article_id_is_rewritten(
    database_url: str, renames: dict[str, str]
) -> None:
    async def fill(conn: Transaction) -> None:
        for number, old in enumerate(sorted(renames), start=1):
            await _log(conn, "article", old)
            await _vote(conn, number, "article", old)
        await _log(conn, "person", "caitlin-kalinowski")
        await _log(conn, "article", "some-story-this-knowledge-base-never-had")
        await _log(conn, None, None)
        await _vote(conn, 999, "org", "openai")

    async with _migrated(database_url, fill) as db:
        logged = [(r[0], r[1]) for r in await db.fetchall(
            "SELECT entry_kind, entry_id FROM question_log ORDER BY id")]
        voted = [(r[0], r[1]) for r in await db.fetchall(
            "SELECT entry_kind, entry_id FROM feedback ORDER BY message_id")]
    new_ids = [("article", renames[old]) for old in sorted(renames)]
    assert logged == [*new_ids, ("person", "caitlin-kalinowski"),
                      ("article", "some-story-this-knowledge-base-never-had"), (None, None)]
    assert voted == [*new_ids, ("org", "openai")]


async def test_revisions_name_the_new_entry_and_file(database_url: str) -> None:
    async def fill(conn: Transaction) -> None:
        await _revision(conn, f"article:{KALINOWSKI_OLD}", f"articles/{KALINOWSKI_OLD}.yaml")
        await _revision(conn, f"article:{LIN_OLD}", f"articles/{LIN_OLD}.yaml")
        await _revision(conn, "org:openai,org:meta", "orgs.yaml")
        await _revision(conn, "person:caitlin-kalinowski", "people/caitlin-kalinowski.yaml")

    async with _migrated(database_url, fill) as db:
        rows = [(r[0], r[1]) for r in await db.fetchall(
            "SELECT entry, file FROM kb_revisions ORDER BY id")]
    assert rows == [
        (f"article:{KALINOWSKI_NEW}", f"articles/{KALINOWSKI_NEW}.yaml"),
        (f"article:{LIN_NEW}", f"articles/{LIN_NEW}.yaml"),
        ("org:openai,org:meta", "orgs.yaml"),
        ("person:caitlin-kalinowski", "people/caitlin-kalinowski.yaml"),
    ]


async def test_the_watchers_snapshot_follows_the_renamed_files(database_url: str) -> None:
    async def fill(conn: Transaction) -> None:
        await _seen(conn, f"articles/{KALINOWSKI_OLD}.yaml", "old text")
        await _seen(conn, "orgs.yaml", "orgs")
        # Both names already seen (a newer bot ran once): the new row wins.
        await _seen(conn, f"articles/{LECUN_OLD}.yaml", "stale text")
        await _seen(conn, f"articles/{LECUN_NEW}.yaml", "current text")

    async with _migrated(database_url, fill) as db:
        rows = {r[0]: r[1] for r in await db.fetchall("SELECT file, text FROM kb_files_seen")}
    assert rows == {f"articles/{KALINOWSKI_NEW}.yaml": "old text", "orgs.yaml": "orgs",
                    f"articles/{LECUN_NEW}.yaml": "current text"}


def test_a_migrated_id_resolves_and_an_old_one_still_does() -> None:
    """After the migration the stored id is current; an old id from a button still resolves."""
    kb = load_knowledge_or_raise(REPO / "knowledge")
    assert kb.resolve(EntryKey("article", KALINOWSKI_NEW)) == EntryKey("article", KALINOWSKI_NEW)
    assert kb.resolve(EntryKey("article", KALINOWSKI_OLD)) == EntryKey("article", KALINOWSKI_NEW)
    assert kb.resolve(EntryKey("article", LIN_OLD)) == EntryKey("article", LIN_NEW)


async def test_a_fresh_database_applies_the_migration_without_rows(database_url: str) -> None:
    async with open_database(database_url) as db:
        tables = await db.tables()
        assert (await db.schema_status()).up_to_date
    assert "short_id_renames" not in tables, "the rename table is dropped again"
