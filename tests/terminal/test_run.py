"""``labwire run`` as a real subprocess against the fake Discord: connect, answer, stop cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fake_discord import FakeDiscord, InteractionHandle
from tests.fake_discord.sample_kb import write_sample_knowledge

SECRET_TOKEN = "fake-token-that-must-never-appear-in-logs-0123456789"
QUESTIONS = [
    "why did Kalinowski quit?",
    "why did Jan Leike leave OpenAI?",
    "is Yann LeCun leaving Meta?",
    "who is Sam Altman",
]
BURST = 150
REPO_ROOT = str(Path(__file__).resolve().parents[2])


@pytest.fixture
async def fake_server() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()  # not patched: the subprocess reads the URLs from env
    yield server
    await server.stop()


def bot_env(fake: FakeDiscord, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
    env.update(
        DISCORD_TOKEN=SECRET_TOKEN,
        DISCORD_API_BASE=fake.api_base,
        DISCORD_GATEWAY_URL=fake.gateway_url,
        LABWIRE_DB=str(tmp_path / "data" / "labwire.sqlite3"),
        LABWIRE_KNOWLEDGE=str(write_sample_knowledge(tmp_path / "knowledge", with_quiz=False)),
        LABWIRE_GUILD_READY_TIMEOUT="0.05",
        LABWIRE_ASK_COOLDOWN="0",
        PYTHONPATH=REPO_ROOT,
    )
    return env


async def start_labwire(fake: FakeDiscord, tmp_path: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run",
        env=bot_env(fake, tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_labwire_run_connects_answers_and_stops_gracefully_mid_burst(
    fake_server: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_server
    fake.advertised_gateway_url = "ws://127.0.0.1:9/not-here"  # DISCORD_GATEWAY_URL must win
    proc = await start_labwire(fake, tmp_path)
    output_task = asyncio.ensure_future(proc.communicate())
    try:
        await fake.wait(fake.wait_ready(), 30, "labwire run to connect")
        assert {c["name"] for c in fake.commands[None]} >= {"ask", "help", "article"}

        first = await fake.invoke_slash("ask", {"question": QUESTIONS[0]})
        answer = await first.response(within=10)
        assert answer.embeds and not answer.ephemeral

        handles: list[InteractionHandle] = []
        for n in range(BURST):
            user = fake.user(f"user{n}")
            channel = ("general", "questions", "random")[n % 3]
            handles.append(await fake.invoke_slash(
                "ask", {"question": QUESTIONS[n % len(QUESTIONS)]}, user=user, channel=channel))
            if n == BURST // 3:
                await handles[0].response(within=10)  # the burst is being answered...
                proc.send_signal(signal.SIGTERM)  # ...when the stop arrives
        exit_code = await asyncio.wait_for(proc.wait(), 20)
    finally:
        if proc.returncode is None:
            proc.kill()
    _, stderr = await output_task
    log_text = stderr.decode()

    assert exit_code == 0, log_text
    acknowledged = [h for h in [first, *handles] if h.responded]
    answered = [h for h in acknowledged if not _is_restart_notice(h)]
    assert len(answered) > BURST // 3, "the bot should have answered part of the burst"
    with sqlite3.connect(tmp_path / "data" / "labwire.sqlite3") as conn:
        logged = conn.execute("SELECT COUNT(*) FROM question_log").fetchone()[0]
        public_ids = {str(r[0]) for r in conn.execute(
            "SELECT message_id FROM question_log WHERE message_id IS NOT NULL")}
    assert logged == len(answered), "every acknowledged question must be in the question log"
    for handle in answered:
        reply = handle.calls[0]
        if reply.callback_type == 4 and not reply.ephemeral:
            assert handle.original_message_id in public_ids

    heartbeat = json.loads((tmp_path / "data" / "heartbeat.json").read_text())
    assert heartbeat["gateway_connected"] is False  # the last word after a clean stop
    assert SECRET_TOKEN not in log_text
    assert QUESTIONS[1] not in log_text, "log lines must not contain what users asked"
    assert "interaction ask answered" in log_text
    assert "Traceback" not in log_text


def _is_restart_notice(handle: InteractionHandle) -> bool:
    reply = handle.calls[0]
    return reply.ephemeral and any("restarting" in (e.get("description") or "")
                                   for e in reply.embeds)


async def test_labwire_run_without_token_explains_how_to_get_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
    env["PYTHONPATH"] = REPO_ROOT
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    message = stderr.decode()
    assert "DISCORD_TOKEN is not set" in message
    assert "developers/applications" in message and "labwire chat" in message


async def test_labwire_run_refuses_an_invalid_knowledge_base_with_locations(
    fake_server: FakeDiscord, tmp_path: Path
) -> None:
    env = bot_env(fake_server, tmp_path)
    broken = Path(env["LABWIRE_KNOWLEDGE"]) / "orgs.yaml"
    broken.write_text("orgs:\n  - id: openai\n    name: OpenAI\n", encoding="utf-8")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    message = stderr.decode()
    assert proc.returncode == 2
    assert "orgs.yaml:" in message and "problems (and " in message
    assert not fake_server.calls, "nothing connects while the knowledge base is broken"
