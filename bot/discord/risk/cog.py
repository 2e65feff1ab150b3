"""``/risk``: start the quiz, or show your last result or this server's statistics.

A command group cannot be invoked bare, so ``show`` is an optional choice, not
a subcommand.
"""

from __future__ import annotations

from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.bot import LabwireBot
from bot.discord.replies import NO_MENTIONS, notice
from bot.discord.risk.embeds import last_result_embed, stats_embed
from bot.discord.risk.flow import QUIZ_ID, RiskSessions
from bot.discord.tracking import InteractionTracker
from bot.quiz.schema import Quiz
from bot.storage.quiz_results import QuizResults
from bot.storage.quiz_sessions import QuizSessions


class Risk(commands.Cog):
    def __init__(self, sessions: RiskSessions, results: QuizResults,
                 tracker: InteractionTracker) -> None:
        self.sessions = sessions
        self.results = results
        self.tracker = tracker

    async def cog_unload(self) -> None:
        await self.sessions.close()

    @app_commands.command(name="risk", description="Will AI replace your job? 4 questions, a "
                                                   "cited score, private to you")
    @app_commands.describe(show="Leave empty to take the quiz; or see your last result or "
                                "this server's statistics")
    async def risk(self, interaction: discord.Interaction[Any],
                   show: Literal["last", "stats"] | None = None) -> None:
        async with self.tracker.span(interaction.id, "risk") as span:
            quiz = self.sessions.quiz()
            if show == "last":
                span.outcome = await self.show_last(interaction, quiz)
            elif show == "stats":
                span.outcome = await self.show_stats(interaction, quiz)
            elif quiz is None:
                await notice(interaction, "The quiz is not available right now.")
                span.outcome = "no_quiz"
            else:
                await self.sessions.start(interaction, quiz)
                span.outcome = "started"

    async def show_last(self, interaction: discord.Interaction[Any], quiz: Quiz | None) -> str:
        stored = await self.results.last_for_user(interaction.user.id, quiz_id=QUIZ_ID)
        if stored is None:
            await notice(interaction, "You haven't taken the quiz yet. Start with /risk.")
            return "none"
        await interaction.response.send_message(embed=last_result_embed(quiz, stored),
                                                ephemeral=True, allowed_mentions=NO_MENTIONS)
        return "last"

    async def show_stats(self, interaction: discord.Interaction[Any], quiz: Quiz | None) -> str:
        stats = await self.results.stats(guild_id=interaction.guild_id, quiz_id=QUIZ_ID)
        scope = "on this server" if interaction.guild_id else "everywhere"
        await interaction.response.send_message(embed=stats_embed(quiz, stats, scope),
                                                ephemeral=True, allowed_mentions=NO_MENTIONS)
        return "stats"


async def setup(bot: LabwireBot) -> None:
    services = bot.services
    sessions = RiskSessions(
        services.knowledge, services.quiz_results, QuizSessions(services.db),
        services.tracker, services.clock, timeout=services.settings.view_timeout,
        ack_budget=services.settings.ack_budget)
    # Registered before any click can arrive: buttons sent before a restart keep working.
    bot.add_dynamic_items(sessions.component_type)
    await bot.add_cog(Risk(sessions, services.quiz_results, services.tracker))
