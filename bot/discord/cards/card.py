"""The answer card: the public embed for one entry and the buttons under it.

The card's body is :func:`bot.search.render.answer_text`, the very text ``labwire ask
--json`` reports as ``"text"``: what answers the question, its labelled dates and
age, three sources.  Its buttons (More, Key takeaways, Related, 👍, 👎) are
:class:`discord.ui.DynamicItem` s whose custom id carries the action and a compact
reference to the entry (``lw:more:a:<id>``), so they keep working after a restart
and the bot holds no per-message state for them.  "More" shows the whole entry
(:func:`bot.search.render.full_text`).  A reference on an old message is resolved
through the knowledge base's previous ids (``bot.discord.refs``).

discord.py creates a dynamic item from its class when a click arrives, so
:class:`AnswerCards` binds a subclass of :class:`AnswerButton` to this bot's
services; the bot registers that class once.
"""

from __future__ import annotations

import logging
import re
from typing import Any, ClassVar, Literal

import discord

from bot.discord import refs
from bot.discord.embeds import BRAND, KIND_LABELS, kind_label
from bot.discord.limits import DESCRIPTION_BUDGET, EMBED_FOOTER_MAX, QUOTED_QUESTION_MAX
from bot.discord.refs import REF_PATTERN, CardRef
from bot.discord.replies import NO_MENTIONS, answer_failure, notice, within_budget
from bot.discord.text import fit_embed, join_within, link, quote_question, truncate
from bot.discord.tracking import InteractionTracker
from bot.runtime import KnowledgeService
from bot.search.render import answer_text, full_text, latest_text
from bot.search.types import Answer, EntryRef, Latest
from bot.storage.question_log import QuestionLog, Vote

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------- embeds


def answer_embed(answer: Answer, *, question: str | None = None,
                 about: EntryRef | None = None) -> discord.Embed:
    """The public answer card: linked title, then the answer text (``about`` is the earlier
    answer a follow-up was read against, shown so a wrong guess is easy to see)."""
    embed = discord.Embed(title=answer.title, url=answer.url,
                          description=answer_text(answer, about), colour=BRAND)
    footer = kind_label(answer.kind)
    if question:
        footer = f"Asked: {quote_question(question, QUOTED_QUESTION_MAX)} · {footer}"
    embed.set_footer(text=truncate(footer, EMBED_FOOTER_MAX))
    return fit_embed(embed)


def more_embed(answer: Answer) -> discord.Embed:
    """Everything about the entry: the "More" button."""
    embed = discord.Embed(title=answer.title, url=answer.url, colour=BRAND)
    embed.description = join_within(full_text(answer).split("\n\n"), DESCRIPTION_BUDGET, "\n\n")
    embed.set_footer(text=kind_label(answer.kind))
    return fit_embed(embed)


def latest_embed(latest: Latest) -> discord.Embed:
    """The newest dated stories, numbered, with the span the knowledge covers: ``/latest``
    and "latest news"."""
    return fit_embed(discord.Embed(description=latest_text(latest), colour=BRAND))


def takeaways_embed(answer: Answer) -> discord.Embed:
    embed = discord.Embed(title=f"Key takeaways: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {t}" for t in answer.takeaways] or ["No takeaways recorded for this entry."]
    embed.description = join_within(lines, DESCRIPTION_BUDGET)
    return fit_embed(embed)


def related_embed(answer: Answer) -> discord.Embed:
    """Related stories, most related first, then the people involved."""
    embed = discord.Embed(title=f"Related to: {answer.title}", url=answer.url, colour=BRAND)
    lines = [f"• {link(r.title, r.url)}" for r in answer.related]
    lines += [f"• {link(r.title, r.url)} ({KIND_LABELS['person'].lower()})" for r in answer.people]
    embed.description = join_within(lines, DESCRIPTION_BUDGET) or "Nothing related recorded yet."
    return fit_embed(embed)


# ---------------------------------------------------------------------- buttons

Action = Literal["more", "tk", "rel", "up", "down"]
TEMPLATE = rf"lw:(?P<action>more|tk|rel|up|down):(?P<ref>{REF_PATTERN})"
_LOOKS: dict[str, tuple[str | None, str | None, discord.ButtonStyle]] = {
    "more": ("More", None, discord.ButtonStyle.primary),
    "tk": ("Key takeaways", None, discord.ButtonStyle.secondary),
    "rel": ("Related", None, discord.ButtonStyle.secondary),
    "up": (None, "👍", discord.ButtonStyle.secondary),
    "down": (None, "👎", discord.ButtonStyle.secondary),
}
VOTE_REPLIES = {
    "new": "Thanks, your {emoji} is recorded. You can change it any time.",
    "changed": "Changed your vote to {emoji}.",
    "unchanged": "You already voted {emoji} on this answer.",
}
GONE = "That entry is no longer in the knowledge base."


class AnswerCards:
    """The card buttons' behaviour, for one bot: show the whole entry, its takeaways or
    related entries, vote."""

    def __init__(self, knowledge: KnowledgeService, questions: QuestionLog,
                 tracker: InteractionTracker, *, ack_budget: float) -> None:
        self.knowledge = knowledge
        self.questions = questions
        self.tracker = tracker
        self.ack_budget = ack_budget
        self.button_type = _bound_to(self)

    def view(self, answer: Answer) -> discord.ui.View:
        """The buttons under a card (only the ones that have something to show)."""
        ref = refs.encode(CardRef.of(answer.kind, answer.id))
        view = discord.ui.View(timeout=None)
        actions: list[Action] = ["more"]
        if answer.takeaways:
            actions.append("tk")
        if answer.related or answer.people:
            actions.append("rel")
        for action in (*actions, "up", "down"):
            view.add_item(self.button_type(action, ref))
        return view

    async def press(self, interaction: discord.Interaction[Any], action: str, ref: str) -> None:
        command = f"button:{action}"
        # discord.py only logs errors raised in dynamic items: answer them here.
        try:
            async with self.tracker.span(interaction.id, command) as span:
                self.tracker.ensure_accepting()
                span.outcome = await self._handle(interaction, action, ref)
        except Exception as exc:
            await answer_failure(self.tracker, interaction, exc, where=command)

    async def _handle(self, interaction: discord.Interaction[Any], action: str, ref: str) -> str:
        engine = self.knowledge.engine
        card = refs.decode(engine.kb, ref)
        if action in ("up", "down"):
            return await self._vote(interaction, action, card, ref)
        answer = engine.answer_for(card.answer_kind, card.answer_id) if card else None
        if answer is None:
            await notice(interaction, GONE)
            return "gone"
        shows = {"more": more_embed, "tk": takeaways_embed, "rel": related_embed}
        embed = shows.get(action, related_embed)(answer)
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
        return "shown"

    async def _vote(self, interaction: discord.Interaction[Any], action: str,
                    card: CardRef | None, ref: str) -> str:
        if interaction.message is None:
            return "no_message"
        kind, entry_id = (card.answer_kind, card.answer_id) if card else ("unknown", ref)
        value: Literal[-1, 1] = 1 if action == "up" else -1
        outcome = await within_budget(interaction, self.questions.vote(Vote(
            message_id=interaction.message.id, user_id=interaction.user.id,
            guild_id=interaction.guild_id, entry_kind=kind, entry_id=entry_id, vote=value,
        )), self.ack_budget)
        emoji = "👍" if value == 1 else "👎"
        await notice(interaction, VOTE_REPLIES[outcome].format(emoji=emoji))
        return f"vote:{outcome}"


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One button under a card; the custom id carries the action and the entry."""

    cards: ClassVar[AnswerCards]

    def __init__(self, action: str, ref: str) -> None:
        label, emoji, style = _LOOKS[action]
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=style, custom_id=f"lw:{action}:{ref}")
        )
        self.action = action
        self.ref = ref

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> AnswerButton:
        return cls(match["action"], match["ref"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.cards.press(interaction, self.action, self.ref)


def _bound_to(owner: AnswerCards) -> type[AnswerButton]:
    class BoundAnswerButton(AnswerButton, template=TEMPLATE):
        cards = owner

    return BoundAnswerButton
