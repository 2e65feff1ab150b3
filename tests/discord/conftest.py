"""Fixtures for the Discord tests: a fake Discord, real LabwireBots, and failure surfacing.

- ``fake``: a started :class:`FakeDiscord` with discord.py pointed at it.
- ``bots``: starts connected ``LabwireBot`` s (``bots.start(**settings_changes,
  questions=..., clock=...)``) and stops them (``bots.stop(bot)``, for restarts);
  ``start_bot`` is ``bots.start`` and ``bot`` one started with the test settings.
- ``settings``: those test settings (tmp database, ``briefing_poll_seconds=0`` so
  tests run the weekly briefing by hand, ``guild_ready_timeout=0.05``).
- ``knowledge_dir``, ``knowledge``, ``engine``, ``db``: the sample knowledge base,
  its live :class:`KnowledgeService`, a :class:`ScriptedEngine` and the database.
- ``error_log``: every ERROR log record; a test fails at teardown if the bot
  logged an error it did not ``expect``.  A started bot's task is watched, so any
  wait fails at once if it dies, and teardown fails if it ended on its own.
- Teardown also fails if the bot called a REST route the fake does not know.
- ``cdn`` (attachments to download) and ``sent_files`` (files the bot sent), for
  the moderator tools.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import tests.fake_discord.server as fake_server
from bot.clock import Clock, utc_now
from bot.discord.bot import LabwireBot
from bot.knowledge import EntryKey, KnowledgeBase, load_knowledge_or_raise
from bot.runtime import KnowledgeService
from bot.search import Engine
from bot.search.types import Result
from bot.settings import Cooldown, Settings
from bot.storage import Database, connect_database, sqlite_url
from bot.storage.question_log import QuestionLog
from tests.discord.helpers import Cdn
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

    def __init__(self, kb: KnowledgeBase, clock: Clock = utc_now) -> None:
        super().__init__(kb, clock=clock)
        self.scripts: dict[str, Result | Exception] = {}
        self.contexts: dict[str, EntryKey | None] = {}  # the context each question came with

    def ask(self, question: str, context: EntryKey | None = None) -> Result:
        self.contexts[question] = context
        scripted = self.scripts.get(question)
        if isinstance(scripted, Exception):
            raise scripted
        if scripted is not None:
            return scripted
        return super().ask(question, context)


@pytest.fixture
def engine_clock() -> Clock:
    """The time the engine counts answers' ages against (a module may fix it)."""
    return utc_now


@pytest.fixture
def knowledge(knowledge_dir: Path, engine_clock: Clock) -> KnowledgeService:
    kb = load_knowledge_or_raise(knowledge_dir)
    return KnowledgeService(knowledge_dir, ScriptedEngine(kb, clock=engine_clock))


@pytest.fixture
def engine(knowledge: KnowledgeService) -> ScriptedEngine:
    assert isinstance(knowledge.engine, ScriptedEngine)
    return knowledge.engine


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
def settings(tmp_path: Path, knowledge_dir: Path) -> Settings:
    return Settings(
        token=FakeDiscord.TOKEN,
        database_url=sqlite_url(tmp_path / "labwire.sqlite3"),
        knowledge_dir=knowledge_dir,
        heartbeat=tmp_path / "heartbeat.json",
        ask_cooldown=Cooldown(3, 30.0),
        briefing_poll_seconds=0,  # tests run the weekly briefing by hand
        guild_ready_timeout=0.05,  # discord.py otherwise waits 2 s for more guilds
    )


class Bots:
    """Starts and stops bots against the fake; what is left running stops at teardown."""

    def __init__(self, fake: FakeDiscord, knowledge: KnowledgeService, db: Database,
                 settings: Settings) -> None:
        self.fake, self.knowledge, self.db, self.settings = fake, knowledge, db, settings
        self.running: list[tuple[LabwireBot, asyncio.Task[None], bool]] = []

    async def start(self, *, questions: QuestionLog | None = None, clock: Clock = utc_now,
                    restartable: bool = False, **changes: Any) -> LabwireBot:
        """A connected bot with these settings changed; ``restartable`` for one the test
        will :meth:`stop` (a watched bot must not end during the test)."""
        settings = dataclasses.replace(self.settings, **changes)
        bot = LabwireBot(settings, self.knowledge, self.db, questions=questions, clock=clock)
        seen = len(self.fake.gateway_frames)
        task = asyncio.create_task(bot.start(FakeDiscord.TOKEN), name="labwire-bot")
        if not restartable:
            self.fake.watch(task)
        self.running.append((bot, task, not restartable))
        # Wait for this bot's IDENTIFY: after a restart the fake's READY is already set.
        await self.fake.wait_for_gateway(
            lambda f: f.get("op") == 2 and any(f is g for g in self.fake.gateway_frames[seen:]))
        await self.fake.wait(bot.wait_until_ready(), 10, "on_ready")
        return bot

    async def stop(self, bot: LabwireBot) -> None:
        for entry in self.running:
            if entry[0] is bot:
                await self._close(entry)
                self.running.remove(entry)
                return

    async def close_all(self) -> None:
        for entry in self.running:
            await self._close(entry)

    @staticmethod
    async def _close(entry: tuple[LabwireBot, asyncio.Task[None], bool]) -> None:
        bot, task, watched = entry
        died = task.done()
        await bot.drain(grace=5)  # as `labwire run` does: let in-flight handlers finish
        await bot.close()
        await asyncio.wait_for(task, 10)
        assert not (watched and died), f"the bot task ended during the test: {task!r}"


StartBot = Callable[..., Awaitable[LabwireBot]]


@pytest.fixture
async def bots(fake: FakeDiscord, knowledge: KnowledgeService, db: Database, settings: Settings,
               error_log: ErrorLog) -> AsyncIterator[Bots]:
    running = Bots(fake, knowledge, db, settings)
    yield running
    await running.close_all()
    assert not fake.unhandled, f"the bot called routes the fake does not know: {fake.unhandled}"


@pytest.fixture
def start_bot(bots: Bots) -> StartBot:
    return bots.start


@pytest.fixture
async def bot(bots: Bots) -> LabwireBot:
    return await bots.start()


@pytest.fixture
async def cdn() -> AsyncIterator[Cdn]:
    server = await Cdn().start()
    yield server
    await server.stop()


@pytest.fixture
def sent_files(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Files the bot attached to its messages, by file name (the fake keeps only JSON)."""
    files: dict[str, bytes] = {}

    async def multipart_json(request: web.Request) -> Any:
        reader = await request.multipart()
        body: Any = None
        async for part in reader:
            name = getattr(part, "name", None)
            if name == "payload_json":
                body = json.loads(await part.text())  # type: ignore[union-attr]
            elif getattr(part, "filename", None):
                files[part.filename] = bytes(await part.read())  # type: ignore[union-attr]
        return body

    monkeypatch.setattr(fake_server, "_multipart_json", multipart_json)
    return files
