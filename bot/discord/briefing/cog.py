"""``/briefing channel|preview|off``: moderators choose where and when the weekly briefing goes."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bot import LabwireBot
from bot.discord.briefing.embeds import briefing_embed, schedule_text
from bot.discord.briefing.poster import BriefingPoster
from bot.discord.embeds import notice_embed
from bot.discord.moderators import require_moderator
from bot.discord.replies import notice, reply
from bot.discord.text import fit_embed
from bot.discord.tracking import InteractionTracker
from bot.drafts.freshness import last_article_added, stale_note
from bot.moderation import briefing
from bot.moderation.services import ModerationServices
from bot.runtime import KnowledgeService
from bot.storage.moderation import BriefingSubscription

DAY_CHOICES = [app_commands.Choice(name=name.title(), value=index)
               for index, name in enumerate(briefing.WEEKDAYS)]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Briefing(commands.GroupCog, group_name="briefing",
               group_description="Moderators: a weekly post of new and updated stories"):
    def __init__(self, poster: BriefingPoster, knowledge: KnowledgeService,
                 moderation: ModerationServices, tracker: InteractionTracker) -> None:
        self.poster = poster
        self.knowledge = knowledge
        self.moderation = moderation
        self.tracker = tracker

    async def cog_load(self) -> None:
        self.poster.start()

    async def cog_unload(self) -> None:
        await self.poster.stop()

    @app_commands.command(name="channel", description="Post the weekly briefing in a channel")
    @app_commands.describe(channel="Where to post", day="Day of the week (default Monday)",
                           hour="Hour of the day, UTC (default 9)")
    @app_commands.choices(day=DAY_CHOICES)
    async def channel(self, interaction: discord.Interaction[Any], channel: discord.TextChannel,
                      day: app_commands.Choice[int] | None = None,
                      hour: app_commands.Range[int, 0, 23] = briefing.DEFAULT_HOUR) -> None:
        async with self.tracker.span(interaction.id, "briefing channel") as span:
            guild_id = await require_moderator(self.moderation, interaction, "briefing channel")
            weekday = day.value if day is not None else briefing.DEFAULT_WEEKDAY
            now = self.moderation.clock()
            subscription = await self.moderation.briefings.subscribe(
                guild_id, channel.id, weekday, hour, interaction.user.id, now)
            await notice(interaction, "Weekly briefing on. " + schedule_text(subscription, now) +
                         " Weeks with nothing new post nothing. `/briefing preview` shows the "
                         "next one.")
            span.outcome = "subscribed"

    @app_commands.command(name="preview", description="What the next weekly briefing would "
                                                      "contain")
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "briefing preview") as span:
            guild_id = await require_moderator(self.moderation, interaction, "briefing preview")
            now = self.moderation.clock()
            subscription = await self.moderation.briefings.get(guild_id)
            if subscription is None:  # show what a new subscription would post
                subscription = BriefingSubscription(
                    guild_id, interaction.channel_id or 0, briefing.DEFAULT_WEEKDAY,
                    briefing.DEFAULT_HOUR, subscribed_at=now, last_sent_at=None)
                where = "Not subscribed yet: `/briefing channel` turns it on."
            else:
                where = schedule_text(subscription, now)
            since = briefing.covers_since(subscription)
            items = briefing.changed_articles(
                self.knowledge.kb, await self.moderation.revisions.since(since), since)
            # Moderators only: say when the knowledge has gone stale (issue 14).
            stale = stale_note(await last_article_added(self.moderation.revisions), now)
            if not items:
                await notice(interaction,
                             f"Nothing new or updated since {since:%Y-%m-%d %H:%M} UTC, so the "
                             f"next briefing would not be posted. {where}"
                             + (f"\n\n⚠ {stale}" if stale else ""))
                span.outcome = "empty"
                return
            embed = briefing_embed(items, since)
            embed.title = "Preview: " + (embed.title or "")
            embed.add_field(name="Schedule", value=where, inline=False)
            if stale:
                embed.add_field(name="Staleness", value=f"⚠ {stale}", inline=False)
            await reply(interaction, embed=fit_embed(embed))
            span.outcome = f"shown:{len(items)}"

    @app_commands.command(name="off", description="Stop the weekly briefing in this server")
    async def off(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "briefing off") as span:
            guild_id = await require_moderator(self.moderation, interaction, "briefing off")
            stopped = await self.moderation.briefings.unsubscribe(guild_id)
            await reply(interaction, embed=notice_embed(
                "Weekly briefing off." if stopped else "There was no weekly briefing here."))
            span.outcome = "off" if stopped else "none"


async def setup(bot: LabwireBot) -> None:
    services = bot.services
    poster = BriefingPoster(bot, services.knowledge, services.moderation,
                            poll_seconds=services.settings.briefing_poll_seconds,
                            owns_guild=bot.owns_guild)
    await bot.add_cog(Briefing(poster, services.knowledge, services.moderation,
                               services.tracker))
