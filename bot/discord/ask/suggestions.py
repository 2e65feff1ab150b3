""""Did you mean…": up to three suggestions, and a picker that answers publicly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord

from bot.discord import refs
from bot.discord.cards.card import GONE
from bot.discord.embeds import MUTED, WARN, kind_label, notice_embed
from bot.discord.limits import (
    QUESTION_MAX,
    SELECT_DESCRIPTION_MAX,
    SELECT_LABEL_MAX,
    TITLE_IN_TEXT_MAX,
)
from bot.discord.replies import notice
from bot.discord.text import fit_embed, link, quote_question, truncate
from bot.discord.tracking import InteractionTracker
from bot.discord.views import OwnerView
from bot.runtime import KnowledgeService
from bot.search.types import Answer, EntryRef
from bot.storage.question_log import QuestionLog

MAX_SUGGESTIONS = 3
# Posts a picked answer publicly (with the duplicate rule); returns (outcome, message id).
Publish = Callable[[discord.Interaction[Any], Answer, str], Awaitable[tuple[str, int | None]]]


def suggestion_refs(best: Answer | None, suggestions: Sequence[EntryRef]) -> list[EntryRef]:
    """Up to three distinct entries: the best guess first, then the engine's suggestions."""
    found: list[EntryRef] = []
    if best is not None:
        found.append(EntryRef(best.kind, best.id, best.title, best.url))
    for s in suggestions:
        if all((s.kind, s.id) != (r.kind, r.id) for r in found):
            found.append(s)
    return found[:MAX_SUGGESTIONS]


def suggestions_embed(
    question: str, suggestions: Sequence[EntryRef], *, sure: bool, pickable: bool = True
) -> discord.Embed:
    """The "Did you mean…" / "I don't know that one yet" reply.

    ``sure`` means the engine found nothing (rather than several candidates);
    ``pickable`` means a select menu of the suggestions comes with it.
    """
    asked = quote_question(question, QUESTION_MAX)
    if sure:
        title = "I don't have an answer for that yet"
        text = (f"I couldn't find anything about “{asked}” in my notes. "
                "I've passed the question on to the moderators.")
    else:
        title = "Did you mean…"
        text = f"I'm not sure what “{asked}” refers to."
        if suggestions:
            text += " Pick one below and I'll answer publicly." if pickable else \
                " One of these, perhaps?"
    lines = [f"• {link(s.title, s.url)} ({kind_label(s.kind).lower()})" for s in suggestions]
    if lines:
        text += "\n\n" + ("Related entries I do have:\n" if sure else "") + "\n".join(lines)
    else:
        text += "\n\nTry `/latest` for recent stories, or `/help` for what I know about."
    return fit_embed(discord.Embed(title=title, description=text, colour=WARN if sure else MUTED))


class SuggestionView(OwnerView):
    """The asker picks one suggestion and it is answered publicly, as ``/ask`` would."""

    refusal = "These suggestions are for someone else. Ask your own question with /ask."
    command = "ask:pick"

    def __init__(self, tracker: InteractionTracker, owner_id: int, question: str,
                 suggestions: Sequence[EntryRef], *, timeout: float,
                 knowledge: KnowledgeService, questions: QuestionLog, publish: Publish) -> None:
        super().__init__(tracker, owner_id, timeout=timeout)
        self.question = question
        self.knowledge = knowledge
        self.questions = questions
        self.publish = publish
        self.log_id: int | None = None  # the question's row, once it is logged
        select: discord.ui.Select[SuggestionView] = discord.ui.Select(
            custom_id="ask:pick", placeholder="Did you mean…", min_values=1, max_values=1,
            options=[
                discord.SelectOption(label=truncate(s.title, SELECT_LABEL_MAX),
                                     value=refs.encode(refs.CardRef.of(s.kind, s.id)),
                                     description=truncate(s.kind.title(), SELECT_DESCRIPTION_MAX))
                for s in suggestions
            ],
        )
        select.callback = self.picked  # type: ignore[method-assign]
        self.select = select
        self.add_item(select)

    def timeout_text(self) -> str:
        return "These suggestions have expired. Ask again with /ask."

    async def picked(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, self.command) as span:
            engine = self.knowledge.engine
            values = self.select.values
            card = refs.decode(engine.kb, values[0]) if values else None
            answer = (engine.answer_for(card.answer_kind, card.answer_id, self.question)
                      if card else None)
            if answer is None:
                await notice(interaction, GONE)
                span.outcome = "gone"
                return
            span.outcome, message_id = await self.publish(interaction, answer, self.question)
            self.stop()
            if self.log_id is not None:
                await self.questions.mark_answered(
                    self.log_id, entry_kind=answer.kind, entry_id=answer.id, message_id=message_id)
            self.disable_all()
            title = discord.utils.escape_markdown(truncate(answer.title, TITLE_IN_TEXT_MAX))
            await self.refresh(embed=notice_embed(f"Answered in the channel: **{title}**"))
