"""The Labwire bot: builds every service once, hands them to the feature cogs, runs the timers.

:class:`Services` is everything the cogs use.  :class:`LabwireBot` builds it in
its constructor from the settings, the live knowledge and the database; each
feature's ``setup(bot)`` passes the pieces it needs to its cog.  See
:mod:`bot.discord` for the layout and how to add a feature.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock, utc_now
from bot.discord.ask.delivery import AnswerDelivery
from bot.discord.ask.pacing import (
    AnswerClaims,
    CooldownGate,
    RecentAnswers,
    SharedCooldown,
    SharedRecentAnswers,
    UserCooldown,
)
from bot.discord.cards.card import AnswerCards
from bot.discord.entries import EntryPicker
from bot.discord.errors import log_background_error
from bot.discord.reach import GatewayWatch
from bot.discord.replies import answer_failure
from bot.discord.tracking import InteractionTracker
from bot.moderation.permissions import ModerationPolicy
from bot.moderation.services import ModerationServices
from bot.moderation.sync import KnowledgeSync
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.runtime import KnowledgeService
from bot.settings import Settings
from bot.storage.database import Database, DeploymentLock
from bot.storage.manners import MannersStore
from bot.storage.question_log import QuestionLog
from bot.storage.quiz_results import QuizResults

log = logging.getLogger(__name__)

# Feature cogs, loaded in order at start: each module has ``async def setup(bot)``.
EXTENSIONS: list[str] = [
    "bot.discord.ask.cog",
    "bot.discord.cards.cog",
    "bot.discord.risk.cog",
    "bot.discord.help.cog",
    "bot.discord.kb.cog",  # moderator tools: bot/moderation
    "bot.discord.briefing.cog",
    "bot.discord.privacy.cog",
]

PRUNE_EVERY = 24 * 3600.0
DEPLOYMENT_LOCK = "deployment"  # once-per-deployment work: pruning (feed polling joins it)
# Events the features dispatch themselves (``labwire_knowledge_reload``, ...); listeners
# and ``bot.wait_for`` can follow them like Discord's own.
OWN_EVENTS_PREFIX = "labwire_"
# Dispatched with the list of files after another process's knowledge edits were applied.
KNOWLEDGE_APPLIED_EVENT = "labwire_knowledge_applied"
STOP_TIMERS_WITHIN = 5.0
# discord.py retries a failed gateway connection every 5 s, forever.  Before the first
# connection succeeds, one failure ends the start: `labwire run` decides about retrying.
GATEWAY_START_ATTEMPTS = 1


@dataclass(frozen=True)
class Services:
    """Everything the cogs use, built once per bot."""

    settings: Settings
    knowledge: KnowledgeService  # read .engine / .kb once per request
    db: Database
    clock: Clock
    tracker: InteractionTracker
    questions: QuestionLog
    quiz_results: QuizResults
    moderation: ModerationServices
    entries: EntryPicker
    cards: AnswerCards
    delivery: AnswerDelivery
    deployment: DeploymentLock  # held by one process of the deployment at a time
    manners: MannersStore | None  # the shared cooldown and duplicate rule (PostgreSQL)


def build_services(settings: Settings, knowledge: KnowledgeService, db: Database, *,
                   questions: QuestionLog | None = None, clock: Clock = utc_now) -> Services:
    tracker = InteractionTracker()
    questions = questions or QuestionLog(db)
    cards = AnswerCards(knowledge, questions, tracker, ack_budget=settings.ack_budget)
    policy = ModerationPolicy(mod_role_ids=settings.mod_role_ids,
                              curator_guild_ids=settings.curator_guild_ids)
    manners = MannersStore(db) if db.backend == "postgresql" else None
    cooldown, recent = manners_for(settings, manners)
    return Services(
        settings=settings, knowledge=knowledge, db=db, clock=clock, tracker=tracker,
        questions=questions, quiz_results=QuizResults(db),
        moderation=ModerationServices.build(db, knowledge, policy, clock),
        entries=EntryPicker(knowledge), cards=cards,
        delivery=AnswerDelivery(knowledge, questions, cards, cooldown, recent, tracker,
                                view_timeout=settings.view_timeout),
        deployment=db.deployment_lock(DEPLOYMENT_LOCK), manners=manners,
    )


def manners_for(
    settings: Settings, shared: MannersStore | None
) -> tuple[CooldownGate, AnswerClaims]:
    """In memory for one process (SQLite); in the database when processes share it."""
    if shared is None:
        return UserCooldown(settings.ask_cooldown), RecentAnswers(settings.dedup_seconds)
    return (SharedCooldown(shared, settings.ask_cooldown),
            SharedRecentAnswers(shared, settings.dedup_seconds))


def build_intents(settings: Settings) -> discord.Intents:
    """The minimum: guilds (channels, roles) and guild messages (for @mentions).

    Slash commands and components need no intent at all.  Messages that mention
    the bot carry their text without the privileged message-content intent;
    plain questions in ``LABWIRE_ASK_CHANNEL_IDS`` do not, so that intent is
    requested only when such channels are configured.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = settings.message_content_intent
    return intents


def point_at_endpoints(bot: commands.AutoShardedBot, settings: Settings) -> None:
    """Use ``DISCORD_API_BASE``/``DISCORD_GATEWAY_URL`` (process-wide: one bot per process)."""
    if settings.api_base:
        discord.http.Route.BASE = settings.api_base
    if settings.gateway_url:
        gateway = yarl.URL(settings.gateway_url)
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
        fetch = bot.http.get_bot_gateway

        async def gateway_from_settings() -> Any:
            # Keep Discord's shard count and limits; connect where we were told to.
            shards, _url, limits = await fetch()
            return shards, str(gateway), limits

        bot.http.get_bot_gateway = gateway_from_settings  # type: ignore[method-assign]


class LabwireBot(commands.AutoShardedBot):
    def __init__(
        self,
        settings: Settings,
        knowledge: KnowledgeService,
        db: Database,
        *,
        extensions: Sequence[str] | None = None,
        questions: QuestionLog | None = None,
        clock: Clock = utc_now,
        **options: Any,
    ) -> None:
        options.setdefault("guild_ready_timeout", settings.guild_ready_timeout)
        # A text bot: discord.py's "voice will NOT be supported" warnings only confuse.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        if settings.shard_count and settings.shard_ids:  # a subset; else discord.py decides
            options.setdefault("shard_count", settings.shard_count)
            options.setdefault("shard_ids", sorted(settings.shard_ids))
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: no prefix commands are registered
            intents=build_intents(settings),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=LabwireTree,
            member_cache_flags=discord.MemberCacheFlags.none(),
            chunk_guilds_at_startup=False,
            max_messages=None,
            **options,
        )
        point_at_endpoints(self, settings)
        self.gateway_watch = GatewayWatch(self.http, GATEWAY_START_ATTEMPTS)
        self.services = build_services(settings, knowledge, db, questions=questions, clock=clock)
        self.settings = settings
        self.extension_names = list(EXTENSIONS if extensions is None else extensions)
        self.last_event_at: float | None = None
        self.heartbeat_written = asyncio.Event()  # set after each heartbeat write
        self.leading = asyncio.Event()  # set while this process does the per-deployment work
        self._background: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()
        self.knowledge_sync: KnowledgeSync | None = None  # with shared (PostgreSQL) knowledge

    @property
    def tracker(self) -> InteractionTracker:
        return self.services.tracker

    # ------------------------------------------------------------------ start

    async def setup_hook(self) -> None:
        await self.services.moderation.start()
        editor = self.services.moderation.editor
        if editor.shared:
            self.knowledge_sync = KnowledgeSync(
                editor, self.services.db, check_seconds=self.settings.knowledge_check_seconds,
                on_applied=lambda files: self.dispatch(KNOWLEDGE_APPLIED_EVENT, files))
            await self.knowledge_sync.start()
        self.add_dynamic_items(self.services.cards.button_type)
        for name in self.extension_names:
            await self.load_extension(name)
        await self.sync_commands()
        self._background.append(asyncio.create_task(self._lead_forever(), name="labwire-lead"))
        self._background.append(asyncio.create_task(self._prune_forever(), name="labwire-prune"))
        self._background.append(
            asyncio.create_task(self._heartbeat_forever(), name="labwire-heartbeat"))

    async def sync_commands(self) -> None:
        """Instant sync to the development guilds, else global sync (may take up to an hour)."""
        if self.settings.dev_guild_ids:
            for guild_id in sorted(self.settings.dev_guild_ids):
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
        if not event_name.startswith(OWN_EVENTS_PREFIX):  # only Discord's count for health
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

    def shard_states(self) -> dict[str, bool]:
        """This process's shards and whether each is connected (for ``labwire health``)."""
        ready = self.is_ready() and not self.is_closed()
        return {str(shard_id): ready and not shard.is_closed()
                for shard_id, shard in sorted(self.shards.items())}

    def owns_guild(self, guild_id: int) -> bool:
        """Per-guild work (the weekly briefing) runs in the process that has the guild's shard."""
        return self.settings.owns_guild(guild_id)

    async def heartbeat_status(self) -> HeartbeatStatus:
        writable = True
        try:
            async with self.services.db.write():
                pass
        except Exception:
            writable = False
        age = None if self.last_event_at is None else time.monotonic() - self.last_event_at
        kb = self.services.knowledge.kb
        return HeartbeatStatus(
            gateway_connected=self.gateway_connected,
            last_event_age=age,
            knowledge_loaded=bool(kb.articles or kb.people),
            database_writable=writable,
            shards=self.shard_states() or None,
        )

    async def write_heartbeat(self) -> None:
        status = await self.heartbeat_status()
        await asyncio.to_thread(write_heartbeat, self.settings.heartbeat_path, status)

    async def _heartbeat_forever(self) -> None:
        """Every ``heartbeat_interval`` s from the first READY on (``labwire health`` reads it)."""
        await self._ready_or_stopping()
        while not self._stopping.is_set():
            try:
                await self.write_heartbeat()
                self.heartbeat_written.set()
            except Exception as exc:
                log_background_error(exc, "heartbeat")
            await self._pause(self.settings.heartbeat_interval)

    async def _ready_or_stopping(self) -> None:
        """Wait for the first READY, but not past a stop (a bot that never connected)."""
        waits = {asyncio.ensure_future(self.wait_until_ready()),
                 asyncio.ensure_future(self._stopping.wait())}
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the bot stops (timers end between writes, not in one)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    # ------------------------------------------------------------------ retention

    async def prune_old_rows(self) -> None:
        days = self.settings.retention_days
        # Real time, not the services' clock: the question log stamps rows with real time.
        cutoff = utc_now() - dt.timedelta(days=days)
        pruned = await self.services.questions.prune(cutoff)
        if self.services.manners is not None:
            await self.services.manners.prune(time.time())
        log.info("pruned old question log rows", extra={
            "questions": pruned.questions, "feedback": pruned.feedback, "retention_days": days})

    async def _prune_forever(self) -> None:
        """Daily, in the one process that holds the deployment lock."""
        while not self._stopping.is_set():
            if not await self._until_leading():
                return
            try:
                await self.prune_old_rows()
            except Exception as exc:
                log_background_error(exc, "retention pruning")
            await self._pause(PRUNE_EVERY)

    # ------------------------------------------------------------------ per-deployment work

    async def _lead_forever(self) -> None:
        """Hold the deployment lock, or take it over when its holder goes away."""
        while not self._stopping.is_set():
            try:
                leading = await self.services.deployment.try_acquire()
            except Exception as exc:
                log_background_error(exc, "deployment lock")
                leading = False
            if leading and not self.leading.is_set():
                log.info("this process does the per-deployment work",
                         extra={"lock": DEPLOYMENT_LOCK})
                self.leading.set()
            elif not leading and self.leading.is_set():
                log.warning("another process does the per-deployment work now",
                            extra={"lock": DEPLOYMENT_LOCK})
                self.leading.clear()
            await self._pause(self.settings.leader_check_seconds)

    async def _until_leading(self) -> bool:
        """Wait until this process holds the deployment lock; False if the bot stops first."""
        stopping = asyncio.ensure_future(self._stopping.wait())
        leading = asyncio.ensure_future(self.leading.wait())
        try:
            await asyncio.wait({stopping, leading}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            leading.cancel()
        return not self._stopping.is_set()

    # ------------------------------------------------------------------ stop

    async def drain(self, grace: float | None = None) -> bool:
        """Stop taking interactions and wait for in-flight ones (True if all finished)."""
        self.tracker.stop_accepting()
        grace = self.settings.shutdown_grace if grace is None else grace
        finished = await self.tracker.wait_idle(grace)
        if not finished:
            log.warning("shutdown grace ran out", extra={"in_flight": self.tracker.in_flight})
        return finished

    async def close(self) -> None:
        # Let the timers finish a database write rather than cancelling them inside one.
        self._stopping.set()
        if self._background:
            _, late = await asyncio.wait(self._background, timeout=STOP_TIMERS_WITHIN)
            for task in late:
                task.cancel()
        self._background.clear()
        if self.knowledge_sync is not None:
            await self.knowledge_sync.stop()
        with contextlib.suppress(Exception):  # the lock's session ends with the process anyway
            await self.services.deployment.release()
        await super().close()


class LabwireTree(app_commands.CommandTree[LabwireBot]):
    """The command tree: refuses work while shutting down; one error reply."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        self.client.tracker.ensure_accepting()
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError, /
    ) -> None:
        await answer_failure(self.client.tracker, interaction, error)
