"""``/kb teach`` and ``/kb unanswered``: show the bot which entry answers a question.

The unanswered queue groups similar questions the bot could not answer (or got a
👎 on).  **Teach** picks a group, then the entry that answers it; the question is
appended to that entry's ``questions:`` (the rest of the file untouched),
validated, written, recorded and reloaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import discord

from bot.discord import refs
from bot.discord.embeds import BRAND, WARN, kind_label, notice_embed
from bot.discord.entries import entry_title
from bot.discord.kb.context import KbContext
from bot.discord.kb.edits import NO_SUCH_ENTRY, Edits, edit_embed
from bot.discord.limits import (
    EMBED_TITLE_MAX,
    QUESTION_MAX,
    SELECT_DESCRIPTION_MAX,
    SELECT_LABEL_MAX,
    SELECT_OPTIONS_MAX,
)
from bot.discord.moderators import actor, problem_lines
from bot.discord.replies import NO_MENTIONS, notice, reply
from bot.discord.text import fit_embed, join_within, quote_question, truncate
from bot.discord.views import OwnerView
from bot.knowledge import ENTRY_KINDS
from bot.moderation.insights import QuestionGroup, teach_candidates, unanswered_groups
from bot.wording import plural

GROUPS_SHOWN = 10
QUESTION_SHOWN_MAX = 150
VARIANT_SHOWN_MAX = 60
LIST_BUDGET = 3900


def unanswered_embed(groups: list[QuestionGroup], days: int, can_teach: bool) -> discord.Embed:
    lines = []
    for number, group in enumerate(groups[:GROUPS_SHOWN], 1):
        votes = f" · {group.downvotes} 👎" if group.downvotes else ""
        line = (f"**{number}.** “{quote_question(group.question, QUESTION_SHOWN_MAX)}” — "
                f"{group.count}× · last {group.last_asked:%Y-%m-%d}{votes}")
        if group.variants:
            line += "\n  also: " + "; ".join(
                quote_question(v, VARIANT_SHOWN_MAX) for v in group.variants[:2])
        lines.append(line)
    if len(groups) > GROUPS_SHOWN:
        lines.append(f"…and {plural(len(groups) - GROUPS_SHOWN, 'more group')}.")
    footer = ("Pick a question below to teach the bot which entry answers it." if can_teach
              else "Teaching happens in the curators' server.")
    embed = discord.Embed(title=f"Unanswered questions, last {plural(days, 'day')}",
                          description=join_within(lines, LIST_BUDGET), colour=BRAND)
    embed.set_footer(text=footer)
    return fit_embed(embed)


class Teaching:
    def __init__(self, context: KbContext, edits: Edits) -> None:
        self.context = context
        self.edits = edits

    async def teach(self, interaction: discord.Interaction[Any], entry: str,
                    question: str) -> str:
        await self.context.require_moderator(interaction, "kb teach", edits=True)
        key = self.context.entries.find(ENTRY_KINDS, entry)
        if key is None:
            await notice(interaction, NO_SUCH_ENTRY)
            return "not_found"
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.context.moderation.editor.teach(key, question, actor(interaction))
        return await self.edits.show(interaction, outcome, "Teach")

    async def unanswered(self, interaction: discord.Interaction[Any], days: int) -> str:
        await self.context.require_moderator(interaction, "kb unanswered")
        moderation = self.context.moderation
        since = moderation.clock() - dt.timedelta(days=days)
        groups = await unanswered_groups(moderation.insights, since,
                                         self.context.guild_scope(interaction))
        if not groups:
            await notice(interaction, f"No unanswered questions in the last {plural(days, 'day')}.")
            return "empty"
        can_teach = moderation.policy.may_edit_knowledge(interaction.guild_id)
        view = UnansweredView(self.context, interaction.user.id, groups) if can_teach else None
        await reply(interaction, embed=unanswered_embed(groups, days, can_teach), view=view)
        if view is not None:
            view.bind(interaction)
        return f"shown:{len(groups)}"


class UnansweredView(OwnerView):
    """Pick a question group, then the entry that answers it; the question is taught."""

    command = "kb:teach"
    refusal = "This list belongs to the moderator who opened it. Use /kb unanswered yourself."

    def __init__(self, context: KbContext, owner_id: int, groups: list[QuestionGroup]) -> None:
        super().__init__(context.tracker, owner_id, timeout=context.view_timeout)
        self.context = context
        self.groups = groups[:SELECT_OPTIONS_MAX]
        self.group: QuestionGroup | None = None
        self.group_select: discord.ui.Select[UnansweredView] = discord.ui.Select(
            custom_id="kb:teach:group", placeholder="Teach: pick a question…", options=[
                discord.SelectOption(
                    label=truncate(f"{i + 1}. {g.question}", SELECT_LABEL_MAX), value=str(i),
                    description=truncate(f"asked {g.count}×, last {g.last_asked:%Y-%m-%d}",
                                         SELECT_DESCRIPTION_MAX))
                for i, g in enumerate(self.groups)])
        self.group_select.callback = self.pick_group  # type: ignore[method-assign]
        self.add_item(self.group_select)
        self.entry_select: discord.ui.Select[UnansweredView] = discord.ui.Select(
            custom_id="kb:teach:entry", placeholder="Which entry answers it?")
        self.entry_select.callback = self.pick_entry  # type: ignore[method-assign]

    async def pick_group(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, self.command) as span:
            self.group = self.groups[int(self.group_select.values[0])]
            candidates = teach_candidates(self.context.knowledge.engine, self.group)
            self.entry_select.options = [
                discord.SelectOption(label=truncate(c.title, SELECT_LABEL_MAX),
                                     value=refs.encode(refs.CardRef.of(c.kind, c.id)),
                                     description=kind_label(c.kind))
                for c in candidates] or [discord.SelectOption(label="No suggestions",
                                                              value="none")]
            self.entry_select.disabled = not candidates
            self.clear_items()
            self.add_item(self.entry_select)
            asked = quote_question(self.group.question, QUESTION_MAX)
            embed = discord.Embed(
                title="Teach", colour=BRAND,
                description=f"Which entry answers “{asked}”?\nIt is added to that entry's "
                            "questions and the bot answers it from now on. Not listed? Use "
                            "`/kb teach`.")
            await interaction.response.edit_message(embed=embed, view=self)
            span.outcome = f"picked_group:{len(candidates)}"

    async def pick_entry(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, self.command) as span:
            kb = self.context.knowledge.kb
            values = self.entry_select.values
            key = self.context.entries.find(ENTRY_KINDS, values[0]) if values else None
            if self.group is None or key is None:
                await interaction.response.edit_message(
                    embed=notice_embed("That entry is gone; run /kb unanswered again."),
                    view=None)
                span.outcome = "gone"
                return
            await interaction.response.defer()
            outcome = await self.context.moderation.editor.teach(key, self.group.question,
                                                                 actor(interaction))
            if outcome.ok:
                embed = edit_embed(outcome, self.context.knowledge.kb)
                embed.title = truncate(f"Taught: {entry_title(kb, key)}", EMBED_TITLE_MAX)
            else:
                problems = "\n".join(problem_lines(outcome.problems))
                embed = fit_embed(discord.Embed(title="Teach refused", colour=WARN,
                                                description=outcome.message or problems))
            await interaction.edit_original_response(embed=embed, view=None,
                                                     allowed_mentions=NO_MENTIONS)
            self.stop()
            span.outcome = (outcome.change or "ok") if outcome.ok else "refused"
