"""``/risk``: the "Will AI replace your job?" quiz as an ephemeral, per-user flow.

The quiz definition is ``bot.service.kb.quizzes["risk"]`` and the scoring is
``bot.quiz.scoring.score``; this cog only walks a user through the questions
(one select per step, Back, Cancel, a progress line), saves the result through
the ``QuizResults`` repository before showing it, and renders it.  ``/risk
show:last`` and ``/risk show:stats`` read saved results.  A command group
cannot be invoked bare, so ``show`` is an optional choice, not a subcommand.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LabwireBot
from bot.discord.embeds import BRAND, MUTED, notice_embed
from bot.discord.errors import NO_MENTIONS, send_ephemeral
from bot.discord.respond import before_reply, update_message
from bot.discord.text import (
    EMBED_FIELD_VALUE_MAX,
    SELECT_DESCRIPTION_MAX,
    SELECT_LABEL_MAX,
    SELECT_PLACEHOLDER_MAX,
    escape_user_text,
    fit_embed,
    join_within,
    link,
    truncate,
)
from bot.discord.views import OwnerView
from bot.quiz.schema import Quiz
from bot.quiz.scoring import QuizResult, score
from bot.storage.quiz_results import QuizResults, QuizStats, StoredQuizResult

log = logging.getLogger(__name__)

QUIZ_ID = "risk"
BAR_WIDTH = 12


# ---------------------------------------------------------------------- embeds

def question_embed(quiz: Quiz, step: int) -> discord.Embed:
    question = quiz.questions[step]
    total = len(quiz.questions)
    parts = []
    if step == 0 and quiz.intro:
        parts.append(quiz.intro)
    parts.append(f"**{step + 1}/{total}** · {question.prompt}")
    embed = discord.Embed(title=quiz.title, description="\n\n".join(parts), colour=BRAND)
    embed.set_footer(text=f"Question {step + 1} of {total} · only you can see this")
    return fit_embed(embed)


def result_embed(result: QuizResult) -> discord.Embed:
    band = result.band
    embed = discord.Embed(
        title=f"Your AI risk score: {result.score}/100 · {band.name}",
        description=f"{band.headline}\n`{result.sum_text}` · `{result.arithmetic}`",
        colour=BRAND,
    )
    for item in result.breakdown:
        cites = ", ".join(link(c.id, c.url) for c in item.citations)
        embed.add_field(
            name=f"{item.factor}: {item.short} ({item.points}/{item.max_points})",
            value=truncate(f"{item.rationale} [{cites}]" if cites else item.rationale,
                           EMBED_FIELD_VALUE_MAX),
            inline=False,
        )
    advice = [f"{n}. {text}" for n, text in enumerate(band.advice[:3], start=1)]
    embed.add_field(name="Three things to do next",
                    value=join_within(advice, EMBED_FIELD_VALUE_MAX), inline=False)
    sources = [f"{link(c.id, c.url)} {truncate(c.title, 70)} ({c.year})"
               for c in result.citations()]
    embed.add_field(name="Sources", value=join_within(sources, EMBED_FIELD_VALUE_MAX), inline=False)
    embed.set_footer(text=f"Data as of {result.data_as_of} · quiz v{result.quiz_version} · "
                          f"{result.disclaimer}")
    return fit_embed(embed)


def share_embed(result: QuizResult, who: str) -> discord.Embed:
    embed = discord.Embed(
        title=result.quiz_title,
        description=(f"{escape_user_text(who)} scored **{result.score}/100 ({result.band.name})**: "
                     f"{result.band.headline}\nTake it yourself with `/risk`."),
        colour=BRAND,
    )
    embed.set_footer(text=f"Data as of {result.data_as_of} · a relative index, not a prediction")
    return fit_embed(embed)


def last_result_embed(quiz: Quiz | None, stored: StoredQuizResult) -> discord.Embed:
    band = next((b for b in quiz.bands if b.id == stored.band), None) if quiz else None
    name = band.name if band else stored.band
    lines = [f"**{stored.score}/100 · {name}**" + (f": {band.headline}" if band else "")]
    if quiz is not None:
        for question in quiz.questions:
            option = question.option(stored.answers.get(question.id, ""))
            if option is not None:
                lines.append(f"{question.short}: {option.display_short}")
    lines.append(f"Taken {stored.created_at[:10]} (quiz v{stored.quiz_version}). "
                 "Retake it with `/risk`.")
    return fit_embed(discord.Embed(title="Your last risk score", description="\n".join(lines),
                                   colour=BRAND))


def stats_embed(quiz: Quiz | None, stats: QuizStats, scope: str) -> discord.Embed:
    embed = discord.Embed(title=f"Risk quiz results {scope}", colour=MUTED)
    if stats.count == 0:
        embed.description = "Nobody has taken the quiz here yet. Be the first with `/risk`."
        return fit_embed(embed)
    median = f"{stats.median:g}" if stats.median is not None else "n/a"
    embed.description = (f"**{stats.count}** people ({stats.attempts} attempts) · median score "
                         f"**{median}**/100 (each person's latest result)")
    bands = [(b.id, f"{b.name} ({b.min}-{b.max})") for b in quiz.bands] if quiz else \
        [(k, k) for k in stats.by_band]
    lines = []
    for band_id, label in bands:
        count = stats.by_band.get(band_id, 0)
        bar = "█" * round(BAR_WIDTH * count / stats.count)
        lines.append(f"`{bar:<{BAR_WIDTH}}` {count} · {label}")
    embed.add_field(name="By band", value=join_within(lines, EMBED_FIELD_VALUE_MAX), inline=False)
    return fit_embed(embed)


# ---------------------------------------------------------------------- the flow

class RiskFlow(OwnerView):
    """One user's pass through the quiz; the quiz object is fixed for the whole pass."""

    command = "risk"
    refusal = "This quiz belongs to someone else. Start your own with /risk."

    def __init__(self, bot: LabwireBot, owner_id: int, guild_id: int | None, quiz: Quiz,
                 results: QuizResults) -> None:
        super().__init__(bot, owner_id)
        self.quiz = quiz
        self.guild_id = guild_id
        self.results = results
        self.answers: dict[str, str] = {}
        self.step = 0
        self.result: QuizResult | None = None
        self.shared = False
        self.select: discord.ui.Select[RiskFlow] | None = None
        self.render()

    def embed(self) -> discord.Embed:
        if self.result is not None:
            return result_embed(self.result)
        return question_embed(self.quiz, self.step)

    def render(self) -> None:
        """Rebuild the components for the current step (or the result)."""
        self.clear_items()
        if self.result is not None:
            share = discord.ui.Button[RiskFlow](
                label="Shared" if self.shared else "Share", style=discord.ButtonStyle.primary,
                custom_id="risk:share", disabled=self.shared or self.timed_out)
            share.callback = self.on_share  # type: ignore[method-assign]
            self.add_item(share)
            return
        question = self.quiz.questions[self.step]
        chosen = self.answers.get(question.id)
        select = discord.ui.Select[RiskFlow](
            custom_id="risk:answer", row=0,
            placeholder=truncate(question.prompt, SELECT_PLACEHOLDER_MAX),
            options=[
                discord.SelectOption(
                    label=truncate(option.label, SELECT_LABEL_MAX), value=option.id,
                    description=truncate(option.why, SELECT_DESCRIPTION_MAX),
                    default=option.id == chosen,
                )
                for option in question.options
            ],
        )
        select.callback = self.on_answer  # type: ignore[method-assign]
        self.select = select
        back = discord.ui.Button[RiskFlow](label="Back", style=discord.ButtonStyle.secondary,
                                           custom_id="risk:back", row=1, disabled=self.step == 0)
        back.callback = self.on_back  # type: ignore[method-assign]
        cancel = discord.ui.Button[RiskFlow](label="Cancel", style=discord.ButtonStyle.danger,
                                             custom_id="risk:cancel", row=1)
        cancel.callback = self.on_cancel  # type: ignore[method-assign]
        for item in (select, back, cancel):
            self.add_item(item)

    def timeout_text(self) -> str | None:
        if self.result is None:
            return "This quiz timed out after 10 idle minutes. Start again with /risk."
        return None

    async def on_timeout(self) -> None:
        self.timed_out = True
        if self.result is None:
            self.disable_all()
            await self.refresh(content=self.timeout_text())
        else:
            self.render()  # the result stays; only Share goes grey
            await self.refresh()

    async def on_answer(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "risk:answer") as span:
            values = self.select.values if self.select is not None else []
            question = self.quiz.questions[self.step]
            if not values or question.option(values[0]) is None:
                await send_ephemeral(interaction, "Pick one of the options.")
                span.outcome = "invalid"
                return
            self.answers[question.id] = values[0]
            if self.step + 1 < len(self.quiz.questions):
                self.step += 1
                span.outcome = f"step:{self.step + 1}"
            else:
                result = score(self.quiz, self.answers)
                # Saved (committed) before the user sees the result.
                await before_reply(
                    interaction, self.results.save(result, user_id=self.owner_id,
                                                   guild_id=self.guild_id, quiz_id=QUIZ_ID),
                    self.bot.config.ack_budget, updates_message=True)
                self.result = result
                span.outcome = f"result:{result.band.id}"
            self.render()
            await update_message(interaction, content=None, embed=self.embed(), view=self)

    async def on_back(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "risk:back") as span:
            self.step = max(self.step - 1, 0)
            self.render()
            await interaction.response.edit_message(embed=self.embed(), view=self)
            span.outcome = f"step:{self.step + 1}"

    async def on_cancel(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "risk:cancel") as span:
            self.stop()
            self.clear_items()
            await interaction.response.edit_message(
                content=None, embed=notice_embed("Quiz cancelled. Nothing was saved."), view=None)
            span.outcome = "cancelled"

    async def on_share(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "risk:share") as span:
            if self.result is None or self.shared:
                await send_ephemeral(interaction, "Already shared.")
                span.outcome = "already"
                return
            self.shared = True
            await interaction.response.send_message(
                embed=share_embed(self.result, interaction.user.display_name),
                allowed_mentions=NO_MENTIONS)
            self.render()
            await self.refresh()
            span.outcome = "shared"


# ---------------------------------------------------------------------- the command

class Risk(commands.Cog):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot
        self.results = QuizResults(bot.db)

    def quiz(self) -> Quiz | None:
        quiz = self.bot.service.kb.quizzes.get(QUIZ_ID)
        return quiz if isinstance(quiz, Quiz) else None

    @app_commands.command(name="risk", description="Will AI replace your job? 4 questions, a "
                                                   "cited score, private to you")
    @app_commands.describe(show="Leave empty to take the quiz; or see your last result or "
                                "this server's statistics")
    async def risk(self, interaction: discord.Interaction[Any],
                   show: Literal["last", "stats"] | None = None) -> None:
        async with self.bot.tracker.span(interaction.id, "risk") as span:
            quiz = self.quiz()
            if show == "last":
                span.outcome = await self.show_last(interaction, quiz)
            elif show == "stats":
                span.outcome = await self.show_stats(interaction, quiz)
            elif quiz is None:
                await send_ephemeral(interaction, "The quiz is not available right now.")
                span.outcome = "no_quiz"
            else:
                flow = RiskFlow(self.bot, interaction.user.id, interaction.guild_id, quiz,
                                self.results)
                await interaction.response.send_message(
                    embed=flow.embed(), view=flow, ephemeral=True, allowed_mentions=NO_MENTIONS)
                flow.bind(interaction)
                span.outcome = "started"

    async def show_last(self, interaction: discord.Interaction[Any], quiz: Quiz | None) -> str:
        stored = await self.results.last_for_user(interaction.user.id, quiz_id=QUIZ_ID)
        if stored is None:
            await send_ephemeral(interaction, "You haven't taken the quiz yet. Start with /risk.")
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
    await bot.add_cog(Risk(bot))
