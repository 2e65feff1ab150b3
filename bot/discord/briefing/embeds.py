"""The weekly briefing embed and the sentence that describes a schedule."""

from __future__ import annotations

import datetime as dt

import discord

from bot.discord.embeds import BRAND
from bot.discord.limits import DESCRIPTION_BUDGET
from bot.discord.text import fit_embed, join_within
from bot.moderation import briefing
from bot.storage.moderation import BriefingSubscription


def briefing_embed(items: list[briefing.BriefingItem], since: dt.datetime) -> discord.Embed:
    added = sum(1 for i in items if i.change == "added")
    embed = discord.Embed(title="This week on Labwire", colour=BRAND, description=join_within(
        briefing.briefing_lines(items), DESCRIPTION_BUDGET, "\n\n"))
    embed.set_footer(text=f"{added} new, {len(items) - added} updated since "
                          f"{since:%Y-%m-%d %H:%M} UTC · ask me about any of them with /ask")
    return fit_embed(embed)


def schedule_text(subscription: BriefingSubscription, now: dt.datetime) -> str:
    day = briefing.WEEKDAYS[subscription.weekday].title()
    when = briefing.next_run(subscription, now)
    return (f"Every {day} at {subscription.hour:02d}:00 UTC in <#{subscription.channel_id}>; "
            f"next check {when:%Y-%m-%d %H:%M} UTC.")
