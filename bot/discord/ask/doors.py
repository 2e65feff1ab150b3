"""Where a question came in, and where its replies go.

A slash command's replies are interaction responses (private unless it is the
public answer); a mention's or an ask-channel message's replies are public
replies to that message.  :class:`~bot.discord.ask.delivery.AnswerDelivery`
talks to both the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.discord.ask.followups import Asked
from bot.discord.replies import NO_MENTIONS, reply
from bot.discord.views import OwnerView
from bot.storage.question_log import QuestionSource


@dataclass(frozen=True)
class Where:
    user_id: int
    guild_id: int | None
    channel_id: int | None


class Door(Protocol):
    source: QuestionSource
    where: Where
    asked: Asked  # what a follow-up needs: the channel, the user, a reply or a thread

    async def post(self, embed: discord.Embed, view: discord.ui.View) -> int | None:
        """Post the public answer; return its message id when known."""

    async def tell(self, embed: discord.Embed, view: OwnerView | None = None) -> None:
        """A reply for the asker (private where the door allows it)."""


class SlashDoor:
    """``/ask``, or a pick from "Did you mean…": the interaction carries every reply."""

    source: QuestionSource = "slash"

    def __init__(self, interaction: discord.Interaction[Any]) -> None:
        self.interaction = interaction
        self.where = Where(interaction.user.id, interaction.guild_id, interaction.channel_id)
        thread = interaction.channel if isinstance(interaction.channel, discord.Thread) else None
        self.asked = Asked(interaction.channel_id, interaction.user.id,
                           thread_id=thread.id if thread else None)

    async def post(self, embed: discord.Embed, view: discord.ui.View) -> int | None:
        response = await self.interaction.response.send_message(
            embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        return response.message_id

    async def tell(self, embed: discord.Embed, view: OwnerView | None = None) -> None:
        await reply(self.interaction, embed=embed, view=view)
        if view is not None:
            view.bind(self.interaction)


class MessageDoor:
    """A mention of the bot, or a plain question in an ask channel: replies are public."""

    def __init__(self, message: discord.Message, source: QuestionSource) -> None:
        self.message = message
        self.source = source
        self.where = Where(message.author.id, message.guild.id if message.guild else None,
                           message.channel.id)
        reference = message.reference
        self.asked = Asked(
            message.channel.id, message.author.id,
            reply_to=reference.message_id if reference is not None else None,
            thread_id=message.channel.id if isinstance(message.channel, discord.Thread) else None)

    async def post(self, embed: discord.Embed, view: discord.ui.View) -> int | None:
        return (await self._reply(embed, view)).id

    async def tell(self, embed: discord.Embed, view: OwnerView | None = None) -> None:
        message = await self._reply(embed, view)
        if view is not None:
            view.bind(message=message)

    async def _reply(self, embed: discord.Embed, view: discord.ui.View | None) -> discord.Message:
        if view is None:
            return await self.message.reply(embed=embed, mention_author=False,
                                            allowed_mentions=NO_MENTIONS)
        return await self.message.reply(embed=embed, view=view, mention_author=False,
                                        allowed_mentions=NO_MENTIONS)
