"""/privacy forget-me (after a confirmation button) and export-me, end to end."""

from __future__ import annotations

import json

from bot.discord.bot import LabwireBot
from bot.storage.database import Database
from tests.discord.helpers import (
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord

LEIKE = "lw:down:a:2024-05-17-jan-leike-leaves-openai"


async def _rows(db: Database, user_id: str) -> dict[str, int]:
    counts = {}
    for table in ("quiz_results", "question_log", "feedback"):
        row = await db.fetchone(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,))
        counts[table] = int(row[0]) if row else 0
    return counts


async def _quiz_result(db: Database, user_id: str) -> None:
    async with db.write() as conn:
        await conn.execute(
            "INSERT INTO quiz_results (user_id, guild_id, quiz_version, answers, score, band,"
            " created_at) VALUES (?, NULL, 1, '{}', 55, 'moderate',"
            " '2026-04-01T00:00:00.000000Z')", (user_id,))


async def _activity(fake: FakeDiscord, db: Database, user: str, channel: str = "general") -> None:
    """Two questions, one vote and a quiz result for ``user``."""
    handle = await fake.invoke_slash("ask", {"question": "why did Jan Leike leave OpenAI?"},
                                     user=user, channel=channel)
    await handle.response()
    vote = await fake.click(handle.original_message, LEIKE, user=user)
    await vote.response()
    other = await fake.invoke_slash("ask", {"question": "what is the capital of peru"},
                                    user=user, channel=channel)
    await other.response()
    await _quiz_result(db, fake.user(user).id)


async def test_forget_me_deletes_my_rows_and_leaves_others(
    fake: FakeDiscord, bot: LabwireBot, db: Database
) -> None:
    await _activity(fake, db, "alice")
    await _activity(fake, db, "bob", "questions")  # another channel: no 60 s duplicate rule
    alice, bob = fake.user("alice").id, fake.user("bob").id
    assert await _rows(db, alice) == {"quiz_results": 1, "question_log": 2, "feedback": 1}

    ask = await run_command(fake, "privacy forget-me", user="alice")
    prompt = await ask.response()
    assert prompt.ephemeral and "Delete your data?" in embed_text(prompt)
    assert await _rows(db, alice) == {"quiz_results": 1, "question_log": 2, "feedback": 1}

    intruder = await fake.click(ask.original_message, "privacy:forget:confirm", user="bob")
    assert "Only the person who asked" in embed_text(await intruder.response())
    assert await _rows(db, bob) == {"quiz_results": 1, "question_log": 2, "feedback": 1}

    confirm = await fake.click(ask.original_message, "privacy:forget:confirm", user="alice")
    done = await confirm.response()

    assert done.callback_type == 7
    assert "Deleted 4 rows: 1 quiz result, 2 questions, 1 vote." in embed_text(done)
    assert await _rows(db, alice) == {"quiz_results": 0, "question_log": 0, "feedback": 0}
    assert await _rows(db, bob) == {"quiz_results": 1, "question_log": 2, "feedback": 1}


async def test_cancel_deletes_nothing(fake: FakeDiscord, bot: LabwireBot, db: Database) -> None:
    await _activity(fake, db, "alice")
    ask = await run_command(fake, "privacy forget-me", user="alice")
    await ask.response()
    cancel = await fake.click(ask.original_message, "privacy:forget:cancel", user="alice")
    assert "Nothing was deleted." in embed_text(await cancel.response())
    assert await _rows(db, fake.user("alice").id) == {
        "quiz_results": 1, "question_log": 2, "feedback": 1}


async def test_export_me_sends_my_rows_only(
    fake: FakeDiscord, bot: LabwireBot, db: Database, sent_files: dict[str, bytes]
) -> None:
    await _activity(fake, db, "alice")
    await _activity(fake, db, "bob", "questions")  # another channel: no 60 s duplicate rule
    alice = fake.user("alice").id
    handle = await run_command(fake, "privacy export-me", user="alice")
    reply = await handle.response()
    assert reply.ephemeral
    exported = json.loads(sent_files[f"labwire-data-{alice}.json"])
    assert exported["user_id"] == alice
    questions = [r["question"] for r in exported["tables"]["question_log"]]
    assert questions == ["why did Jan Leike leave OpenAI?", "what is the capital of peru"]
    assert {str(r["user_id"]) for t in ("question_log", "feedback", "quiz_results")
            for r in exported["tables"][t]} == {alice}
