"""``/ask``, @mentions and plain questions in ask channels: one answer path, three doors.

The answer itself comes from ``bot.service.engine.ask``; this cog only decides
how to show it (public embed, "Did you mean…", a friendly no-answer), applies
the cooldown and the 60-second duplicate rule, and logs the question.
"""

from __future__ import annotations

import logging
import math
from typing import Any, NamedTuple

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.answers import (
    AnswerButton,
    SuggestionView,
    answer_view,
    publish_answer,
    suggestion_refs,
)
from bot.discord.client import LabwireBot
from bot.discord.embeds import answer_embed, notice_embed, suggestions_embed
from bot.discord.errors import NO_MENTIONS, log_background_error, send_ephemeral
from bot.discord.safety import jump_url
from bot.discord.text import strip_mentions
from bot.search.types import Result
from bot.storage.question_log import QuestionRecord, QuestionSource

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 300


def cooldown_text(wait: float) -> str:
    return f"You're asking quickly. Try again in {math.ceil(wait)} s."


class Where(NamedTuple):
    user_id: int
    guild_id: int | None
    channel_id: int | None


def record_for(
    result: Result, question: str, source: QuestionSource, where: Where, *, answered: bool,
    message_id: int | None = None,
) -> QuestionRecord:
    answer = result.answer
    return QuestionRecord(
        question=question, source=source, user_id=where.user_id, guild_id=where.guild_id,
        channel_id=where.channel_id, status=result.status,
        entry_kind=answer.kind if answer else None, entry_id=answer.id if answer else None,
        confidence=result.confidence, answered=answered, message_id=message_id,
    )


class Ask(commands.Cog):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="ask", description="Ask about AI-lab news: who left, deals, safety, policy"
    )
    @app_commands.describe(question="For example: why did Kalinowski quit?")
    async def ask(
        self,
        interaction: discord.Interaction[Any],
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
    ) -> None:
        async with self.bot.tracker.span(interaction.id, "ask") as span:
            span.outcome = await self.answer_interaction(interaction, question)

    async def answer_interaction(self, interaction: discord.Interaction[Any], question: str) -> str:
        wait = self.bot.ask_cooldown.hit(interaction.user.id)
        if wait:
            await send_ephemeral(interaction, cooldown_text(wait))
            return "cooldown"
        result = self.bot.service.engine.ask(question)
        where = Where(interaction.user.id, interaction.guild_id, interaction.channel_id)
        if result.status == "answered" and result.answer is not None:
            outcome, message_id = await publish_answer(
                self.bot, interaction, result.answer, question
            )
            await self.bot.questions.record(record_for(
                result, question, "slash", where, answered=True, message_id=message_id))
            return outcome
        refs = suggestion_refs(
            result.answer if result.status == "not_sure" else None, result.suggestions
        )
        view = SuggestionView(self.bot, interaction.user.id, question, refs) if refs else None
        embed = suggestions_embed(question, refs, sure=result.status == "no_answer")
        if view is not None:
            await interaction.response.send_message(
                embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)
            view.bind(interaction)
        else:
            await interaction.response.send_message(
                embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
        log_id = await self.bot.questions.record(
            record_for(result, question, "slash", where, answered=False))
        if view is not None:
            view.log_id = log_id
        return result.status

    # ------------------------------------------------------------------ messages

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or not self.bot.accepting:
            return
        me = self.bot.user
        mentioned = me is not None and me.id in message.raw_mentions
        in_ask_channel = message.channel.id in self.bot.config.ask_channel_ids
        if not mentioned and (not in_ask_channel or message.mention_everyone):
            return
        source: QuestionSource = "mention" if mentioned else "channel"
        question = strip_mentions(message.content)
        self.bot.tracker.begin(message.id)
        try:
            if not question:
                await self._reply(message, notice_embed(
                    "Ask me about AI-lab news, e.g. “why did Kalinowski quit?”, or try /help."))
                outcome = "empty"
            else:
                outcome = await self.answer_message(message, question, source)
        except Exception as exc:
            error_id = log_background_error(exc, source)
            self.bot.tracker.finish(message.id, source, "error", error_id=error_id)
            return
        self.bot.tracker.finish(message.id, source, outcome)

    async def answer_message(
        self, message: discord.Message, question: str, source: QuestionSource
    ) -> str:
        wait = self.bot.ask_cooldown.hit(message.author.id)
        if wait:
            # Replies are public here, so say it once per window, not on every message.
            if source == "mention" and self.bot.ask_cooldown.should_notify(message.author.id):
                await self._reply(message, notice_embed(cooldown_text(wait)))
            return "cooldown"
        result = self.bot.service.engine.ask(question[:MAX_QUESTION_CHARS])
        where = Where(message.author.id, message.guild.id if message.guild else None,
                      message.channel.id)
        answer = result.answer
        if result.status == "answered" and answer is not None:
            key = f"{answer.kind}:{answer.id}"
            earlier = self.bot.recent_answers.claim(message.channel.id, key)
            if earlier is not None:
                await self._reply(message, notice_embed(
                    f"I answered that here a moment ago: {earlier.jump_url or 'just above'}"))
                await self.bot.questions.record(record_for(
                    result, question, source, where, answered=True,
                    message_id=earlier.message_id))
                return "duplicate"
            try:
                reply = await self._reply(message, answer_embed(answer, question=question),
                                          view=answer_view(answer))
            except BaseException:
                self.bot.recent_answers.release(message.channel.id, key)
                raise
            self.bot.recent_answers.settle(
                message.channel.id, key, reply.id,
                jump_url(where.guild_id, message.channel.id, reply.id))
            await self.bot.questions.record(record_for(
                result, question, source, where, answered=True, message_id=reply.id))
            return "answered"
        await self.bot.questions.record(
            record_for(result, question, source, where, answered=False))
        if source == "channel" and result.status == "no_answer":
            return "ignored"  # chatter in an ask channel is not a question for us
        refs = suggestion_refs(
            answer if result.status == "not_sure" else None, result.suggestions
        )
        await self._reply(message, suggestions_embed(
            question, refs, sure=result.status == "no_answer", pickable=False))
        return result.status

    async def _reply(self, message: discord.Message, embed: discord.Embed,
                     view: discord.ui.View | None = None) -> discord.Message:
        if view is None:
            return await message.reply(embed=embed, mention_author=False,
                                       allowed_mentions=NO_MENTIONS)
        return await message.reply(embed=embed, view=view, mention_author=False,
                                   allowed_mentions=NO_MENTIONS)


async def setup(bot: LabwireBot) -> None:
    bot.add_dynamic_items(AnswerButton)
    await bot.add_cog(Ask(bot))
