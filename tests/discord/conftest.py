"""Fixtures for end-to-end tests: a fake Discord, a real LabwireBot, and failure surfacing.

- ``fake``: a started :class:`FakeDiscord` with discord.py pointed at it.
- ``start_bot(**config_changes)``: a running ``LabwireBot`` connected to the fake
  (config fields such as ``ask_cooldown`` or ``view_timeout`` can be changed);
  ``bot`` is one with the defaults.
- ``error_log``: every ERROR log record; a test fails at teardown if the bot
  logged an error it did not ``expect``.  The bot's task is watched, so any wait
  fails at once if it dies, and teardown fails if it ended on its own.
- Teardown also fails if the bot called a REST route the fake does not know.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.discord.client import LabwireBot
from bot.discord.config import BotConfig, Cooldown
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.runtime import KnowledgeService
from bot.search import Engine
from bot.search.types import Result
from bot.storage import Database, connect_database, sqlite_url
from tests.fake_discord import FakeDiscord
from tests.fake_discord.sample_kb import write_sample_knowledge


class ErrorLog(logging.Handler):
    """Collects ERROR records; ``expect(text)`` allows records whose message contains it."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self._allowed: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @contextmanager
    def expect(self, text: str) -> Iterator[None]:
        """Inside the block, errors whose message contains ``text`` are expected."""
        self._allowed.append(text)
        yield

    def unexpected(self) -> list[logging.LogRecord]:
        return [r for r in self.records if not any(a in r.getMessage() for a in self._allowed)]


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    unexpected = handler.unexpected()
    assert not unexpected, "the bot logged errors:\n" + "\n".join(
        f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in unexpected
    )


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return write_sample_knowledge(tmp_path / "knowledge")


class ScriptedEngine(Engine):
    """The real engine, except for questions a test scripts (a Result, or an exception to raise).

    Lets a test drive the bot down one path ("Did you mean…", a crash) no matter
    how the matcher ranks the sample knowledge today.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__(kb)
        self.scripts: dict[str, Result | Exception] = {}

    def ask(self, question: str) -> Result:
        scripted = self.scripts.get(question)
        if isinstance(scripted, Exception):
            raise scripted
        if scripted is not None:
            return scripted
        return super().ask(question)


@pytest.fixture
def service(knowledge_dir: Path) -> KnowledgeService:
    return KnowledgeService(knowledge_dir, ScriptedEngine(load_knowledge_or_raise(knowledge_dir)))


@pytest.fixture
def engine(service: KnowledgeService) -> ScriptedEngine:
    assert isinstance(service.engine, ScriptedEngine)
    return service.engine


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await connect_database(sqlite_url(tmp_path / "labwire.sqlite3"))
    yield database
    await database.close()


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    server.patch_discord_py()
    yield server
    await server.stop()


@pytest.fixture
def bot_config(tmp_path: Path, knowledge_dir: Path) -> BotConfig:
    return BotConfig(
        token=FakeDiscord.TOKEN,
        database_url=sqlite_url(tmp_path / "labwire.sqlite3"),
        knowledge_dir=knowledge_dir,
        heartbeat_path=tmp_path / "heartbeat.json",
        ask_cooldown=Cooldown(3, 30.0),
        guild_ready_timeout=0.05,  # discord.py otherwise waits 2 s for more guilds
    )


StartBot = Callable[..., Awaitable[LabwireBot]]


@pytest.fixture
async def start_bot(
    fake: FakeDiscord, service: KnowledgeService, db: Database, bot_config: BotConfig,
    error_log: ErrorLog,
) -> AsyncIterator[StartBot]:
    started: list[tuple[LabwireBot, asyncio.Task[None]]] = []

    async def start(**changes: Any) -> LabwireBot:
        config = dataclasses.replace(bot_config, **changes)
        bot = LabwireBot(config, service, db)
        task = asyncio.create_task(bot.start(FakeDiscord.TOKEN), name="labwire-bot")
        fake.watch(task)
        started.append((bot, task))
        await fake.wait_ready()
        await fake.wait(bot.wait_until_ready(), 10, "on_ready")
        return bot

    yield start

    for bot, task in started:
        died = task.done()
        await bot.drain(grace=5)  # as `labwire run` does: let in-flight handlers finish
        await bot.close()
        await asyncio.wait_for(task, 10)
        assert not died, f"the bot task ended during the test: {task!r}"
    assert not fake.unhandled, f"the bot called routes the fake does not know: {fake.unhandled}"


@pytest.fixture
async def bot(start_bot: StartBot) -> LabwireBot:
    return await start_bot()
