"""Showing answers: the public answer message, its buttons, and "Did you mean…".

The buttons under an answer (Key takeaways, Related, 👍, 👎) are
:class:`discord.ui.DynamicItem` s whose custom id names the entry, so they keep
working after a restart and the bot holds no per-message state for them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, cast

import discord

from bot.discord.embeds import answer_embed, notice_embed, related_embed, takeaways_embed
from bot.discord.errors import (
    NO_MENTIONS,
    ShuttingDown,
    handle_interaction_error,
    send_ephemeral,
)
from bot.discord.refs import REF_PATTERN, decode_ref, encode_ref
from bot.discord.respond import before_reply
from bot.discord.safety import jump_url
from bot.discord.text import SELECT_DESCRIPTION_MAX, SELECT_LABEL_MAX, truncate
from bot.discord.views import OwnerView
from bot.search.types import Answer, EntryRef

if TYPE_CHECKING:
    from bot.discord.client import LabwireBot

log = logging.getLogger(__name__)

Action = Literal["tk", "rel", "up", "down"]
_BUTTONS: dict[str, tuple[str | None, str | None, discord.ButtonStyle]] = {
    "tk": ("Key takeaways", None, discord.ButtonStyle.primary),
    "rel": ("Related", None, discord.ButtonStyle.secondary),
    "up": (None, "👍", discord.ButtonStyle.secondary),
    "down": (None, "👎", discord.ButtonStyle.secondary),
}
VOTE_REPLIES = {
    "new": "Thanks, your {emoji} is recorded. You can change it any time.",
    "changed": "Changed your vote to {emoji}.",
    "unchanged": "You already voted {emoji} on this answer.",
}


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"lw:(?P<action>tk|rel|up|down):(?P<ref>{REF_PATTERN})",
):
    """One of the buttons under an answer; the custom id carries the action and the entry."""

    def __init__(self, action: str, ref: str) -> None:
        label, emoji, style = _BUTTONS[action]
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
        bot = cast("LabwireBot", interaction.client)
        command = f"button:{self.action}"
        # Errors in dynamic items are only logged by discord.py; route them ourselves.
        try:
            async with bot.tracker.span(interaction.id, command) as span:
                if not bot.accepting:
                    raise ShuttingDown()
                span.outcome = await self._handle(bot, interaction)
        except Exception as exc:
            await handle_interaction_error(bot, interaction, exc, where=command)

    async def _handle(self, bot: LabwireBot, interaction: discord.Interaction[Any]) -> str:
        engine = bot.service.engine
        found = decode_ref(engine.kb, self.ref)
        if self.action in ("up", "down"):
            return await self._vote(bot, interaction, found)
        answer = engine.answer_for(*found) if found else None
        if answer is None:
            await send_ephemeral(interaction, "That entry is no longer in the knowledge base.")
            return "gone"
        embed = takeaways_embed(answer) if self.action == "tk" else related_embed(answer)
        await interaction.response.send_message(embed=embed, ephemeral=True,
                                                allowed_mentions=NO_MENTIONS)
        return "shown"

    async def _vote(self, bot: LabwireBot, interaction: discord.Interaction[Any],
                    found: tuple[str, str] | None) -> str:
        from bot.storage.question_log import Vote

        if interaction.message is None:
            return "no_message"
        kind, entry_id = found or ("unknown", self.ref)
        value: Literal[-1, 1] = 1 if self.action == "up" else -1
        outcome = await before_reply(interaction, bot.questions.vote(Vote(
            message_id=interaction.message.id, user_id=interaction.user.id,
            guild_id=interaction.guild_id, entry_kind=kind, entry_id=entry_id, vote=value,
        )), bot.config.ack_budget)
        emoji = "👍" if value == 1 else "👎"
        await send_ephemeral(interaction, VOTE_REPLIES[outcome].format(emoji=emoji))
        return f"vote:{outcome}"


def answer_view(answer: Answer) -> discord.ui.View:
    """The buttons under a public answer (only the ones that have something to show)."""
    ref = encode_ref(answer.kind, answer.id)
    view = discord.ui.View(timeout=None)
    if answer.takeaways:
        view.add_item(AnswerButton("tk", ref))
    if answer.related or answer.people:
        view.add_item(AnswerButton("rel", ref))
    view.add_item(AnswerButton("up", ref))
    view.add_item(AnswerButton("down", ref))
    return view


async def publish_answer(
    bot: LabwireBot,
    interaction: discord.Interaction[Any],
    answer: Answer,
    question: str | None,
) -> tuple[str, int | None]:
    """Post ``answer`` publicly as the response to ``interaction``, unless it was just posted.

    Returns ``("answered", message id)`` or ``("duplicate", earlier message id)``.
    """
    channel_id = interaction.channel_id or 0
    key = f"{answer.kind}:{answer.id}"
    earlier = bot.recent_answers.claim(channel_id, key)
    if earlier is not None:
        where = earlier.jump_url or "just above"
        await send_ephemeral(interaction, f"I answered that here a moment ago: {where}")
        return "duplicate", earlier.message_id
    try:
        response = await interaction.response.send_message(
            embed=answer_embed(answer, question=question), view=answer_view(answer),
            allowed_mentions=NO_MENTIONS,
        )
    except BaseException:
        bot.recent_answers.release(channel_id, key)
        raise
    message_id = response.message_id
    bot.recent_answers.settle(
        channel_id, key, message_id,
        jump_url(interaction.guild_id, channel_id, message_id) if message_id else None,
    )
    return "answered", message_id


def suggestion_refs(best: Answer | None, suggestions: Sequence[EntryRef]) -> list[EntryRef]:
    """Up to three distinct entries: the best guess first, then the engine's suggestions."""
    refs: list[EntryRef] = []
    if best is not None:
        refs.append(EntryRef(best.kind, best.id, best.title, best.url))
    for s in suggestions:
        if all((s.kind, s.id) != (r.kind, r.id) for r in refs):
            refs.append(s)
    return refs[:3]


class SuggestionView(OwnerView):
    """"Did you mean…": the asker picks one suggestion and it is answered publicly."""

    refusal = "These suggestions are for someone else. Ask your own question with /ask."
    command = "ask:pick"

    def __init__(self, bot: LabwireBot, owner_id: int, question: str,
                 suggestions: Sequence[EntryRef]) -> None:
        super().__init__(bot, owner_id)
        self.question = question
        self.log_id: int | None = None
        select: discord.ui.Select[SuggestionView] = discord.ui.Select(
            custom_id="ask:pick", placeholder="Did you mean…", min_values=1, max_values=1,
            options=[
                discord.SelectOption(
                    label=truncate(s.title, SELECT_LABEL_MAX),
                    value=encode_ref(s.kind, s.id),
                    description=truncate(s.kind.title(), SELECT_DESCRIPTION_MAX),
                )
                for s in suggestions
            ],
        )
        select.callback = self.picked  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    def timeout_text(self) -> str:
        return "These suggestions have expired. Ask again with /ask."

    async def picked(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            engine = self.bot.service.engine
            values = self.select.values
            found = decode_ref(engine.kb, values[0]) if values else None
            answer = engine.answer_for(*found) if found else None
            if answer is None:
                await send_ephemeral(interaction, "That entry is no longer in the knowledge base.")
                span.outcome = "gone"
                return
            span.outcome, message_id = await publish_answer(
                self.bot, interaction, answer, self.question
            )
            self.stop()
            if self.log_id is not None:
                await self.bot.questions.mark_answered(
                    self.log_id, entry_kind=answer.kind, entry_id=answer.id, message_id=message_id
                )
            self.disable_all()
            title = discord.utils.escape_markdown(truncate(answer.title, 200))
            await self.refresh(embed=notice_embed(f"Answered in the channel: **{title}**"))
