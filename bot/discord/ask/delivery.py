"""The one answer path shared by ``/ask``, mentions and ask channels.

1. The per-user cooldown (said privately on ``/ask``, once per window on a mention,
   never in an ask channel).
2. The engine, off the event loop: it may run a model, and a reload builds the
   next one in a worker thread too.  Mentions are stripped here, once; the
   question is cut to ``QUESTION_MAX``.
   A follow-up (a reply to an answer, a question in a thread started from one,
   or the same user again within two minutes) is asked with that answer's entry
   as context (:mod:`bot.discord.ask.followups`); the card then says "about: …".
3. A confident answer is posted publicly as a card, unless the same answer was
   posted in that channel in the last 60 s: then the asker gets a link to it.
   "latest news" posts the newest stories; "will AI replace my job" points to /risk.
4. Otherwise "Did you mean…" (with a picker where the door allows it) or a
   friendly "I don't know that yet"; chatter in an ask channel is ignored.
5. Every question is logged, with the message it was answered in.

Where a question came in decides where its replies go: a slash command's replies
are interaction responses (private unless it is the public answer); a mention's or
an ask-channel message's are public replies to that message.  The two "doors"
below let the one path talk to both the same way.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import Any, Protocol

import discord

from bot.discord.ask.followups import Asked, Conversations
from bot.discord.ask.pacing import AnswerClaims, CooldownGate, jump_url
from bot.discord.ask.suggestions import SuggestionView, suggestion_refs, suggestions_embed
from bot.discord.cards.card import AnswerCards, answer_embed, latest_embed
from bot.discord.embeds import notice_embed
from bot.discord.limits import QUESTION_MAX
from bot.discord.replies import NO_MENTIONS, reply
from bot.discord.text import strip_mentions
from bot.discord.tracking import InteractionTracker
from bot.discord.views import OwnerView
from bot.knowledge import EntryKey
from bot.runtime import KnowledgeService
from bot.search.render import RISK_TEXT
from bot.search.types import Answer, EntryRef, Result, shown_entry_key
from bot.storage.question_log import QuestionLog, QuestionRecord, QuestionSource

log = logging.getLogger(__name__)


def cooldown_text(wait: float) -> str:
    return f"You're asking quickly. Try again in {math.ceil(wait)} s."


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


class AnswerDelivery:
    def __init__(self, knowledge: KnowledgeService, questions: QuestionLog, cards: AnswerCards,
                 cooldown: CooldownGate, recent: AnswerClaims, tracker: InteractionTracker,
                 *, view_timeout: float, conversations: Conversations | None = None) -> None:
        self.knowledge = knowledge
        self.conversations = conversations or Conversations()
        self.questions = questions
        self.cards = cards
        self.cooldown = cooldown
        self.recent = recent
        self.tracker = tracker
        self.view_timeout = view_timeout

    async def answer(self, door: Door, question: str) -> str:
        """Answer ``question`` through ``door``; return the outcome to log."""
        user_id = door.where.user_id
        wait = await self.cooldown.hit(user_id)
        if wait:
            # Replies to messages are public: say it once per window there, never in chatter.
            if door.source == "slash" or (
                    door.source == "mention" and await self.cooldown.should_notify(user_id)):
                await door.tell(notice_embed(cooldown_text(wait)))
            return "cooldown"
        engine = self.knowledge.engine  # one engine for the whole question, even across a reload
        context = await self.context_for(door)
        result = await asyncio.to_thread(engine.ask, strip_mentions(question)[:QUESTION_MAX],
                                         context)
        if result.route is not None:
            return await self._route(door, question, result)
        if result.status == "answered" and result.answer is not None:
            outcome, message_id = await self.publish(door, result.answer, question,
                                                     about=result.context_used)
            await self._log(door, question, result, answered=True, message_id=message_id)
            return outcome
        if door.source == "channel" and result.status == "no_answer":
            await self._log(door, question, result, answered=False)
            return "ignored"  # chatter in an ask channel is not a question for us
        best = result.answer if result.status == "not_sure" else None
        found = suggestion_refs(best, result.suggestions)
        picker = None
        if door.source == "slash" and found:
            picker = SuggestionView(
                self.tracker, user_id, question, found, timeout=self.view_timeout,
                knowledge=self.knowledge, questions=self.questions, publish=self.publish_picked)
        await door.tell(suggestions_embed(question, found, sure=result.status == "no_answer",
                                          pickable=picker is not None), picker)
        log_id = await self._log(door, question, result, answered=False)
        if picker is not None:
            picker.log_id = log_id
        return result.status

    async def context_for(self, door: Door) -> EntryKey | None:
        """The entry of the answer this question follows up, if it follows one."""
        asked = door.asked
        found = None
        earlier = asked.reply_to or asked.thread_id
        if earlier is not None:
            found = self.conversations.about_message(earlier)
            if found is None:  # not in memory (e.g. after a restart): the question log knows
                logged = await self.questions.answered_entry(earlier)
                found = shown_entry_key(*logged) if logged else None
        if found is None:
            found = self.conversations.latest(asked)
        key = self.knowledge.kb.resolve(found) if found is not None else None
        if key is not None:
            log.debug("follow-up context", extra={"entry": str(key), "source": door.source})
        return key

    async def _route(self, door: Door, question: str, result: Result) -> str:
        """A question a feature answers better than an entry: the newest stories, or /risk."""
        if result.route == "latest" and result.latest is not None:
            message_id = await door.post(latest_embed(result.latest), discord.ui.View())
            await self._log(door, question, result, answered=True, message_id=message_id)
            return "latest"
        await door.tell(notice_embed(RISK_TEXT))
        await self._log(door, question, result, answered=True)
        return f"route:{result.route}"

    async def publish(self, door: Door, answer: Answer, question: str, *,
                      about: EntryRef | None = None) -> tuple[str, int | None]:
        """Post ``answer`` publicly, unless it was just posted in that channel.

        Returns ``("answered", message id)`` or ``("duplicate", earlier message id)``.
        ``about`` is the earlier answer a follow-up was read against.
        """
        channel_id = door.where.channel_id or 0
        key = f"{answer.kind}:{answer.id}"  # one card per answer kind and id
        earlier = await self.recent.claim(channel_id, key)
        entry = shown_entry_key(answer.kind, answer.id)
        if earlier is not None:
            if entry is not None:  # a follow-up to the answer just above is still about it
                self.conversations.answered(door.asked, earlier.message_id, entry)
            where = earlier.jump_url or "just above"
            await door.tell(notice_embed(f"I answered that here a moment ago: {where}"))
            return "duplicate", earlier.message_id
        try:
            message_id = await door.post(answer_embed(answer, question=question, about=about),
                                         self.cards.view(answer))
        except BaseException:
            await asyncio.shield(self.recent.release(channel_id, key))
            raise
        await self.recent.settle(channel_id, key, message_id,
                                 jump_url(door.where.guild_id, channel_id, message_id)
                                 if message_id else None)
        if entry is not None:
            self.conversations.answered(door.asked, message_id, entry)
        return "answered", message_id

    async def publish_picked(self, interaction: discord.Interaction[Any], answer: Answer,
                             question: str) -> tuple[str, int | None]:
        """A pick from "Did you mean…": answered publicly as ``/ask`` would have."""
        return await self.publish(SlashDoor(interaction), answer, question)

    async def _log(self, door: Door, question: str, result: Result, *, answered: bool,
                   message_id: int | None = None) -> int:
        answer = result.answer
        where = door.where
        return await self.questions.record(QuestionRecord(
            question=question, source=door.source, user_id=where.user_id,
            guild_id=where.guild_id, channel_id=where.channel_id, status=result.status,
            entry_kind=answer.kind if answer else None, entry_id=answer.id if answer else None,
            confidence=result.confidence, answered=answered, message_id=message_id,
        ))
