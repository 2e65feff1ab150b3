"""``/briefing``: a weekly embed of new and updated stories in a channel moderators choose.

A background task checks once a minute (``LABWIRE_BRIEFING_POLL_SECONDS``)
which subscriptions are due (:mod:`bot.moderation.briefing`).  The time a
briefing was handled is stored right after posting, so a restart neither skips
nor repeats one; a week with nothing new posts nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LabwireBot
from bot.discord.cogs._moderation import moderation, require_moderator, send_private
from bot.discord.embeds import BRAND, notice_embed
from bot.discord.errors import NO_MENTIONS, log_background_error
from bot.discord.text import fit_embed, join_within
from bot.moderation import briefing
from bot.storage.moderation import BriefingSubscription

log = logging.getLogger(__name__)

POLL_ENV = "LABWIRE_BRIEFING_POLL_SECONDS"
DEFAULT_POLL_SECONDS = 60.0

DAY_CHOICES = [app_commands.Choice(name=name.title(), value=index)
               for index, name in enumerate(briefing.WEEKDAYS)]


def poll_seconds(env: dict[str, str]) -> float:
    """Seconds between checks; 0 turns the automatic posting off (tests drive it by hand)."""
    raw = env.get(POLL_ENV, "").strip()
    if not raw:
        return DEFAULT_POLL_SECONDS
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{POLL_ENV}: '{raw}' is not a number of seconds") from None
    if value < 0:
        raise ValueError(f"{POLL_ENV}: must be 0 (off) or more")
    return value


def briefing_embed(items: list[briefing.BriefingItem], since: dt.datetime) -> discord.Embed:
    added = sum(1 for i in items if i.change == "added")
    embed = discord.Embed(title="This week on Labwire", colour=BRAND,
                          description=join_within(briefing.briefing_lines(items), 4000, "\n\n"))
    embed.set_footer(text=f"{added} new, {len(items) - added} updated since "
                          f"{since:%Y-%m-%d %H:%M} UTC · ask me about any of them with /ask")
    return fit_embed(embed)


def schedule_text(subscription: BriefingSubscription, now: dt.datetime) -> str:
    day = briefing.WEEKDAYS[subscription.weekday].title()
    when = briefing.next_run(subscription, now)
    return (f"Every {day} at {subscription.hour:02d}:00 UTC in <#{subscription.channel_id}>; "
            f"next check {when:%Y-%m-%d %H:%M} UTC.")


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Briefing(commands.GroupCog, group_name="briefing",
               group_description="Moderators: a weekly post of new and updated stories"):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot
        self.services = moderation(bot)
        self.poll = poll_seconds(dict(bot.config.env))
        self.runs = 0
        self._ran = asyncio.Condition()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    async def cog_load(self) -> None:
        await self.services.start()
        if self.poll > 0:
            self._task = asyncio.create_task(self._post_forever(), name="labwire-briefing")

    async def cog_unload(self) -> None:
        # Stop between runs rather than cancel: a cancelled database write would leave
        # the shared connection inside a transaction.
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=10)

    async def _post_forever(self) -> None:
        # Started after login (setup_hook), so REST sends work before the gateway is ready.
        while not self._stop.is_set():
            try:
                await self.run_due(self.services.clock())
            except Exception as exc:
                log_background_error(exc, "weekly briefing")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.poll)

    async def wait_for_runs(self, count: int) -> None:
        """Until :meth:`run_due` has completed ``count`` times (for tests, no sleeping)."""
        async with self._ran:
            await self._ran.wait_for(lambda: self.runs >= count)

    async def run_due(self, now: dt.datetime) -> int:
        """Post every briefing that is due at ``now``; return how many were posted."""
        posted = 0
        for subscription in await self.services.briefings.all():
            if briefing.is_due(subscription, now) and await self._handle(subscription, now):
                posted += 1
        async with self._ran:
            self.runs += 1
            self._ran.notify_all()
        return posted

    async def _handle(self, subscription: BriefingSubscription, now: dt.datetime) -> bool:
        since = briefing.covers_since(subscription)
        revisions = await self.services.revisions.since(since)
        items = briefing.changed_articles(self.bot.service.kb, revisions, since)
        if items:
            channel = self.bot.get_partial_messageable(subscription.channel_id,
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
        await self.services.briefings.mark_sent(subscription.guild_id, now)
        log.info("weekly briefing handled", extra={
            "guild_id": subscription.guild_id, "items": len(items)})
        return bool(items)

    # ------------------------------------------------------------------ commands

    @app_commands.command(name="channel", description="Post the weekly briefing in a channel")
    @app_commands.describe(channel="Where to post", day="Day of the week (default Monday)",
                           hour="Hour of the day, UTC (default 9)")
    @app_commands.choices(day=DAY_CHOICES)
    async def channel(self, interaction: discord.Interaction[Any], channel: discord.TextChannel,
                      day: app_commands.Choice[int] | None = None,
                      hour: app_commands.Range[int, 0, 23] = briefing.DEFAULT_HOUR) -> None:
        async with self.bot.tracker.span(interaction.id, "briefing channel") as span:
            await require_moderator(self.bot, interaction, "briefing channel")
            assert interaction.guild_id is not None  # checked by require_moderator
            weekday = day.value if day is not None else briefing.DEFAULT_WEEKDAY
            now = self.services.clock()
            subscription = await self.services.briefings.subscribe(
                interaction.guild_id, channel.id, weekday, hour, interaction.user.id, now)
            await send_private(interaction, embed=notice_embed(
                "Weekly briefing on. " + schedule_text(subscription, now) +
                " Weeks with nothing new post nothing. `/briefing preview` shows the next one."))
            span.outcome = "subscribed"

    @app_commands.command(name="preview", description="What the next weekly briefing would "
                                                      "contain")
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "briefing preview") as span:
            await require_moderator(self.bot, interaction, "briefing preview")
            assert interaction.guild_id is not None
            now = self.services.clock()
            subscription = await self.services.briefings.get(interaction.guild_id)
            if subscription is None:  # show what a new subscription would post
                subscription = BriefingSubscription(
                    interaction.guild_id, interaction.channel_id or 0, briefing.DEFAULT_WEEKDAY,
                    briefing.DEFAULT_HOUR, subscribed_at=now, last_sent_at=None)
                where = "Not subscribed yet: `/briefing channel` turns it on."
            else:
                where = schedule_text(subscription, now)
            since = briefing.covers_since(subscription)
            items = briefing.changed_articles(
                self.bot.service.kb, await self.services.revisions.since(since), since)
            if not items:
                await send_private(interaction, embed=notice_embed(
                    f"Nothing new or updated since {since:%Y-%m-%d %H:%M} UTC, so the next "
                    f"briefing would not be posted. {where}"))
                span.outcome = "empty"
                return
            embed = briefing_embed(items, since)
            embed.title = "Preview: " + (embed.title or "")
            embed.add_field(name="Schedule", value=where, inline=False)
            await send_private(interaction, embed=fit_embed(embed))
            span.outcome = f"shown:{len(items)}"

    @app_commands.command(name="off", description="Stop the weekly briefing in this server")
    async def off(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "briefing off") as span:
            await require_moderator(self.bot, interaction, "briefing off")
            assert interaction.guild_id is not None
            stopped = await self.services.briefings.unsubscribe(interaction.guild_id)
            await send_private(interaction, embed=notice_embed(
                "Weekly briefing off." if stopped else "There was no weekly briefing here."))
            span.outcome = "off" if stopped else "none"


async def setup(bot: LabwireBot) -> None:
    await bot.add_cog(Briefing(bot))
