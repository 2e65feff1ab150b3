"""One user's pass through the quiz: a select per question, Back, Cancel, then the result.

Each pass is a :class:`~bot.storage.quiz_sessions.QuizSession`, saved after every
click.  Its select and buttons are :class:`discord.ui.DynamicItem` s whose custom
ids carry the session id (``risk:<session>:answer``), registered once when the
bot starts, so the components on a message sent before a restart carry on where
the person left off.  A session expires ``Settings.view_timeout`` seconds after
the last click: while the bot runs, a timer greys the message out then; a click
that arrives later (after a restart) is told the quiz timed out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import discord

from bot.clock import Clock
from bot.discord.embeds import notice_embed
from bot.discord.limits import SELECT_DESCRIPTION_MAX, SELECT_LABEL_MAX, SELECT_PLACEHOLDER_MAX
from bot.discord.replies import (
    NO_MENTIONS,
    answer_failure,
    notice,
    reply,
    update,
    within_budget,
)
from bot.discord.risk.embeds import question_embed, result_embed, share_embed
from bot.discord.text import truncate
from bot.discord.tracking import InteractionTracker
from bot.quiz.schema import Quiz
from bot.quiz.scoring import score
from bot.runtime import KnowledgeService
from bot.storage.database import utc_text
from bot.storage.quiz_results import QuizResults
from bot.storage.quiz_sessions import QuizSession, QuizSessions

log = logging.getLogger(__name__)

QUIZ_ID = "risk"
TEMPLATE = r"risk:(?P<session>[0-9a-f]{16}):(?P<action>answer|back|cancel|share)"
REFUSAL = "This quiz belongs to someone else. Start your own with /risk."
STALE = "The quiz changed since you started it. Start again with /risk."
CANCELLED = "Quiz cancelled. Nothing was saved."


def timeout_text(seconds: float, *, finished: bool) -> str:
    """What an expired quiz says: a pass in progress must start again; a result stays."""
    idle = f"{round(seconds / 60)} idle minutes" if seconds >= 60 else f"{seconds:g} idle seconds"
    if finished:
        return f"Sharing timed out after {idle}. Your result is saved: /risk show: last."
    return f"This quiz timed out after {idle}. Start again with /risk."


class RiskSessions:
    """Every /risk pass of one bot: start one, act on clicks, expire idle ones."""

    def __init__(self, knowledge: KnowledgeService, results: QuizResults,
                 store: QuizSessions, tracker: InteractionTracker, clock: Clock, *,
                 timeout: float, ack_budget: float) -> None:
        self.knowledge = knowledge
        self.results = results
        self.store = store
        self.tracker = tracker
        self.clock = clock
        self.timeout = timeout
        self.ack_budget = ack_budget
        self.component_type = _bound_to(self)
        self._timers: dict[str, asyncio.Task[None]] = {}

    def quiz(self) -> Quiz | None:
        quiz = self.knowledge.kb.quizzes.get(QUIZ_ID)
        return quiz if isinstance(quiz, Quiz) else None

    # ------------------------------------------------------------------ start and show

    async def start(self, interaction: discord.Interaction[Any], quiz: Quiz) -> None:
        """Save a new session and show its first question, privately."""
        now = self.clock()
        session = QuizSession(
            id=secrets.token_hex(8), user_id=str(interaction.user.id),
            guild_id=None if interaction.guild_id is None else str(interaction.guild_id),
            quiz_id=QUIZ_ID, quiz_version=quiz.version, created_at=utc_text(now),
        ).touched(now, self.timeout)
        await within_budget(interaction, self._save_new(session, now), self.ack_budget)
        await reply(interaction, embed=self.embed(session, quiz), view=self.view(session, quiz))
        self._arm(session.id, interaction)

    async def _save_new(self, session: QuizSession, now: Any) -> None:
        await self.store.delete_expired(now)  # keeps the table to the passes in progress
        await self.store.save(session)

    def embed(self, session: QuizSession, quiz: Quiz) -> discord.Embed:
        if session.finished:
            return result_embed(score(quiz, session.answers))
        return question_embed(quiz, session.step)

    def view(self, session: QuizSession, quiz: Quiz, *, expired: bool = False) -> discord.ui.View:
        """The components for where the session is (all disabled once ``expired``)."""
        view = discord.ui.View(timeout=None)
        items: list[discord.ui.Item[Any]] = []
        if session.finished:
            items.append(discord.ui.Button(
                label="Shared" if session.shared else "Share", style=discord.ButtonStyle.primary,
                custom_id=_custom_id(session, "share"), disabled=session.shared or expired))
        else:
            items += [self._select(session, quiz), _button(session, "back", "Back",
                                                           disabled=session.step == 0),
                      _button(session, "cancel", "Cancel")]
        for item in items:
            if expired:
                item.disabled = True  # type: ignore[attr-defined]
            view.add_item(self.component_type(item, session.id, _action_of(item)))
        return view

    def _select(self, session: QuizSession, quiz: Quiz) -> discord.ui.Select[Any]:
        question = quiz.questions[session.step]
        chosen = session.answers.get(question.id)
        return discord.ui.Select(
            custom_id=_custom_id(session, "answer"), row=0,
            placeholder=truncate(question.prompt, SELECT_PLACEHOLDER_MAX),
            options=[discord.SelectOption(
                label=truncate(option.label, SELECT_LABEL_MAX), value=option.id,
                description=truncate(option.why, SELECT_DESCRIPTION_MAX),
                default=option.id == chosen) for option in question.options])

    # ------------------------------------------------------------------ clicks

    async def press(self, interaction: discord.Interaction[Any], session_id: str, action: str,
                    values: Sequence[str]) -> None:
        command = f"risk:{action}"
        # discord.py only logs errors raised in dynamic items: answer them here.
        try:
            async with self.tracker.span(interaction.id, command) as span:
                self.tracker.ensure_accepting()
                span.outcome = await self._press(interaction, session_id, action, values)
        except Exception as exc:
            await answer_failure(self.tracker, interaction, exc, where=command)

    async def _press(self, interaction: discord.Interaction[Any], session_id: str, action: str,
                     values: Sequence[str]) -> str:
        session = await self.store.get(session_id)
        if session is not None and session.user_id != str(interaction.user.id):
            await notice(interaction, REFUSAL)
            return "refused:not_owner"
        if session is None or session.expired(self.clock()):
            await self._end(interaction, session_id,
                            timeout_text(self.timeout, finished=action == "share"))
            return "expired"
        quiz = self.quiz()
        if quiz is None or quiz.version != session.quiz_version:
            await self._end(interaction, session_id, STALE)
            return "stale"
        handlers: dict[str, Callable[..., Awaitable[str]]] = {
            "answer": self._answer, "back": self._back, "cancel": self._cancel,
            "share": self._share}
        return await handlers[action](interaction, session, quiz, values)

    async def _answer(self, interaction: discord.Interaction[Any], session: QuizSession,
                      quiz: Quiz, values: Sequence[str]) -> str:
        question = None if session.finished else quiz.questions[session.step]
        if question is None or not values or question.option(values[0]) is None:
            await notice(interaction, "Pick one of the options.")
            return "invalid"
        answers = {**session.answers, question.id: values[0]}
        if session.step + 1 < len(quiz.questions):
            session = replace(session, step=session.step + 1, answers=answers)
            await self._show(interaction, session, quiz, self.store.save(
                session.touched(self.clock(), self.timeout)))
            return f"step:{session.step + 1}"
        result = score(quiz, answers)
        session = replace(session, answers=answers, finished=True)
        # Saved (committed) before the user sees the result.
        await self._show(interaction, session, quiz, self._finish(session, result))
        return f"result:{result.band.id}"

    async def _finish(self, session: QuizSession, result: Any) -> None:
        await self.results.save(result, user_id=session.user_id, guild_id=session.guild_id,
                                quiz_id=QUIZ_ID)
        await self.store.save(session.touched(self.clock(), self.timeout))

    async def _back(self, interaction: discord.Interaction[Any], session: QuizSession,
                    quiz: Quiz, values: Sequence[str]) -> str:
        if not session.finished:
            session = replace(session, step=max(session.step - 1, 0))
        await self._show(interaction, session, quiz, self.store.save(
            session.touched(self.clock(), self.timeout)))
        return f"step:{session.step + 1}"

    async def _cancel(self, interaction: discord.Interaction[Any], session: QuizSession,
                      quiz: Quiz, values: Sequence[str]) -> str:
        self._disarm(session.id)
        await within_budget(interaction, self.store.delete(session.id), self.ack_budget,
                            updates_message=True)
        await update(interaction, content=None, embed=notice_embed(CANCELLED), view=None)
        return "cancelled"

    async def _share(self, interaction: discord.Interaction[Any], session: QuizSession,
                     quiz: Quiz, values: Sequence[str]) -> str:
        if not session.finished or session.shared:
            await notice(interaction, "Already shared.")
            return "already"
        session = replace(session, shared=True)
        await self._show(interaction, session, quiz, self.store.save(
            session.touched(self.clock(), self.timeout)))
        # The quiz message is private; the summary goes to the channel.
        await interaction.followup.send(
            embed=share_embed(score(quiz, session.answers), interaction.user.display_name),
            allowed_mentions=NO_MENTIONS)
        return "shared"

    async def _show(self, interaction: discord.Interaction[Any], session: QuizSession,
                    quiz: Quiz, saving: Awaitable[None]) -> None:
        """Save, then show the session on the message the click came from."""
        await within_budget(interaction, saving, self.ack_budget, updates_message=True)
        await update(interaction, content=None, embed=self.embed(session, quiz),
                     view=self.view(session, quiz))
        self._arm(session.id, interaction)

    async def _end(self, interaction: discord.Interaction[Any], session_id: str,
                   text: str) -> None:
        """The session is over (timed out, or the quiz changed): say so, grey everything."""
        self._disarm(session_id)
        await self.store.delete(session_id)
        await update(interaction, content=text, view=_greyed(interaction.message))

    # ------------------------------------------------------------------ idle timers

    def _arm(self, session_id: str, interaction: discord.Interaction[Any]) -> None:
        """(Re)start the idle timer; ``interaction`` can edit the quiz message meanwhile."""
        self._disarm(session_id)
        self._timers[session_id] = asyncio.create_task(
            self._expire_later(session_id, interaction), name=f"labwire-risk-{session_id}")

    def _disarm(self, session_id: str) -> None:
        timer = self._timers.pop(session_id, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()

    async def _expire_later(self, session_id: str, interaction: discord.Interaction[Any]) -> None:
        await asyncio.sleep(self.timeout)
        self._timers.pop(session_id, None)
        try:
            session = await self.store.get(session_id)
            quiz = self.quiz()
            await self.store.delete(session_id)
            if session is None or quiz is None or quiz.version != session.quiz_version:
                return
            text = None if session.finished else timeout_text(self.timeout, finished=False)
            fields: dict[str, Any] = {"view": self.view(session, quiz, expired=True)}
            if text is not None:
                fields["content"] = text
            await interaction.edit_original_response(**fields)
        except discord.HTTPException as exc:
            # The interaction token lives 15 minutes; an expired one is not an error.
            log.warning("could not grey out an expired quiz", extra={"status": exc.status})

    async def close(self) -> None:
        """Stop the timers (sessions stay saved: a restarted bot carries on with them)."""
        timers = list(self._timers.values())
        self._timers.clear()
        for timer in timers:
            timer.cancel()
        for timer in timers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await timer


def _custom_id(session: QuizSession, action: str) -> str:
    return f"risk:{session.id}:{action}"


def _action_of(item: discord.ui.Item[Any]) -> str:
    return str(getattr(item, "custom_id", "")).rsplit(":", 1)[-1]


def _button(session: QuizSession, action: str, label: str, *,
            disabled: bool = False) -> discord.ui.Button[Any]:
    style = discord.ButtonStyle.danger if action == "cancel" else discord.ButtonStyle.secondary
    return discord.ui.Button(label=label, style=style, custom_id=_custom_id(session, action),
                             row=1, disabled=disabled)


def _greyed(message: discord.Message | None) -> discord.ui.View | None:
    """The message's components as they are, all disabled."""
    if message is None:
        return None
    view = discord.ui.View.from_message(message, timeout=None)
    for item in view.children:
        if isinstance(item, discord.ui.Button | discord.ui.Select):
            item.disabled = True
    return view


class RiskComponent(discord.ui.DynamicItem[discord.ui.Item[Any]], template=TEMPLATE):
    """The quiz's select or one of its buttons; the custom id names the session and action."""

    sessions: ClassVar[RiskSessions]

    def __init__(self, item: discord.ui.Item[Any], session_id: str, action: str) -> None:
        super().__init__(item)
        self.session_id = session_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> RiskComponent:
        return cls(item, match["session"], match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        values = [str(v) for v in data.get("values", [])]
        await self.sessions.press(interaction, self.session_id, self.action, values)


def _bound_to(owner: RiskSessions) -> type[RiskComponent]:
    class BoundRiskComponent(RiskComponent, template=TEMPLATE):
        sessions = owner

    return BoundRiskComponent
