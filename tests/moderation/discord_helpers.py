"""Helpers for the moderator tools' end-to-end tests (tests/discord/test_kb_*.py and friends).

They build on the Discord engineer's fixtures in ``tests/discord/conftest.py``
(``fake``, ``service``, ``db``, ``bot_config``, ``error_log``) and add what
moderator commands need and the generic fake does not offer:

Import the ``*_fixture`` names into a test module to use ``mod_bots``,
``mod_bot``, ``cdn`` and ``sent_files`` there.

- ``mod_bots``/``mod_bot``: a bot with the moderator extensions loaded, custom
  settings, and :func:`ModBots.stop` for restarts;
- :func:`run_command`: a slash command with subcommands, resolved objects
  (attachments, roles, channels) and a member with chosen permissions/roles;
- ``cdn``: a tiny HTTP server on 127.0.0.1 for attachment downloads;
- ``sent_files``: keeps the bytes of files the bot sends (the fake keeps only
  the JSON part of multipart bodies).
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest
from aiohttp import web

import tests.fake_discord.server as fake_server
from bot.discord.client import EXTENSIONS, LabwireBot
from bot.discord.config import BotConfig
from bot.runtime import KnowledgeService
from bot.storage.database import Database
from tests.fake_discord import FakeDiscord, InteractionHandle
from tests.fake_discord import payloads as p

MOD_EXTENSIONS = ["bot.discord.cogs.kb", "bot.discord.cogs.briefing", "bot.discord.cogs.privacy"]
# Tests run the weekly briefing by hand with a controlled clock.
TEST_ENV = {"LABWIRE_BRIEFING_POLL_SECONDS": "0"}
MEMBER_PERMISSIONS = discord.Permissions(view_channel=True, send_messages=True,
                                         use_application_commands=True).value
MANAGE_GUILD = discord.Permissions(manage_guild=True).value
OPTION_TYPES = {"attachment": 11, "role": 8, "channel": 7}

# A new story that fits the Discord tests' sample knowledge base (tests/fake_discord/sample_kb.py).
ZURICH_ID = "2026-04-02-openai-robotics-lab-zurich"
ZURICH_TITLE = "OpenAI Opens a Robotics Lab in Zurich"
ZURICH_QUESTION = "where is openai's new robotics lab"
ZURICH_ARTICLE = f"""\
id: {ZURICH_ID}
title: {ZURICH_TITLE}
url: https://example-news.com/blog/{ZURICH_ID}
outlet: Example News
published: 2026-04-02
summary: OpenAI opened a robotics research lab in Zurich, its first outside the US.
takeaways:
  - id: first-abroad
    text: The Zurich lab is OpenAI's first robotics lab outside the US.
people: [sam-altman]
orgs: [openai]
questions:
  - {ZURICH_QUESTION}
"""


def extensions() -> list[str]:
    return [*EXTENSIONS, *(m for m in MOD_EXTENSIONS if m not in EXTENSIONS)]


class ModBots:
    def __init__(self, fake: FakeDiscord, service: KnowledgeService, db: Database,
                 config: BotConfig) -> None:
        self.fake, self.service, self.db, self.config = fake, service, db, config
        self.running: list[tuple[LabwireBot, asyncio.Task[None], bool]] = []

    async def start(self, env: dict[str, str] | None = None, *, watch: bool = True,
                    **changes: Any) -> LabwireBot:
        """A connected bot; ``watch=False`` for one the test will stop (a restart)."""
        config = dataclasses.replace(self.config, env={**TEST_ENV, **(env or {})}, **changes)
        bot = LabwireBot(config, self.service, self.db, extensions=extensions())
        seen = len(self.fake.gateway_frames)
        task = asyncio.create_task(bot.start(FakeDiscord.TOKEN), name="labwire-mod-bot")
        if watch:
            self.fake.watch(task)
        self.running.append((bot, task, watch))
        # Wait for this bot's IDENTIFY: the fake's READY event is already set after a restart.
        await self.fake.wait_for_gateway(
            lambda f: f.get("op") == 2 and any(f is g for g in self.fake.gateway_frames[seen:]))
        await self.fake.wait(bot.wait_until_ready(), 10, "on_ready")
        return bot

    async def stop(self, bot: LabwireBot) -> None:
        """Close ``bot`` (started with ``watch=False``: a watched bot may not end)."""
        for entry in self.running:
            if entry[0] is bot:
                await bot.drain(grace=5)
                await bot.close()
                await asyncio.wait_for(entry[1], 10)
                self.running.remove(entry)
                return

    async def close_all(self) -> None:
        for bot, task, watched in self.running:
            died = task.done()
            await bot.drain(grace=5)  # as `labwire run` does: let in-flight handlers finish
            await bot.close()
            await asyncio.wait_for(task, 10)
            assert not (watched and died), f"the bot task ended during the test: {task!r}"


@pytest.fixture(name="mod_bots")
async def mod_bots_fixture(
    fake: FakeDiscord, service: KnowledgeService, db: Database, bot_config: BotConfig,
    error_log: Any,
) -> AsyncIterator[ModBots]:
    bots = ModBots(fake, service, db, bot_config)
    yield bots
    await bots.close_all()
    assert not fake.unhandled, f"the bot called routes the fake does not know: {fake.unhandled}"


@pytest.fixture(name="mod_bot")
async def mod_bot_fixture(mod_bots: ModBots) -> LabwireBot:
    return await mod_bots.start()


def command_id(fake: FakeDiscord, name: str) -> str:
    return next((c["id"] for cmds in fake.commands.values() for c in cmds if c["name"] == name),
                p.snowflake())


def _options(options: dict[str, Any]) -> list[dict[str, Any]]:
    built = []
    for name, value in options.items():
        if isinstance(value, tuple):  # ("attachment" | "role" | "channel", id)
            built.append({"name": name, "type": OPTION_TYPES[value[0]], "value": value[1]})
        else:
            built.append({"name": name, "type": p.option_type(value), "value": value})
    return built


async def run_command(
    fake: FakeDiscord,
    path: str,
    options: dict[str, Any] | None = None,
    *,
    user: str = "alice",
    permissions: int | None = None,
    roles: tuple[str, ...] = (),
    resolved: dict[str, Any] | None = None,
    channel: str = "general",
    interaction_type: int = 2,
    focused: str | None = None,
) -> InteractionHandle:
    """Run ``/kb upload`` as ``run_command(fake, "kb upload", {...})``.

    ``permissions`` replaces the member's permissions (the fake's default is
    all of them, i.e. a server admin); ``roles`` are role ids the member has.
    """
    names = path.split()
    leaf = _options(options or {})
    if focused is not None:
        for option in leaf:
            if option["name"] == focused:
                option["focused"] = True
    for depth, name in reversed(list(enumerate(names[1:], 1))):
        kind = 1 if depth == len(names) - 1 else 2  # subcommand, or subcommand group
        leaf = [{"name": name, "type": kind, "options": leaf}]
    data: dict[str, Any] = {"id": command_id(fake, names[0]), "name": names[0], "type": 1,
                            "options": leaf}
    if resolved:
        data["resolved"] = resolved
    who = fake.user(user)
    interaction_id = p.snowflake()
    payload = p.interaction(
        interaction_id=interaction_id, app_id=fake.app_id, interaction_type=interaction_type,
        token=f"fake-interaction-token-{interaction_id}", data=data, user_payload=who.payload,
        guild_id=fake.guild.id, channel=fake.channel(channel))
    if permissions is not None:
        payload["member"]["permissions"] = str(permissions)
    payload["member"]["roles"] = list(roles)
    handle = InteractionHandle(fake, payload)
    fake.handles[handle.token] = handle
    await fake.dispatch("INTERACTION_CREATE", payload)
    return handle


def make_role(name: str) -> dict[str, Any]:
    return {"id": p.snowflake(), "name": name, "permissions": str(MEMBER_PERMISSIONS),
            "position": 1, "color": 0, "hoist": False, "managed": False, "mentionable": False}


async def create_role(fake: FakeDiscord, role: dict[str, Any] | str) -> dict[str, Any]:
    """A role that exists in the guild (GUILD_ROLE_CREATE, as Discord sends it)."""
    role = make_role(role) if isinstance(role, str) else role
    await fake.dispatch("GUILD_ROLE_CREATE", {"guild_id": fake.guild.id, "role": role})
    return role


class Cdn:
    """Serves uploaded files at http://127.0.0.1:PORT/attachments/<id>/<name>."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base = ""

    async def start(self) -> Cdn:
        app = web.Application()
        app.router.add_get("/attachments/{id}/{name}", self._get)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _get(self, request: web.Request) -> web.Response:
        body = self.files.get(request.match_info["id"])
        return web.Response(body=body) if body is not None else web.Response(status=404)

    def attachment(self, filename: str, data: bytes) -> tuple[tuple[str, str], dict[str, Any]]:
        """(the option value, the ``resolved`` part) for an attachment option."""
        attachment_id = p.snowflake()
        self.files[attachment_id] = data
        url = f"{self.base}/attachments/{attachment_id}/{filename}"
        payload = {"id": attachment_id, "filename": filename, "size": len(data), "url": url,
                   "proxy_url": url, "content_type": "application/x-yaml"}
        return ("attachment", attachment_id), {"attachments": {attachment_id: payload}}


@pytest.fixture(name="cdn")
async def cdn_fixture() -> AsyncIterator[Cdn]:
    server = await Cdn().start()
    yield server
    await server.stop()


@pytest.fixture(name="sent_files")
def sent_files_fixture(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Files the bot attached to its messages, by file name."""
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


def embed_text(call: Any) -> str:
    """Title, description, fields and footer of every embed in a recorded call, as one text."""
    parts = []
    for embed in call.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}: {f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)
