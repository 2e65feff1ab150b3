"""Posts every weekly briefing that is due, from a background loop.

The time a briefing was handled is stored right after posting, so a restart
neither skips nor repeats one; a week with nothing new posts nothing.  After
each check the bot dispatches ``labwire_briefing_check`` (with the number posted), an
event other features (and tests, through ``bot.wait_for``) can follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable

import discord

from bot.discord.briefing.embeds import briefing_embed
from bot.discord.errors import log_background_error
from bot.discord.replies import NO_MENTIONS
from bot.moderation import briefing
from bot.moderation.services import ModerationServices
from bot.runtime import KnowledgeService
from bot.storage.moderation import BriefingSubscription

log = logging.getLogger(__name__)

CHECKED_EVENT = "labwire_briefing_check"
STOP_WITHIN = 10.0


class BriefingPoster:
    def __init__(self, client: discord.Client, knowledge: KnowledgeService,
                 moderation: ModerationServices, *, poll_seconds: float,
                 owns_guild: Callable[[int], bool] = lambda guild_id: True) -> None:
        self.client = client
        self.owns_guild = owns_guild  # with shards over processes: only this process's guilds
        self.knowledge = knowledge
        self.moderation = moderation
        self.poll_seconds = poll_seconds
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    def start(self) -> None:
        """Check every ``poll_seconds`` (0: never; a moderator can still preview)."""
        if self.poll_seconds > 0:
            self._task = asyncio.create_task(self._post_forever(), name="labwire-briefing")

    async def stop(self) -> None:
        # Stop between runs rather than cancel: a cancelled database write would leave
        # the shared connection inside a transaction.
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_WITHIN)

    async def _post_forever(self) -> None:
        # Started after login (setup_hook), so REST sends work before the gateway is ready.
        while not self._stop.is_set():
            try:
                await self.run_due(self.moderation.clock())
            except Exception as exc:
                log_background_error(exc, "weekly briefing")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.poll_seconds)

    async def run_due(self, now: dt.datetime) -> int:
        """Post every briefing that is due at ``now``; return how many were posted."""
        posted = 0
        for subscription in await self.moderation.briefings.all():
            if not self.owns_guild(subscription.guild_id):
                continue  # another process runs that guild's shard and posts its briefing
            if briefing.is_due(subscription, now) and await self._handle(subscription, now):
                posted += 1
        self.client.dispatch(CHECKED_EVENT, posted)
        return posted

    async def _handle(self, subscription: BriefingSubscription, now: dt.datetime) -> bool:
        since = briefing.covers_since(subscription)
        revisions = await self.moderation.revisions.since(since)
        items = briefing.changed_articles(self.knowledge.kb, revisions, since)
        if items:
            channel = self.client.get_partial_messageable(subscription.channel_id,
                                                          guild_id=subscription.guild_id)
            try:
                await channel.send(embed=briefing_embed(items, since),
                                   allowed_mentions=NO_MENTIONS)
            except (discord.Forbidden, discord.NotFound) as exc:
                # A deleted channel or lost permission would fail every minute: skip this
                # week and say so; `/briefing channel` fixes it.
                log.warning("could not post the weekly briefing", extra={
                    "guild_id": subscription.guild_id, "channel_id": subscription.channel_id,
                    "status": exc.status})
        await self.moderation.briefings.mark_sent(subscription.guild_id, now)
        log.info("weekly briefing handled", extra={
            "guild_id": subscription.guild_id, "items": len(items)})
        return bool(items)
