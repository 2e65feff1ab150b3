"""``/ask`` and the message listener: each question goes to :class:`AnswerDelivery`."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.ask.delivery import AnswerDelivery, MessageDoor, SlashDoor
from bot.discord.bot import LabwireBot
from bot.discord.embeds import notice_embed
from bot.discord.errors import log_background_error
from bot.discord.limits import QUESTION_MAX
from bot.discord.text import strip_mentions
from bot.discord.tracking import InteractionTracker
from bot.storage.question_log import QuestionSource

log = logging.getLogger(__name__)

EMPTY_MENTION = "Ask me about AI-lab news, e.g. “why did Kalinowski quit?”, or try /help."


class Ask(commands.Cog):
    def __init__(self, bot: discord.Client, delivery: AnswerDelivery, tracker: InteractionTracker,
                 ask_channel_ids: frozenset[int]) -> None:
        self.bot = bot
        self.delivery = delivery
        self.tracker = tracker
        self.ask_channel_ids = ask_channel_ids

    @app_commands.command(
        name="ask", description="Ask about AI-lab news: who left, deals, safety, policy"
    )
    @app_commands.describe(question="For example: why did Kalinowski quit?")
    async def ask(
        self,
        interaction: discord.Interaction[Any],
        question: app_commands.Range[str, 1, QUESTION_MAX],
    ) -> None:
        async with self.tracker.span(interaction.id, "ask") as span:
            span.outcome = await self.delivery.answer(SlashDoor(interaction), question)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        source = self._source(message)
        if source is None:
            return
        door = MessageDoor(message, source)
        question = strip_mentions(message.content)
        self.tracker.begin(message.id)
        try:
            if question:
                outcome = await self.delivery.answer(door, question)
            else:
                await door.tell(notice_embed(EMPTY_MENTION))
                outcome = "empty"
        except Exception as exc:
            error_id = log_background_error(exc, source)
            self.tracker.finish(message.id, source, "error", error_id=error_id)
            return
        self.tracker.finish(message.id, source, outcome)

    def _source(self, message: discord.Message) -> QuestionSource | None:
        """'mention', 'channel' (a plain question in an ask channel), or None: not for us."""
        if message.author.bot or message.guild is None or not self.tracker.accepting:
            return None
        me = self.bot.user
        if me is not None and me.id in message.raw_mentions:
            return "mention"
        if message.channel.id in self.ask_channel_ids and not message.mention_everyone:
            return "channel"
        return None


async def setup(bot: LabwireBot) -> None:
    services = bot.services
    await bot.add_cog(Ask(bot, services.delivery, services.tracker,
                          services.settings.ask_channel_ids))
