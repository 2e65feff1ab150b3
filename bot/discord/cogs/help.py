"""``/help``: what Labwire can do, in one ephemeral embed."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LabwireBot
from bot.discord.embeds import BRAND
from bot.discord.errors import NO_MENTIONS
from bot.discord.text import fit_embed, truncate
from bot.knowledge import KnowledgeBase

COMMANDS = (
    ("/ask question", "Answers from the curated notes, with sources. Also: mention me."),
    ("/article, /person, /org", "A card for one story, person or lab (type to search)."),
    ("/takeaways article", "The key points of a story."),
    ("/latest [count]", "The newest stories."),
    ("/risk", "“Will AI replace your job?”: 4 questions, a cited score. Private to you."),
    ("/help", "This message."),
)


def help_embed(kb: KnowledgeBase, bot_name: str) -> discord.Embed:
    counts = kb.counts()
    embed = discord.Embed(
        title=f"What {bot_name} can do",
        description=(
            "I answer questions about AI-lab news (departures, deals, safety, policy) from "
            f"curated notes: {counts['articles']} stories, {counts['people']} people and "
            f"{counts['orgs']} organisations. Every answer links its sources."
        ),
        colour=BRAND,
    )
    for name, text in COMMANDS:
        embed.add_field(name=name, value=text, inline=False)
    examples = [a.questions[0] for a in kb.newest_articles(10) if a.questions][:3]
    if examples:
        embed.add_field(name="Try asking",
                        value="\n".join(f"• {truncate(q, 200)}" for q in examples), inline=False)
    embed.set_footer(text="Answers under 👍/👎 help the moderators improve the notes.")
    return fit_embed(embed)


class Help(commands.Cog):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Labwire can do")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "help") as span:
            name = self.bot.user.name if self.bot.user else "Labwire"
            await interaction.response.send_message(
                embed=help_embed(self.bot.service.kb, name), ephemeral=True,
                allowed_mentions=NO_MENTIONS)
            span.outcome = "shown"


async def setup(bot: LabwireBot) -> None:
    await bot.add_cog(Help(bot))
