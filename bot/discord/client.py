"""The Labwire bot: an ``AutoShardedBot`` that loads feature cogs from a list.

See :mod:`bot.discord` for how to add a feature.  The bot owns the shared
pieces every cog uses: ``bot.config``, ``bot.service`` (the live knowledge and
answer engine; read ``bot.service.engine`` once per request), ``bot.db`` (the
:class:`~bot.storage.database.Database`), ``bot.questions`` (the question log
and feedback repository), ``bot.tracker`` (per-interaction log line and drain),
``bot.ask_cooldown`` and ``bot.recent_answers`` (manners), and ``bot.accepting``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands
from discord.ext import commands

from bot.discord.config import BotConfig
from bot.discord.errors import ShuttingDown, handle_interaction_error, log_background_error
from bot.discord.safety import RecentAnswers, UserCooldown
from bot.discord.tracking import InteractionTracker
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.runtime import KnowledgeService
from bot.storage.database import Database
from bot.storage.question_log import QuestionLog

log = logging.getLogger(__name__)

# Feature cogs, loaded in order at start.  Add a module with ``async def setup(bot)``
# and list its dotted name here (or pass ``extensions=`` to the bot).
EXTENSIONS: list[str] = [
    "bot.discord.cogs.ask",
    "bot.discord.cogs.cards",
    "bot.discord.cogs.risk",
    "bot.discord.cogs.help",
    "bot.discord.cogs.kb",  # moderator tools: bot/moderation
    "bot.discord.cogs.briefing",
    "bot.discord.cogs.privacy",
]

PRUNE_EVERY = 24 * 3600.0


def build_intents(config: BotConfig) -> discord.Intents:
    """The minimum: guilds (channels, roles) and guild messages (for @mentions).

    Slash commands and components need no intent at all.  Messages that mention
    the bot carry their text without the privileged message-content intent;
    plain questions in ``LABWIRE_ASK_CHANNEL_IDS`` do not, so that intent is
    requested only when such channels are configured.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = config.message_content_intent
    return intents


def point_at_endpoints(bot: commands.AutoShardedBot, config: BotConfig) -> None:
    """Use ``DISCORD_API_BASE``/``DISCORD_GATEWAY_URL`` (process-wide: one bot per process)."""
    if config.api_base:
        discord.http.Route.BASE = config.api_base
    if config.gateway_url:
        gateway = yarl.URL(config.gateway_url)
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
        fetch = bot.http.get_bot_gateway

        async def gateway_from_config() -> Any:
            # Keep Discord's shard count and limits; connect where we were told to.
            shards, _url, limits = await fetch()
            return shards, str(gateway), limits

        bot.http.get_bot_gateway = gateway_from_config  # type: ignore[method-assign]


class LabwireTree(app_commands.CommandTree[Any]):
    """The command tree: refuses work while shutting down; one error handler."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        bot = interaction.client
        if isinstance(bot, LabwireBot) and not bot.accepting:
            raise ShuttingDown()
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        bot = interaction.client
        assert isinstance(bot, LabwireBot)
        await handle_interaction_error(bot, interaction, error)


class LabwireBot(commands.AutoShardedBot):
    def __init__(
        self,
        config: BotConfig,
        service: KnowledgeService,
        db: Database,
        *,
        extensions: Sequence[str] | None = None,
        questions: QuestionLog | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("guild_ready_timeout", config.guild_ready_timeout)
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: no prefix commands are registered
            intents=build_intents(config),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=LabwireTree,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            **options,
        )
        point_at_endpoints(self, config)
        self.config = config
        self.service = service
        self.db = db
        self.questions: QuestionLog = questions or QuestionLog(db)
        self.extension_names = list(EXTENSIONS if extensions is None else extensions)
        self.tracker = InteractionTracker()
        self.ask_cooldown = UserCooldown(config.ask_cooldown)
        self.recent_answers = RecentAnswers(config.dedup_seconds)
        self.accepting = True
        self.last_event_at: float | None = None
        self.heartbeat_written = asyncio.Event()  # set after each heartbeat write
        self._background: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    # ------------------------------------------------------------------ start

    async def setup_hook(self) -> None:
        for name in self.extension_names:
            await self.load_extension(name)
        await self.sync_commands()
        self._background.append(asyncio.create_task(self._prune_forever(), name="labwire-prune"))
        self._background.append(
            asyncio.create_task(self._heartbeat_forever(), name="labwire-heartbeat"))

    async def sync_commands(self) -> None:
        """Instant sync to the development guilds, else global sync (may take up to an hour)."""
        if self.config.dev_guild_ids:
            for guild_id in self.config.dev_guild_ids:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced commands to guild", extra={"guild_id": guild_id,
                                                            "commands": len(synced)})
        else:
            synced = await self.tree.sync()
            log.info("synced commands globally", extra={"commands": len(synced)})

    async def on_ready(self) -> None:
        log.info("connected", extra={"guilds": len(self.guilds), "shards": self.shard_count,
                                     "user_id": self.user.id if self.user else None})

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the cogs' listeners only."""

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        self.last_event_at = time.monotonic()
        if event_name == "interaction" and args:
            # Handlers were just scheduled for this interaction; count it as in flight.
            self.tracker.begin(args[0].id)
        super().dispatch(event_name, *args, **kwargs)

    # ------------------------------------------------------------------ health

    @property
    def gateway_connected(self) -> bool:
        if self.is_closed() or not self.is_ready():
            return False
        return any(not shard.is_closed() for shard in self.shards.values())

    async def heartbeat_status(self) -> HeartbeatStatus:
        writable = True
        try:
            async with self.db.write():
                pass
        except Exception:
            writable = False
        age = None if self.last_event_at is None else time.monotonic() - self.last_event_at
        return HeartbeatStatus(
            gateway_connected=self.gateway_connected,
            last_event_age=age,
            knowledge_loaded=bool(self.service.kb.articles or self.service.kb.people),
            database_writable=writable,
        )

    async def write_heartbeat(self) -> None:
        status = await self.heartbeat_status()
        await asyncio.to_thread(write_heartbeat, self.config.heartbeat_path, status)

    async def _heartbeat_forever(self) -> None:
        """Every ``heartbeat_interval`` s from the first READY on (``labwire health`` reads it)."""
        await self.wait_until_ready()
        while not self._stopping.is_set():
            try:
                await self.write_heartbeat()
                self.heartbeat_written.set()
            except Exception as exc:
                log_background_error(exc, "heartbeat")
            await self._pause(self.config.heartbeat_interval)

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the bot stops (timers end between writes, not in one)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # ------------------------------------------------------------------ retention

    async def prune_old_rows(self) -> None:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=self.config.retention_days)
        pruned = await self.questions.prune(cutoff)
        log.info("pruned old question log rows", extra={
            "questions": pruned.questions, "feedback": pruned.feedback,
            "retention_days": self.config.retention_days})

    async def _prune_forever(self) -> None:
        while not self._stopping.is_set():
            try:
                await self.prune_old_rows()
            except Exception as exc:
                log_background_error(exc, "retention pruning")
            await self._pause(PRUNE_EVERY)

    # ------------------------------------------------------------------ stop

    async def drain(self, grace: float | None = None) -> bool:
        """Stop taking interactions and wait for in-flight ones (True if all finished)."""
        self.accepting = False
        grace = self.config.shutdown_grace if grace is None else grace
        finished = await self.tracker.wait_idle(grace)
        if not finished:
            log.warning("shutdown grace ran out", extra={"in_flight": self.tracker.in_flight})
        return finished

    async def close(self) -> None:
        # Let the timers finish a database write rather than cancelling them inside one.
        self._stopping.set()
        if self._background:
            _, late = await asyncio.wait(self._background, timeout=5)
            for task in late:
                task.cancel()
        self._background.clear()
        await super().close()
