"""``/help``: what Labwire can do, in one ephemeral embed, generated from the command tree.

Every registered command is listed with its options and description, so a new
command appears here without anyone remembering to add it.  Commands hidden
from members by default (moderator tools) are named in one line at the end.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bot import LabwireBot
from bot.discord.embeds import BRAND
from bot.discord.limits import EMBED_FIELDS_MAX, TITLE_IN_TEXT_MAX
from bot.discord.replies import reply
from bot.discord.text import fit_embed, truncate
from bot.discord.tracking import InteractionTracker
from bot.knowledge import KnowledgeBase
from bot.runtime import KnowledgeService
from bot.search.answers import latest_stories
from bot.search.dates import format_date
from bot.search.render import coverage_text

EXAMPLES = 3
Listed = app_commands.Command[Any, ..., Any] | app_commands.Group


def usage(command: app_commands.Command[Any, ..., Any]) -> str:
    """``/ask question``, ``/latest [count]``, ``/privacy forget-me``."""
    options = [p.display_name if p.required else f"[{p.display_name}]"
               for p in command.parameters]
    return " ".join([f"/{command.qualified_name}", *options])


def leaves(command: Listed) -> Iterator[app_commands.Command[Any, ..., Any]]:
    """A command, or every subcommand of a group."""
    if isinstance(command, app_commands.Group):
        for child in command.commands:
            yield from leaves(child)
    else:
        yield command


def for_moderators(command: Listed) -> bool:
    """Hidden from members until a server admin shows it (``default_permissions``)."""
    permissions = command.default_permissions
    return permissions is not None and permissions.value != 0


def coverage_line(kb: KnowledgeBase) -> str:
    """'My notes cover stories from Jan 2025 to Apr 2026, checked on 28 Apr 2026.'"""
    latest = latest_stories(kb, 0)
    checked = (f", checked against their sources on {format_date(kb.knowledge_as_of)}"
               if kb.knowledge_as_of else "")
    return f"My notes cover {coverage_text(latest.first, latest.last)}{checked}."


def help_embed(kb: KnowledgeBase, bot_name: str, registered: Sequence[Listed]) -> discord.Embed:
    counts = kb.counts()
    embed = discord.Embed(
        title=f"What {bot_name} can do",
        description=(
            "I answer questions about AI-lab news (departures, deals, safety, policy) from "
            f"curated notes: {counts['articles']} stories, {counts['people']} people and "
            f"{counts['orgs']} organisations. {coverage_line(kb)} Every answer links its "
            "sources and says how old its facts are. You can also mention me with a question, "
            "or reply to my answer to follow up."
        ),
        colour=BRAND,
    )
    members = [c for c in registered if not for_moderators(c)]
    moderators = [c for c in registered if for_moderators(c)]
    room = EMBED_FIELDS_MAX - 2  # keep room for the examples and the moderators' line
    for command in [leaf for c in members for leaf in leaves(c)][:room]:
        embed.add_field(name=usage(command), value=command.description or "\u200b", inline=False)
    examples = [a.questions[0] for a in kb.newest_articles(10) if a.questions][:EXAMPLES]
    if examples:
        embed.add_field(name="Try asking", value="\n".join(
            f"• {truncate(q, TITLE_IN_TEXT_MAX)}" for q in examples), inline=False)
    if moderators:
        names = ", ".join(f"/{c.name}" for c in moderators)
        embed.add_field(name="For moderators", inline=False, value=(
            f"{names} (visible with Manage Server, or to roles an admin allows in Integrations)."))
    embed.set_footer(text="Answers under 👍/👎 help the moderators improve the notes.")
    return fit_embed(embed)


class Help(commands.Cog):
    def __init__(self, bot: LabwireBot, knowledge: KnowledgeService,
                 tracker: InteractionTracker) -> None:
        self.bot = bot
        self.knowledge = knowledge
        self.tracker = tracker

    @app_commands.command(name="help", description="What Labwire can do")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "help") as span:
            name = self.bot.user.name if self.bot.user else "Labwire"
            registered = [c for c in self.bot.tree.get_commands()
                          if isinstance(c, app_commands.Command | app_commands.Group)]
            await reply(interaction, embed=help_embed(self.knowledge.kb, name, registered))
            span.outcome = "shown"


async def setup(bot: LabwireBot) -> None:
    await bot.add_cog(Help(bot, bot.services.knowledge, bot.services.tracker))
