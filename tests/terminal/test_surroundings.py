"""Bad surroundings give one clear line and a prompt exit, never a traceback or a hang.

Each test runs the real ``labwire`` in a subprocess with a 10 s limit (issue 11,
items 1 to 3 and 14): a database file that is not SQLite, a database folder that
cannot be created, and Discord unreachable (its REST API, or only its gateway).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fake_discord import FakeDiscord
from tests.fake_discord.sample_kb import write_sample_knowledge
from tests.terminal.cli import FAKE_TOKEN, Ran, clean_env, closed_port, run_labwire

ANSWERS = ["--answer", "stack=frontend", "--answer", "career=junior",
           "--answer", "work=tickets", "--answer", "ai=autocomplete"]
QUIZ_KEYS = "/risk\n1\n1\n1\n1\n/quit\n"  # chat: take the quiz, then leave


def assert_one_clean_line(ran: Ran, *expected: str, code: int = 1) -> None:
    """Exited in time with ``code``, no traceback, and a line that says each of ``expected``."""
    assert not ran.timed_out, "the process outlived the time limit\n" + ran.explain()
    assert not ran.traceback, ran.explain()
    assert ran.returncode == code, ran.explain()
    lines = [line for line in ran.output.splitlines() if all(e in line for e in expected)]
    assert lines, f"no line says {expected}\n" + ran.explain()


@pytest.fixture
def not_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("command", [
    ["kb", "unanswered"],
    ["privacy", "export", "123456789012345678"],
    ["privacy", "forget", "123456789012345678", "--yes"],
    ["risk", *ANSWERS],
], ids=["kb-unanswered", "privacy-export", "privacy-forget", "risk"])
def test_a_file_that_is_not_sqlite_is_named_in_one_line(
    command: list[str], not_sqlite: Path, tmp_path: Path
) -> None:
    ran = run_labwire(*command, "--db", str(not_sqlite), cwd=tmp_path)
    assert_one_clean_line(ran, str(not_sqlite), "not an SQLite database")


def test_chat_quiz_with_a_bad_database_says_so_and_carries_on(
    not_sqlite: Path, tmp_path: Path
) -> None:
    # Lexical answers only: embedding the shipped knowledge on a cold cache is not under test.
    ran = run_labwire("chat", "--db", str(not_sqlite), cwd=tmp_path, stdin=QUIZ_KEYS,
                      env=clean_env(LABWIRE_SEMANTIC="0"))
    assert_one_clean_line(ran, "not saved", str(not_sqlite), "not an SQLite database", code=0)
    assert "Bye." in ran.stdout, "the chat goes on after the failed save"


def test_run_with_a_bad_database_exits_1_before_connecting(
    not_sqlite: Path, tmp_path: Path
) -> None:
    env = clean_env(DISCORD_TOKEN=FAKE_TOKEN, LABWIRE_DB=str(not_sqlite),
                    DISCORD_API_BASE=f"http://127.0.0.1:{closed_port()}")
    ran = run_labwire("run", cwd=tmp_path, env=env)
    assert_one_clean_line(ran, "labwire run:", str(not_sqlite), "not an SQLite database")


@pytest.mark.parametrize("command", [["run"], ["risk", *ANSWERS]], ids=["run", "risk"])
def test_a_database_folder_that_cannot_be_created_is_one_line(
    command: list[str], tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    target = blocked / "x" / "labwire.sqlite3"  # its 'folder' is a file
    env = clean_env(DISCORD_TOKEN=FAKE_TOKEN, LABWIRE_DB=str(target))
    ran = run_labwire(*command, cwd=tmp_path, env=env)
    assert_one_clean_line(ran, f"cannot create the database {target}")


def test_run_with_discord_unreachable_tries_three_times_then_exits_1(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{closed_port()}"
    env = clean_env(DISCORD_TOKEN=FAKE_TOKEN, DISCORD_API_BASE=api,
                    LABWIRE_DB=str(tmp_path / "labwire.sqlite3"),
                    LABWIRE_KNOWLEDGE=str(write_sample_knowledge(tmp_path / "kb")))
    ran = run_labwire("run", cwd=tmp_path, env=env)
    assert_one_clean_line(ran, f"cannot reach Discord at {api}", "connection refused",
                          "Gave up after 3 tries", "DISCORD_API_BASE")
    retries = [line for line in ran.stderr.splitlines() if "trying again in" in line]
    assert len(retries) == 2, ran.explain()
    assert "voice" not in ran.stderr, "discord.py's voice warnings mean nothing to a text bot"


@pytest.fixture
async def fake_server() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.stop()


async def test_run_with_only_the_gateway_unreachable_exits_1(
    fake_server: FakeDiscord, tmp_path: Path
) -> None:
    gateway = f"ws://127.0.0.1:{closed_port()}/gateway"
    env = clean_env(DISCORD_TOKEN=FAKE_TOKEN, DISCORD_API_BASE=fake_server.api_base,
                    DISCORD_GATEWAY_URL=gateway, LABWIRE_DB=str(tmp_path / "labwire.sqlite3"),
                    LABWIRE_KNOWLEDGE=str(write_sample_knowledge(tmp_path / "kb")))
    # In a thread: the fake Discord answers the REST calls on this event loop meanwhile.
    ran = await asyncio.to_thread(run_labwire, "run", cwd=tmp_path, env=env)
    assert_one_clean_line(ran, f"cannot reach Discord at {gateway}", "Gave up after 3 tries",
                          "DISCORD_GATEWAY_URL")
    assert any(c.path == "/users/@me" for c in fake_server.calls), "REST was reachable"


def test_a_missing_env_file_is_named(tmp_path: Path) -> None:
    ran = run_labwire("run", "--env-file", "missing.env", cwd=tmp_path)
    assert_one_clean_line(ran, "labwire run:", "missing.env", "does not exist", code=2)


def test_a_malformed_env_line_is_a_warning_with_its_place(tmp_path: Path) -> None:
    (tmp_path / "labwire.env").write_text(
        "# settings\nLABWIRE_RETENTION_DAYS=30\nDISCORD_TOKEN secret-token-value\n",
        encoding="utf-8")
    ran = run_labwire("--env-file", "labwire.env", "kb", "stats", cwd=tmp_path)
    assert_one_clean_line(ran, "warning", "labwire.env:3", "not a NAME=value line", code=0)
    assert "secret-token-value" not in ran.output, "the line's value is never echoed"
