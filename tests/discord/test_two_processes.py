"""Two real ``labwire run`` processes on different shards, one PostgreSQL (issue 15).

Process A runs shard 0 and process B shard 1 of two; the fake Discord sends each
guild's events on its shard, as Discord does.  One story, told in order:
``/ask`` is answered on both shards; a ``/kb upload`` through A is answered by B
within 5 s; ``/privacy forget-me`` through B removes the member's rows written
by both; the weekly briefing is posted once per guild; A is killed in the middle
of a burst of votes, no acknowledged vote is lost, and B takes over the
per-deployment work.  Timings are logged (``-o log_cli=true`` shows them).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.storage import Database, open_database
from bot.storage.moderation import BriefingStore
from tests.discord.helpers import (
    ZURICH_ARTICLE,
    ZURICH_ID,
    ZURICH_QUESTION,
    ZURICH_TITLE,
    Cdn,
    button_with,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord, FakeGuild, InteractionHandle
from tests.fake_discord.sample_kb import write_sample_knowledge

log = logging.getLogger(__name__)

REPO_ROOT = str(Path(__file__).resolve().parents[2])
SHARDS = 2
START_WITHIN = 60.0
EDIT_REACHES_B_WITHIN = 5.0  # the bound
TAKE_OVER_WITHIN = 30.0
BURST = 60
KILL_AFTER = 15  # acknowledged votes before A is killed
DEPLOYMENT_WORK = "this process does the per-deployment work"


@dataclass
class BotProcess:
    name: str
    proc: asyncio.subprocess.Process
    log_path: Path

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
async def fake_server() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()  # not patched: the processes read the URLs from env
    server.shard_count = SHARDS
    yield server
    await server.stop()


async def start_process(fake: FakeDiscord, tmp_path: Path, database_url: str, name: str,
                        shard: int, stack: AsyncExitStack) -> BotProcess:
    home = tmp_path / name
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN="fake-token-0123456789",
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        LABWIRE_DATABASE_URL=database_url,
        LABWIRE_KNOWLEDGE=str(write_sample_knowledge(home / "knowledge", with_quiz=False)),
        LABWIRE_HEARTBEAT=str(home / "heartbeat.json"),
        LABWIRE_GUILD_READY_TIMEOUT="0.05",
        LABWIRE_ASK_COOLDOWN="0",
        LABWIRE_BRIEFING_POLL_SECONDS="0.2",
        PYTHONPATH=REPO_ROOT,
    )
    log_path = home / "labwire.log"
    log_file = stack.enter_context(log_path.open("wb"))
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--shard-ids", str(shard),
        "--shard-count", str(SHARDS), env=env, cwd=home,
        stdout=asyncio.subprocess.DEVNULL, stderr=log_file)

    async def stop() -> None:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 20)
            except TimeoutError:
                proc.kill()
                await proc.wait()

    stack.push_async_callback(stop)
    return BotProcess(name, proc, log_path)


async def deployment_lock_holders(db: Database) -> int:
    """Sessions holding a Labwire deployment lock (advisory locks on its own connection)."""
    return int(await db.fetchval(
        "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
        " WHERE l.locktype = 'advisory' AND l.granted"
        " AND a.application_name = 'labwire lock deployment'"))


async def until(check: Callable[[], Awaitable[bool]], within: float, what: str) -> float:
    """Poll ``check()`` (an async callable) until true; return the seconds it took."""
    started = time.perf_counter()
    while not await check():
        if time.perf_counter() - started > within:
            raise AssertionError(f"no {what} within {within} s")
        await asyncio.sleep(0.05)  # polling another process's state, not waiting for an event
    return time.perf_counter() - started


async def ask(fake: FakeDiscord, guild: FakeGuild, question: str, *, user: str = "alice",
              channel: str = "general") -> tuple[str, InteractionHandle]:
    handle = await fake.invoke_slash("ask", {"question": question}, user=user, guild=guild,
                                     channel=channel)
    reply = await handle.response(within=15)
    return (reply.embeds[0].get("title") or "") if reply.embeds else "", handle


async def test_two_processes_on_two_shards_share_one_postgresql(
    fake_server: FakeDiscord, cdn: Cdn, tmp_path: Path, postgres_url: str,
) -> None:
    fake = fake_server
    guilds = [fake.add_guild(f"Shard {n} server", shard=n, shard_count=SHARDS)
              for n in range(SHARDS)]
    timings: dict[str, float] = {}
    async with AsyncExitStack() as stack:
        db = await stack.enter_async_context(open_database(postgres_url))
        started = time.perf_counter()
        a = await start_process(fake, tmp_path, postgres_url, "a", 0, stack)
        await fake.wait_shards_ready({0}, START_WITHIN)
        await until(lambda: _held(db), START_WITHIN, "deployment lock taken by A")
        b = await start_process(fake, tmp_path, postgres_url, "b", 1, stack)
        await fake.wait_shards_ready({1}, START_WITHIN)
        timings["both processes connected (s)"] = time.perf_counter() - started

        # /ask in a guild on each shard: each is answered (by the process owning it).
        for guild in guilds:
            title, _ = await ask(fake, guild, "why did Kalinowski quit?")
            assert title == "OpenAI's Robotics Lead Quits Over Pentagon Deal", title

        # An upload through A is answered in B's guild within 5 s.
        value, resolved = cdn.attachment(f"{ZURICH_ID}.yaml", ZURICH_ARTICLE.encode())
        upload = await run_command(fake, "kb upload", {"file": value}, resolved=resolved,
                                   guild=guilds[0])
        await upload.response(within=15)
        assert "added" in embed_text(await upload.followup(within=15)).lower()
        uploaded_at = time.perf_counter()
        channels = iter(["general", "questions", "random"] * 1000)
        users = iter(f"poller{n}" for n in range(10**6))

        async def b_answers_zurich() -> bool:
            title, _ = await ask(fake, guilds[1], ZURICH_QUESTION, user=next(users),
                                 channel=next(channels))
            return title == ZURICH_TITLE

        await until(b_answers_zurich, EDIT_REACHES_B_WITHIN, "answer from B after the upload")
        timings["upload through A answered by B (s)"] = time.perf_counter() - uploaded_at

        # forget-me through B deletes what both processes stored about the member.
        alice = int(fake.user("alice").id)
        assert await _rows_of(db, alice) > 0
        prompt = await run_command(fake, "privacy forget-me", user="alice", guild=guilds[1])
        await prompt.response(within=15)
        confirm = await fake.click(prompt.original_message, "privacy:forget:confirm",
                                   user="alice", guild=guilds[1])
        assert "Deleted" in embed_text(await confirm.response(within=15))
        assert await _rows_of(db, alice) == 0

        # The weekly briefing: due in both guilds, posted once in each.
        briefings = BriefingStore(db)
        week_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
        for guild in guilds:
            await briefings.subscribe(int(guild.id), int(guild.channel("general")["id"]),
                                      weekday=0, hour=0, by=None, at=week_ago)
        posted_from = fake.mark()
        briefed_at = time.perf_counter()
        for guild in guilds:
            await fake.wait_for_channel_message(guild.channel("general")["id"],
                                                after=posted_from, within=15)

        async def both_handled() -> bool:
            return all(s.last_sent_at is not None for s in await briefings.all())

        await until(both_handled, 15, "both briefings marked as sent")
        timings["briefing posted in both guilds (s)"] = time.perf_counter() - briefed_at
        for guild in guilds:
            path = f"/channels/{guild.channel('general')['id']}/messages"
            posts = [c for c in fake.calls[posted_from:]
                     if c.method == "POST" and c.path == path and c.embeds]
            assert len(posts) == 1, f"{guild.name}: {len(posts)} briefing posts"

        # A is killed in the middle of a burst of votes: every acknowledged vote is stored.
        _, card = await ask(fake, guilds[0], "who is Sam Altman", channel="questions")
        up = button_with(card.original_message, "👍")
        votes: list[tuple[int, InteractionHandle]] = []
        for n in range(BURST):
            voter = fake.user(f"voter{n}")
            votes.append((int(voter.id), await fake.click(
                card.original_message, up, user=voter, guild=guilds[0])))
            if n == 2 * KILL_AFTER:  # half the burst sent, part of it answered
                await votes[KILL_AFTER][1].response(within=15)
                a.proc.send_signal(signal.SIGKILL)
                killed_at = time.perf_counter()
        await a.proc.wait()
        acknowledged = [voter for voter, handle in votes
                        if handle.responded and "recorded" in embed_text(handle.calls[0])]
        assert KILL_AFTER < len(acknowledged) < BURST
        stored = {int(r[0]) for r in await db.fetchall(
            "SELECT user_id FROM feedback WHERE message_id = ?",
            (int(card.original_message["id"]),))}
        assert set(acknowledged) <= stored

        await until(lambda: _held(db), TAKE_OVER_WITHIN, "deployment lock taken over")

        async def b_says_so() -> bool:
            return DEPLOYMENT_WORK in b.log_text()

        await until(b_says_so, TAKE_OVER_WITHIN, "B to take over the per-deployment work")
        timings["B took over after A was killed (s)"] = time.perf_counter() - killed_at
        assert DEPLOYMENT_WORK in a.log_text()
        title, _ = await ask(fake, guilds[1], "is Yann LeCun leaving Meta?")
        assert "LeCun" in title  # B keeps answering
        timings["acknowledged votes before the kill"] = float(len(acknowledged))
    for name, value in timings.items():
        log.info("two-process timing: %s = %.2f", name, value)


async def _held(db: Database) -> bool:
    return await deployment_lock_holders(db) == 1


async def _rows_of(db: Database, user_id: int) -> int:
    total = 0
    for table in ("question_log", "feedback", "quiz_results", "ask_cooldowns"):
        column_value: object = str(user_id) if table == "quiz_results" else user_id
        total += int(await db.fetchval(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?",
                                       (column_value,)))
    return total

