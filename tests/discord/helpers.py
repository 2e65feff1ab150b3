"""Helpers for the Discord tests: reading what the bot sent, and driving it like a member.

- :func:`embed_text`, :func:`custom_ids`, :func:`component`, :func:`button_with`:
  read a callback or a message; :func:`reply_to` waits for the bot's reply to a message.
- :func:`run_command`: a slash command with subcommands, resolved objects
  (attachments, roles, channels) and a member with chosen permissions or roles.
- :func:`create_role`, :class:`Cdn` (attachments to download): for moderator tools.
- ``ZURICH_*``: a new story that fits the sample knowledge base, for edits.
"""

from __future__ import annotations

import itertools
from typing import Any

import discord
from aiohttp import web

from tests.fake_discord import (
    FakeDiscord,
    FakeGuild,
    InteractionHandle,
    RecordedCall,
    components_of,
)
from tests.fake_discord import payloads as p

JSON = dict[str, Any]

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


# A question the sample knowledge cannot answer (it goes to the moderators' queue).
MISSED_QUESTION = "who walked away from openai in protest"


async def ask_as(fake: FakeDiscord, question: str, user: str
                 ) -> tuple[str, bool, dict[str, object]]:
    """``/ask`` as ``user``: (the reply's title, whether it was private, the message)."""
    handle = await fake.invoke_slash("ask", {"question": question}, user=user)
    reply = await handle.response()
    return reply.embeds[0].get("title") or "", reply.ephemeral, handle.original_message


async def reply_to(fake: FakeDiscord, message: JSON, after: int = 0) -> RecordedCall:
    """The bot's reply to ``message``, wherever it is in the recorded calls."""
    return await fake.wait_for_call(
        lambda c: is_reply(c, message), after=after, what=f"a reply to message {message['id']}"
    )


def is_reply(call: RecordedCall, message: JSON) -> bool:
    if call.method != "POST" or not call.path.startswith("/channels/"):
        return False
    reference = call.data.get("message_reference") or {}
    return str(reference.get("message_id")) == message["id"]


def embed_text(source: RecordedCall | JSON) -> str:
    """All visible text of the embeds in a call or a message, joined by newlines."""
    data = source.data if isinstance(source, RecordedCall) else source
    parts: list[str] = [str(data.get("content") or "")]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
        parts.append((embed.get("author") or {}).get("name") or "")
    return "\n".join(p for p in parts if p)


def custom_ids(source: RecordedCall | JSON) -> list[str]:
    data = source.data if isinstance(source, RecordedCall) else source
    return [c["custom_id"] for c in components_of(data) if "custom_id" in c]


def component(source: RecordedCall | JSON, custom_id: str) -> JSON:
    data = source.data if isinstance(source, RecordedCall) else source
    for c in components_of(data):
        if c.get("custom_id") == custom_id:
            return c
    raise AssertionError(f"no component {custom_id!r} in {custom_ids(source)}")


def button_with(source: RecordedCall | JSON, text: str) -> str:
    """The custom id of the button whose label or emoji is ``text``."""
    data = source.data if isinstance(source, RecordedCall) else source
    for c in components_of(data):
        if c.get("label") == text or (c.get("emoji") or {}).get("name") == text:
            return str(c["custom_id"])
    raise AssertionError(f"no button {text!r}")


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
    guild: FakeGuild | None = None,
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
        guild_id=(guild or fake.guild).id, channel=(guild or fake.guild).channel(channel))
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
