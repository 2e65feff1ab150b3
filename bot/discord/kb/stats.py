"""``/kb stats``: questions, answers and feedback over a period, and how current the
knowledge is (newest story, stories per month as a chart image, drafts and feed
items waiting)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from typing import Any

import discord

from bot.discord.embeds import BRAND
from bot.discord.entries import entry_title
from bot.discord.kb.chart import FILENAME as CHART_FILE
from bot.discord.kb.chart import stories_chart_png
from bot.discord.kb.context import KbContext
from bot.discord.kb.curation import Curation
from bot.discord.replies import reply
from bot.discord.text import escape_user_text, fit_embed, join_within
from bot.drafts.freshness import knowledge_freshness
from bot.moderation.insights import percent, usage_stats
from bot.wording import plural

DAYS_SHOWN = 14
FIELD_BUDGET = 1000


async def show_stats(context: KbContext, interaction: discord.Interaction[Any], days: int,
                     curation: Curation) -> str:
    await context.require_moderator(interaction, "kb stats")
    since = context.moderation.clock() - dt.timedelta(days=days)
    kb = context.knowledge.kb
    usage = await usage_stats(context.moderation.insights, since,
                              context.guild_scope(interaction), kb.counts())
    embed = discord.Embed(title=f"Labwire, last {plural(days, 'day')}", colour=BRAND)
    counts = usage.knowledge
    embed.add_field(name="Knowledge", value=f"{counts['articles']} articles, "
                    f"{counts['people']} people, {counts['orgs']} orgs", inline=False)
    embed.add_field(name="Questions", value=f"{usage.asked} asked, {usage.answered} "
                    f"answered ({percent(usage.answered_share)})", inline=True)
    embed.add_field(name="Feedback", value=f"{usage.upvotes} 👍 / {usage.downvotes} 👎 "
                    f"({percent(usage.feedback_ratio)} positive)", inline=True)
    if usage.per_day:
        per_day = [f"`{d.day:%m-%d}` {d.asked} asked, {d.answered} answered"
                   for d in usage.per_day[-DAYS_SHOWN:]]
        embed.add_field(name="Per day", value=join_within(per_day, FIELD_BUDGET), inline=False)
    if usage.top_entries:
        top = [f"{n}× {escape_user_text(entry_title(kb, key))}" for key, n in usage.top_entries]
        embed.add_field(name="Most answered", value=join_within(top, FIELD_BUDGET), inline=False)
    chart = await add_freshness(embed, context, curation)
    await reply(interaction, embed=fit_embed(embed), file=chart)
    return "shown"


async def add_freshness(embed: discord.Embed, context: KbContext,
                        curation: Curation) -> discord.File:
    """The staleness part: a field with the numbers, and the per-month chart as the image."""
    now = context.moderation.clock()
    fresh = knowledge_freshness(context.knowledge.kb, now.date())
    newest = (f"{fresh.newest_date} ({_age(fresh.age_days)})" if fresh.newest_date
              else "no dated story")
    drafts = await asyncio.to_thread(curation.drafts.count)
    waiting = await curation.feeds.count_pending()
    embed.add_field(name="Freshness", value=f"Newest story: {newest}\n"
                    f"Drafts waiting: {drafts} · feed items waiting: {waiting}", inline=False)
    png = await asyncio.to_thread(stories_chart_png, fresh.per_month,
                                  "Stories per month, last 12 months")
    embed.set_image(url=f"attachment://{CHART_FILE}")
    return discord.File(io.BytesIO(png), filename=CHART_FILE)


def _age(days: int | None) -> str:
    if days is None:
        return "age unknown"
    return "today" if days <= 0 else f"{plural(days, 'day')} ago"
