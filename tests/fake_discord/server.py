"""A local fake of Discord's REST API and gateway for end-to-end tests.

The real discord.py client talks to it over HTTP and a websocket on
127.0.0.1 (see shared/discord-testing-notes.md for the protocol facts).  It
records every REST call; calls made with an interaction's token are also
routed to that interaction's :class:`InteractionHandle`, so a test can wait
for exactly the replies to the interaction it sent.  Every wait is on an
event, bounded by a timeout, and fails fast when a watched task (the bot)
has died.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

from tests.fake_discord import payloads as p

log = logging.getLogger(__name__)

JSON = dict[str, Any]
CallPredicate = Callable[["RecordedCall"], bool]
DEFAULT_TIMEOUT = 10.0

EPHEMERAL = 64
LOADING = 128


class BotDiedError(AssertionError):
    """A watched task (the bot) ended while a test was waiting for it."""


@dataclass
class RecordedCall:
    """One REST request the bot made, and what the fake answered."""

    method: str
    path: str  # relative to /api/v10
    query: dict[str, str]
    json: Any
    token: str | None
    at: float  # time.perf_counter() when received
    response: Any = None
    status: int = 200

    @property
    def data(self) -> JSON:
        """The message-like part of the body (``data`` for callbacks, the body otherwise)."""
        if isinstance(self.json, dict) and self.path.endswith("/callback"):
            return dict(self.json.get("data") or {})
        return dict(self.json or {})

    @property
    def callback_type(self) -> int | None:
        if self.path.endswith("/callback") and isinstance(self.json, dict):
            return int(self.json["type"])
        return None

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.data.get("flags") or 0) & EPHEMERAL)

    @property
    def embeds(self) -> list[JSON]:
        return list(self.data.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        return list(self.data.get("components") or [])

    @property
    def content(self) -> str:
        return str(self.data.get("content") or "")


class _Waiters:
    """Futures resolved by the first recorded item a predicate accepts."""

    def __init__(self) -> None:
        self._pending: list[tuple[Callable[[Any], bool], asyncio.Future[Any]]] = []

    def add(self, predicate: Callable[[Any], bool]) -> asyncio.Future[Any]:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((predicate, future))
        return future

    def offer(self, item: Any) -> None:
        keep = []
        for predicate, future in self._pending:
            if future.done():
                continue
            if predicate(item):
                future.set_result(item)
            else:
                keep.append((predicate, future))
        self._pending = keep


class InteractionHandle:
    """An interaction the fake sent; REST calls made with its token land here."""

    def __init__(self, fake: FakeDiscord, payload: JSON) -> None:
        self.fake = fake
        self.payload = payload
        self.id: str = payload["id"]
        self.token: str = payload["token"]
        self.calls: list[RecordedCall] = []
        self.original_message_id: str | None = None
        self.followups: list[JSON] = []
        self.sent_at = 0.0
        self._read = 0
        self._waiters = _Waiters()

    def _record(self, call: RecordedCall) -> None:
        self.calls.append(call)
        self._waiters.offer(call)

    async def wait_for(
        self, predicate: CallPredicate, *, within: float = DEFAULT_TIMEOUT, what: str = ""
    ) -> RecordedCall:
        """The first call (already made or future) with this token that ``predicate`` accepts."""
        for call in self.calls:
            if predicate(call):
                return call
        future = self._waiters.add(predicate)
        return await self.fake.wait(future, within, what or f"a call for interaction {self.id}")

    async def next_call(self, *, within: float = DEFAULT_TIMEOUT) -> RecordedCall:
        """Calls in order, one per await."""
        index = self._read
        call = await self.wait_for(
            lambda c: self.calls.index(c) >= index, within=within, what="the next call"
        )
        self._read = self.calls.index(call) + 1
        return call

    async def response(self, *, within: float = DEFAULT_TIMEOUT) -> RecordedCall:
        """The interaction callback (the bot's acknowledgement)."""
        return await self.wait_for(
            lambda c: c.callback_type is not None, within=within, what="the interaction callback"
        )

    async def followup(self, *, within: float = DEFAULT_TIMEOUT) -> RecordedCall:
        return await self.wait_for(
            lambda c: c.method == "POST" and c.path.startswith("/webhooks/"),
            within=within, what="a followup message",
        )

    async def edit(self, *, within: float = DEFAULT_TIMEOUT) -> RecordedCall:
        return await self.wait_for(
            lambda c: c.method == "PATCH" and c.path.startswith("/webhooks/"),
            within=within, what="an edit of a response",
        )

    @property
    def original_message(self) -> JSON:
        """The message the callback created or updated, as it is now."""
        if self.original_message_id is None:
            raise AssertionError("the bot has not responded with a message")
        return self.fake.messages[self.original_message_id]

    @property
    def responded(self) -> bool:
        return any(c.callback_type is not None for c in self.calls)


class _GatewayConnection:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.sequence = 0
        self.lock = asyncio.Lock()
        self.shard: tuple[int, int] = (0, 1)  # [shard id, shard count] from IDENTIFY

    def serves(self, guild_id: str) -> bool:
        return shard_of(guild_id, self.shard[1]) == self.shard[0]

    async def send(self, frame: JSON) -> None:
        async with self.lock:
            await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, event: str, data: JSON) -> None:
        async with self.lock:
            self.sequence += 1
            frame = {"op": 0, "t": event, "s": self.sequence, "d": data}
            await self.ws.send_str(json.dumps(frame))


@dataclass
class FakeUser:
    payload: JSON

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def name(self) -> str:
        return str(self.payload["username"])


def shard_of(guild_id: int | str, shard_count: int) -> int:
    """The shard Discord sends a guild's events on: ``(guild_id >> 22) % shard_count``."""
    return (int(guild_id) >> 22) % shard_count


@dataclass
class FakeGuild:
    id: str
    name: str
    channels: dict[str, JSON] = field(default_factory=dict)  # name -> channel payload

    def channel(self, name: str) -> JSON:
        return self.channels[name]


class FakeDiscord:
    """REST + gateway on 127.0.0.1; start with ``await FakeDiscord().start()``."""

    TOKEN = "fake-bot-token"

    def __init__(self, *, channels: Iterable[str] = ("general", "questions", "random")) -> None:
        self.app_id = p.snowflake()
        self.bot_user = p.user(self.app_id, "Labwire", bot=True)
        owner = p.user(p.snowflake(), "owner", global_name="Owner")
        self.application = p.application(self.app_id, owner)
        self.users: dict[str, FakeUser] = {}
        for name in ("alice", "bob", "carol"):
            self.add_user(name)
        self.channel_names = tuple(channels)
        self.guilds: list[FakeGuild] = []
        self.guild = self.add_guild("Labwire Test Server")
        # What GET /gateway/bot recommends; several processes each run a subset of them.
        self.shard_count = 1
        self.ready_shards: set[int] = set()

        self.calls: list[RecordedCall] = []
        self.unhandled: list[RecordedCall] = []
        self.messages: dict[str, JSON] = {}
        self.commands: dict[str | None, list[JSON]] = {}
        self.handles: dict[str, InteractionHandle] = {}
        self.identify: JSON | None = None
        self.gateway_frames: list[JSON] = []
        self.heartbeat_interval_ms = 41250
        # What GET /gateway/bot advertises (None: this fake's own gateway).  Point it
        # elsewhere to prove a bot connects where DISCORD_GATEWAY_URL says instead.
        self.advertised_gateway_url: str | None = None
        self.port = 0

        self._call_waiters = _Waiters()
        self._gateway_waiters = _Waiters()
        self._connections: list[_GatewayConnection] = []
        self._ready = asyncio.Event()
        self._watched: list[asyncio.Task[Any]] = []
        self._runner: web.AppRunner | None = None
        self._restore: list[Callable[[], None]] = []

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=16 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=2048)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1000)
        if self._runner is not None:
            await self._runner.cleanup()
        self.unpatch_discord_py()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def patch_discord_py(self) -> None:
        """Point an in-process discord.py at this fake (undone by :meth:`stop`)."""
        import discord.gateway
        import discord.http

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

        def restore() -> None:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

        self._restore.append(restore)

    def unpatch_discord_py(self) -> None:
        while self._restore:
            self._restore.pop()()

    # ------------------------------------------------------------------ waiting

    def watch(self, task: asyncio.Task[Any]) -> None:
        """Make every wait fail at once (not time out) if ``task`` ends."""
        self._watched.append(task)

    def dead_tasks(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._watched if t.done()]

    async def wait(self, awaitable: Awaitable[Any], within: float, what: str) -> Any:
        """Await ``awaitable`` at most ``within`` s; fail at once if a watched task dies."""
        future = asyncio.ensure_future(awaitable)
        watched = [t for t in self._watched if not t.done()]
        dead = self.dead_tasks()
        if dead and not future.done():
            raise BotDiedError(f"the bot task ended before {what}: {_describe(dead[0])}")
        done, _ = await asyncio.wait(
            {future, *watched}, timeout=within, return_when=asyncio.FIRST_COMPLETED
        )
        if future in done:
            return future.result()
        future.cancel()
        finished = [t for t in watched if t in done]
        if finished:
            raise BotDiedError(f"the bot task ended while waiting for {what}: "
                               f"{_describe(finished[0])}")
        raise TimeoutError(f"no {what} within {within} s; unhandled calls: {self.unhandled}")

    async def wait_ready(self, within: float = DEFAULT_TIMEOUT) -> None:
        """READY and GUILD_CREATE have been sent to the bot."""
        await self.wait(self._ready.wait(), within, "the bot to identify")

    def mark(self) -> int:
        """A position in :attr:`calls`; pass it as ``after`` to ignore older calls."""
        return len(self.calls)

    async def wait_for_call(
        self, predicate: CallPredicate, *, after: int = 0, within: float = DEFAULT_TIMEOUT,
        what: str = "matching REST call",
    ) -> RecordedCall:
        for call in self.calls[after:]:
            if predicate(call):
                return call
        future = self._call_waiters.add(predicate)
        return await self.wait(future, within, what)

    async def wait_for_channel_message(
        self, channel_id: str, *, after: int = 0, within: float = DEFAULT_TIMEOUT
    ) -> RecordedCall:
        path = f"/channels/{channel_id}/messages"
        return await self.wait_for_call(
            lambda c: c.method == "POST" and c.path == path, after=after, within=within,
            what=f"a message posted in channel {channel_id}",
        )

    async def wait_for_gateway(
        self, predicate: Callable[[JSON], bool], *, within: float = DEFAULT_TIMEOUT
    ) -> JSON:
        for frame in self.gateway_frames:
            if predicate(frame):
                return frame
        future = self._gateway_waiters.add(predicate)
        return await self.wait(future, within, "a gateway frame from the bot")

    # ------------------------------------------------------------------ users, events

    def add_guild(self, name: str, *, shard: int | None = None,
                  shard_count: int = 1) -> FakeGuild:
        """Another server with the usual channels; ``shard`` picks the shard it is on."""
        guild_id = int(p.snowflake())
        while shard is not None and shard_of(guild_id, shard_count) != shard:
            guild_id += 1 << 22  # the next millisecond: the shard formula moves by one
        guild = FakeGuild(str(guild_id), name)
        for position, channel in enumerate(self.channel_names):
            guild.channels[channel] = p.text_channel(p.snowflake(), guild.id, channel, position)
        self.guilds.append(guild)
        return guild

    def guild_of_channel(self, channel_id: str) -> FakeGuild:
        return next((g for g in self.guilds
                     if any(c["id"] == channel_id for c in g.channels.values())), self.guild)

    async def wait_shards_ready(self, shard_ids: Iterable[int], within: float) -> None:
        """READY (and the guilds) sent on every one of ``shard_ids``."""
        wanted = set(shard_ids)
        while not wanted <= self.ready_shards:
            self._ready.clear()
            if wanted <= self.ready_shards:
                break
            await self.wait(self._ready.wait(), within, f"shards {sorted(wanted)} to connect")

    def add_user(self, name: str, *, bot: bool = False) -> FakeUser:
        u = FakeUser(p.user(p.snowflake(), name, bot=bot, global_name=name.title()))
        self.users[name] = u
        return u

    def user(self, name: str = "alice") -> FakeUser:
        return self.users[name] if name in self.users else self.add_user(name)

    def channel(self, name: str = "general") -> JSON:
        return self.guild.channel(name)

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a gateway event to the bot: on the shard that serves its guild, as Discord
        does, else to the newest connection."""
        if not self._connections:
            raise AssertionError("the bot is not connected to the gateway")
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        serving = [c for c in self._connections if guild_id is not None and c.serves(guild_id)]
        await (serving or self._connections)[-1].dispatch(event, data)

    async def send_interaction(
        self,
        interaction_type: int,
        data: JSON,
        *,
        user: str | FakeUser = "alice",
        channel: str | JSON = "general",
        message: JSON | None = None,
        in_guild: bool = True,
        guild: FakeGuild | None = None,
    ) -> InteractionHandle:
        who = user if isinstance(user, FakeUser) else self.user(user)
        guild = guild or self.guild
        where = channel if isinstance(channel, dict) else guild.channel(channel)
        interaction_id = p.snowflake()
        payload = p.interaction(
            interaction_id=interaction_id,
            app_id=self.app_id,
            interaction_type=interaction_type,
            token=f"fake-interaction-token-{interaction_id}",
            data=data,
            user_payload=who.payload,
            guild_id=guild.id if in_guild else None,
            channel=where,
            message_payload=message,
        )
        handle = InteractionHandle(self, payload)
        self.handles[handle.token] = handle
        handle.sent_at = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    def _command_data(self, name: str, options: list[JSON]) -> JSON:
        command_id = next(
            (c["id"] for cmds in self.commands.values() for c in cmds if c["name"] == name),
            p.snowflake(),
        )
        return {"id": command_id, "name": name, "type": 1, "options": options}

    async def invoke_slash(
        self, name: str, options: dict[str, object] | None = None, **kwargs: Any
    ) -> InteractionHandle:
        """A member runs ``/name`` with ``options``."""
        data = self._command_data(name, p.command_options(options or {}))
        return await self.send_interaction(2, data, **kwargs)

    async def autocomplete(
        self, name: str, options: dict[str, object], focused: str, **kwargs: Any
    ) -> InteractionHandle:
        """A member is typing into option ``focused`` of ``/name``."""
        data = self._command_data(name, p.command_options(options, focused=focused))
        return await self.send_interaction(4, data, **kwargs)

    async def click(
        self,
        message: JSON,
        custom_id: str,
        *,
        values: list[str] | None = None,
        **kwargs: Any,
    ) -> InteractionHandle:
        """Click a button (or pick ``values`` in a select) on ``message`` as it is now."""
        current = self.messages.get(message["id"], message)
        component = find_component(current, custom_id)
        if component is None:
            raise AssertionError(f"no component {custom_id!r} on message {current['id']}")
        if component.get("disabled"):
            raise AssertionError(f"component {custom_id!r} is disabled")
        data: JSON = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        channel = next(
            (c for g in self.guilds for c in g.channels.values()
             if c["id"] == current["channel_id"]),
            kwargs.pop("channel", self.channel()),
        )
        return await self.send_interaction(3, data, message=current, channel=channel, **kwargs)

    async def post_user_message(
        self,
        content: str,
        *,
        user: str | FakeUser = "alice",
        channel: str = "general",
        mention_bot: bool = False,
        mention_everyone: bool = False,
        reply_to: JSON | None = None,
    ) -> JSON:
        """A member posts ``content``; with ``mention_bot`` it starts with ``<@bot>``;
        with ``reply_to`` (a message) it is a reply to that message."""
        who = user if isinstance(user, FakeUser) else self.user(user)
        where = self.channel(channel)
        text = f"<@{self.app_id}> {content}" if mention_bot else content
        mentions = [self.bot_user] if mention_bot else []
        reference = None
        if reply_to is not None:
            reference = {"message_id": reply_to["id"], "channel_id": reply_to["channel_id"],
                         "guild_id": self.guild.id}
        msg = p.message(
            message_id=p.snowflake(), channel_id=where["id"], guild_id=self.guild.id,
            author=who.payload, content=text, mentions=mentions, mention_everyone=mention_everyone,
            message_type=19 if reply_to is not None else 0, reference=reference,
        )
        if reply_to is not None:
            msg["referenced_message"] = reply_to
        msg["member"] = p.member(who.payload, with_user=False)
        self.messages[msg["id"]] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    async def start_thread(self, name: str, *, from_message: JSON,
                           user: str | FakeUser = "alice") -> JSON:
        """A member starts a public thread on ``from_message``; post in it by ``name``."""
        who = user if isinstance(user, FakeUser) else self.user(user)
        thread = p.thread_channel(from_message["id"], self.guild.id,
                                  from_message["channel_id"], name, who.id)
        self.guild.channels[name] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return thread

    # ------------------------------------------------------------------ gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = _GatewayConnection(ws)
        self._connections.append(conn)
        await conn.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                self.gateway_frames.append(frame)
                self._gateway_waiters.offer(frame)
                await self._on_gateway_frame(conn, frame)
        finally:
            self._connections.remove(conn)
        return ws

    async def _on_gateway_frame(self, conn: _GatewayConnection, frame: JSON) -> None:
        op = frame.get("op")
        if op == 1:
            await conn.send({"op": 11})
        elif op == 2:
            self.identify = frame["d"]
            shard = frame["d"].get("shard") or [0, 1]
            conn.shard = (int(shard[0]), int(shard[1]))
            # The first guild goes to every shard (the one-guild tests predate shards);
            # the others only to the shard Discord's formula names.
            guilds = [g for g in self.guilds if g is self.guild or conn.serves(g.id)]
            await conn.dispatch("READY", {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": g.id, "unavailable": True} for g in guilds],
                "session_id": "fake-session-1",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.app_id, "flags": 0},
                "shard": shard,
                "private_channels": [],
            })
            for guild in guilds:
                await conn.dispatch("GUILD_CREATE", self._guild_payload(guild))
            self.ready_shards.add(conn.shard[0])
            self._ready.set()
        elif op == 6:
            await conn.dispatch("RESUMED", {})
        elif op == 8:
            await conn.dispatch("GUILD_MEMBERS_CHUNK", {
                "guild_id": self.guild.id, "members": self._members(), "chunk_index": 0,
                "chunk_count": 1, "nonce": frame["d"].get("nonce"),
            })

    def _members(self) -> list[JSON]:
        return [p.member(self.bot_user)] + [p.member(u.payload) for u in self.users.values()]

    def _guild_payload(self, guild: FakeGuild) -> JSON:
        return p.guild_create(guild.id, guild.name, list(guild.channels.values()),
                              self._members())

    # ------------------------------------------------------------------ REST

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                body = await _multipart_json(request)
        segments = path.strip("/").split("/")
        token = _token_of(segments)
        call = RecordedCall(request.method, path, dict(request.query), body, token,
                            time.perf_counter())
        handler = self._route(request.method, segments)
        if handler is None:
            call.status = 404
            self.unhandled.append(call)
            result: tuple[int, Any] = (404, {"message": "404: Not Found", "code": 0})
        else:
            result = handler(call, segments)
        call.status, call.response = result
        self.calls.append(call)
        handle = self.handles.get(token or "")
        if handle is not None:
            handle._record(call)
        self._call_waiters.offer(call)
        return _json_response(*result)

    def _route(
        self, method: str, s: list[str]
    ) -> Callable[[RecordedCall, list[str]], tuple[int, Any]] | None:
        n = len(s)
        routes: dict[tuple[str, str], Callable[[RecordedCall, list[str]], tuple[int, Any]]] = {
            ("GET", "users/@me"): lambda c, _: (200, self.bot_user),
            ("GET", "oauth2/applications/@me"): lambda c, _: (200, self.application),
            ("GET", "gateway/bot"): lambda c, _: (200, self._gateway_bot()),
            ("GET", "gateway"): lambda c, _: (200, {"url": self.gateway_url}),
        }
        key = "/".join(s)
        if (method, key) in routes:
            return routes[(method, key)]
        if s[0] == "applications" and s[-1] == "commands" and method in ("PUT", "GET"):
            return self._commands
        if s[0] == "interactions" and n == 4 and s[3] == "callback" and method == "POST":
            return self._callback
        if s[0] == "webhooks" and n >= 3:
            if n == 3 and method == "POST":
                return self._followup
            if n == 5 and s[3] == "messages":
                return {"PATCH": self._edit_webhook_message, "GET": self._get_webhook_message,
                        "DELETE": self._delete_message}.get(method)
        if s[0] == "channels" and n >= 3 and s[2] == "messages":
            if n == 3 and method == "POST":
                return self._channel_message
            if n == 4:
                return {"PATCH": self._edit_channel_message, "DELETE": self._delete_message,
                        "GET": self._get_channel_message}.get(method)
        if s[0] == "channels" and n == 3 and s[2] == "typing" and method == "POST":
            return lambda c, _: (204, None)
        return None

    def _gateway_bot(self) -> JSON:
        limits = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.advertised_gateway_url or self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": limits}

    def _commands(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        guild = s[3] if len(s) == 5 and s[2] == "guilds" else None
        if call.method == "GET":
            return 200, self.commands.get(guild, [])
        echoed = []
        for command in call.json or []:
            echoed.append({**command, "id": p.snowflake(), "application_id": self.app_id,
                           "version": p.snowflake(), "guild_id": guild})
        self.commands[guild] = echoed
        return 200, echoed

    def _new_message(self, handle: InteractionHandle | None, data: JSON, *, flags: int,
                     message_type: int, channel_id: str | None = None,
                     reference: JSON | None = None) -> JSON:
        if handle is not None:
            channel_id = handle.payload["channel_id"]
        assert channel_id is not None
        metadata = None
        if handle is not None:
            who = handle.payload.get("member", {}).get("user") or handle.payload.get("user")
            metadata = {"id": handle.id, "type": handle.payload["type"], "user": who}
        msg = p.message(
            message_id=p.snowflake(), channel_id=channel_id,
            guild_id=self.guild_of_channel(channel_id).id, author=self.bot_user,
            content=data.get("content") or "",
            embeds=data.get("embeds"), components=data.get("components"), flags=flags,
            message_type=message_type, reference=reference,
            app_id=self.app_id if handle is not None else None,
            interaction_metadata=metadata,
        )
        self.messages[msg["id"]] = msg
        return msg

    def _callback(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        handle = self.handles.get(s[2])
        if handle is None:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if handle.responded:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        kind = call.callback_type
        data = call.data
        message: JSON | None = None
        flags = int(data.get("flags") or 0)
        if kind in (4, 5):
            if kind == 5:
                flags |= LOADING
            message = self._new_message(handle, data, flags=flags, message_type=20)
            handle.original_message_id = message["id"]
        elif kind in (6, 7):
            source = handle.payload.get("message")
            if source is not None:
                message = self.messages.setdefault(source["id"], source)
                if kind == 7:
                    _apply_edit(message, data)
                handle.original_message_id = message["id"]
                flags = int(message.get("flags") or 0)
        if "with_response" not in call.query:
            return 204, None
        resource: JSON = {"type": kind}
        if message is not None:
            resource["message"] = message
        return 200, {
            "interaction": {
                "id": handle.id, "type": handle.payload["type"],
                "response_message_id": message["id"] if message else None,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            },
            "resource": resource,
        }

    def _followup(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        handle = self.handles.get(s[2])
        data = call.data
        message = self._new_message(handle, data, flags=int(data.get("flags") or 0),
                                    message_type=0, channel_id=self.channel()["id"])
        if handle is not None:
            handle.followups.append(message)
        return 200, message

    def _webhook_message_id(self, s: list[str]) -> str | None:
        if s[4] != "@original":
            return s[4]
        handle = self.handles.get(s[2])
        return handle.original_message_id if handle else None

    def _edit_webhook_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        message = self.messages.get(self._webhook_message_id(s) or "")
        if message is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        _apply_edit(message, call.data)
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        return 200, message

    def _get_webhook_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        message = self.messages.get(self._webhook_message_id(s) or "")
        return (200, message) if message else (404, {"message": "Unknown Message", "code": 10008})

    def _delete_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        message_id = self._webhook_message_id(s) if s[0] == "webhooks" else s[3]
        self.messages.pop(message_id or "", None)
        return 204, None

    def _channel_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        data = call.data
        reference = data.get("message_reference")
        message = self._new_message(
            None, data, flags=int(data.get("flags") or 0),
            message_type=19 if reference else 0, channel_id=s[1], reference=reference,
        )
        return 200, message

    def _edit_channel_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        message = self.messages.get(s[3])
        if message is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        _apply_edit(message, call.data)
        return 200, message

    def _get_channel_message(self, call: RecordedCall, s: list[str]) -> tuple[int, Any]:
        message = self.messages.get(s[3])
        return (200, message) if message else (404, {"message": "Unknown Message", "code": 10008})


def find_component(message: JSON, custom_id: str) -> JSON | None:
    """The component with ``custom_id`` anywhere in ``message``'s rows."""
    stack = list(message.get("components") or [])
    while stack:
        component = stack.pop()
        if component.get("custom_id") == custom_id:
            return component
        stack.extend(component.get("components") or [])
    return None


def components_of(message_or_data: JSON) -> list[JSON]:
    """Every non-row component in a message or callback ``data``, in order."""
    found: list[JSON] = []
    for row in message_or_data.get("components") or []:
        found.extend(row.get("components") or [row])
    return found


def _apply_edit(message: JSON, data: JSON) -> None:
    for key in ("content", "embeds", "components", "allowed_mentions"):
        if key in data:
            message[key] = data[key] if data[key] is not None else ([] if key != "content" else "")
    if "flags" in data and data["flags"] is not None:
        message["flags"] = (int(message.get("flags") or 0) & EPHEMERAL) | int(data["flags"])
    message["edited_timestamp"] = p.now_iso()


def _token_of(segments: list[str]) -> str | None:
    if segments[0] == "interactions" and len(segments) >= 3:
        return segments[2]
    if segments[0] == "webhooks" and len(segments) >= 3:
        return segments[2]
    return None


async def _multipart_json(request: web.Request) -> Any:
    reader = await request.multipart()
    async for part in reader:
        if getattr(part, "name", None) == "payload_json":
            return json.loads(await part.text())  # type: ignore[union-attr]
    return None


def _json_response(status: int, body: Any) -> web.Response:
    if status == 204 or body is None:
        return web.Response(status=204)
    # discord.py compares Content-Type with ==, so no "; charset=utf-8".
    return web.Response(status=status, body=json.dumps(body).encode(),
                        headers={"Content-Type": "application/json"})


def _describe(task: asyncio.Task[Any]) -> str:
    if task.cancelled():
        return "cancelled"
    exc = task.exception()
    return repr(exc) if exc else "returned normally"
