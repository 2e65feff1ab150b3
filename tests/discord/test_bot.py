"""Heartbeat, retention pruning and the shutdown drain, in process."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from bot.discord.bot import LabwireBot
from bot.ops.heartbeat import read_heartbeat
from bot.storage.database import Database
from bot.storage.question_log import QuestionLog, QuestionRecord, Vote, utc_text
from tests.discord.conftest import StartBot
from tests.discord.helpers import button_with, embed_text
from tests.fake_discord import FakeDiscord


async def test_heartbeat_is_written_once_connected(fake: FakeDiscord, bot: LabwireBot) -> None:
    await fake.wait(bot.heartbeat_written.wait(), 10, "the first heartbeat")
    status = read_heartbeat(bot.settings.heartbeat_path)
    assert status is not None
    assert status.gateway_connected and status.knowledge_loaded and status.database_writable
    assert status.written_at > 0


async def test_rows_older_than_the_retention_period_are_pruned(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    bot = await start_bot(retention_days=30)
    for text, age_days in (("old", 31), ("recent", 29)):
        row_id = await bot.services.questions.record(QuestionRecord(
            question=text, source="slash", user_id=1, guild_id=None, channel_id=None,
            status="no_answer", entry_kind=None, entry_id=None, confidence=0.0, answered=False))
        async with bot.services.db.write() as conn:
            await conn.execute("UPDATE question_log SET asked_at = ? WHERE id = ?",
                               (utc_text(dt.datetime.now(dt.UTC) - dt.timedelta(days=age_days)),
                                row_id))
    await bot.prune_old_rows()
    rows = await bot.services.db.fetchall("SELECT question FROM question_log")
    assert [r["question"] for r in rows] == ["recent"]


async def test_draining_bot_refuses_new_interactions_politely(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    assert await bot.drain(grace=1.0) is True
    reply = await (await fake.invoke_slash("ask", {"question": "why did Kalinowski quit?"}))\
        .response()
    assert reply.ephemeral
    assert "restarting" in embed_text(reply)
    assert await bot.services.db.fetchall("SELECT * FROM question_log") == []


class SlowVotes:
    """The real question log, but votes wait for the test to open a gate (a stalled disk)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.gate = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def vote(self, vote: Vote) -> Any:
        await self.gate.wait()
        return await self.inner.vote(vote)


async def test_slow_work_is_deferred_within_discords_deadline_then_answered(
    fake: FakeDiscord, start_bot: StartBot, db: Database
) -> None:
    slow = SlowVotes(QuestionLog(db))
    await start_bot(ack_budget=0.05, questions=slow)
    handle = await fake.invoke_slash("ask", {"question": "why did Kalinowski quit?"})
    answer = await handle.response()

    click = await fake.click(handle.original_message, button_with(answer, "👍"))
    deferred = await click.response()
    assert deferred.callback_type == 5 and deferred.ephemeral  # "thinking…", only for the voter
    slow.gate.set()
    followup = await click.followup()
    assert "recorded" in embed_text(followup)
    assert followup.ephemeral
