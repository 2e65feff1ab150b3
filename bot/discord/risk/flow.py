"""One user's pass through the quiz: a select per question, Back, Cancel, then the result."""

from __future__ import annotations

from typing import Any

import discord

from bot.discord.embeds import notice_embed
from bot.discord.limits import SELECT_DESCRIPTION_MAX, SELECT_LABEL_MAX, SELECT_PLACEHOLDER_MAX
from bot.discord.replies import NO_MENTIONS, notice, update, within_budget
from bot.discord.risk.embeds import question_embed, result_embed, share_embed
from bot.discord.text import truncate
from bot.discord.tracking import InteractionTracker
from bot.discord.views import OwnerView
from bot.quiz.schema import Quiz
from bot.quiz.scoring import QuizResult, score
from bot.storage.quiz_results import QuizResults

QUIZ_ID = "risk"


class RiskFlow(OwnerView):
    """One user's pass through the quiz; the quiz object is fixed for the whole pass."""

    command = "risk"
    refusal = "This quiz belongs to someone else. Start your own with /risk."

    def __init__(self, tracker: InteractionTracker, owner_id: int, guild_id: int | None,
                 quiz: Quiz, results: QuizResults, *, timeout: float, ack_budget: float) -> None:
        super().__init__(tracker, owner_id, timeout=timeout)
        self.ack_budget = ack_budget
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
        async with self.tracker.span(interaction.id, "risk:answer") as span:
            values = self.select.values if self.select is not None else []
            question = self.quiz.questions[self.step]
            if not values or question.option(values[0]) is None:
                await notice(interaction, "Pick one of the options.")
                span.outcome = "invalid"
                return
            self.answers[question.id] = values[0]
            if self.step + 1 < len(self.quiz.questions):
                self.step += 1
                span.outcome = f"step:{self.step + 1}"
            else:
                result = score(self.quiz, self.answers)
                # Saved (committed) before the user sees the result.
                await within_budget(
                    interaction, self.results.save(result, user_id=self.owner_id,
                                                   guild_id=self.guild_id, quiz_id=QUIZ_ID),
                    self.ack_budget, updates_message=True)
                self.result = result
                span.outcome = f"result:{result.band.id}"
            self.render()
            await update(interaction, content=None, embed=self.embed(), view=self)

    async def on_back(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "risk:back") as span:
            self.step = max(self.step - 1, 0)
            self.render()
            await interaction.response.edit_message(embed=self.embed(), view=self)
            span.outcome = f"step:{self.step + 1}"

    async def on_cancel(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "risk:cancel") as span:
            self.stop()
            self.clear_items()
            await interaction.response.edit_message(
                content=None, embed=notice_embed("Quiz cancelled. Nothing was saved."), view=None)
            span.outcome = "cancelled"

    async def on_share(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "risk:share") as span:
            if self.result is None or self.shared:
                await notice(interaction, "Already shared.")
                span.outcome = "already"
                return
            self.shared = True
            await interaction.response.send_message(
                embed=share_embed(self.result, interaction.user.display_name),
                allowed_mentions=NO_MENTIONS)
            self.render()
            await self.refresh()
            span.outcome = "shared"
