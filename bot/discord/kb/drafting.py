"""``/kb draft url:`` and ``/kb drafts``: a story from a link, reviewed and published.

The bot drafts the entry (:mod:`bot.drafts`); the moderator reviews it on a card
with four buttons: **Review** (a modal with the summary, takeaways and
questions, prefilled where we can), **Edit YAML** (a modal with the article's
YAML for anything else), **Publish** (validated, written, recorded and
reloaded through the editor, exactly like ``/kb upload``) and **Discard**.  The
buttons are dynamic items whose custom id carries the draft id, so a card keeps
working after a restart (drafts live on disk).  Every step checks that the user
is a moderator in a guild that may edit the knowledge base; each one is logged
with who did it, and publishing records a revision.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Any, ClassVar

import discord

from bot.discord.embeds import BRAND, WARN
from bot.discord.kb.context import KbContext
from bot.discord.kb.curation import Curation
from bot.discord.kb.edits import Edits
from bot.discord.moderators import actor
from bot.discord.replies import answer_failure, notice, reply
from bot.discord.text import escape_user_text, fit_embed, join_within, truncate
from bot.discord.views import send_pages
from bot.drafts.document import NOTES_KEY, DraftFormatError, parse_draft, publishable_text
from bot.drafts.errors import LinkError
from bot.drafts.model import Draft, DraftTakeaway
from bot.drafts.service import draft_from_url, publish_draft
from bot.drafts.store import DraftNotFound, DraftStore

log = logging.getLogger(__name__)

DRAFT_ID = r"[a-z0-9][a-z0-9._-]{0,59}"
TEMPLATE = rf"lw:draft:(?P<action>review|yaml|publish|discard):(?P<draft>{DRAFT_ID})"
MODAL_TEXT_MAX = 4000  # Discord's limit for a text input
FIELD_MAX = 1024
_LOOKS: dict[str, tuple[str, discord.ButtonStyle]] = {
    "review": ("Review", discord.ButtonStyle.primary),
    "yaml": ("Edit YAML", discord.ButtonStyle.secondary),
    "publish": ("Publish", discord.ButtonStyle.success),
    "discard": ("Discard", discord.ButtonStyle.danger),
}


def review_embed(draft: Draft) -> discord.Embed:
    """The draft as a moderator reviews it: what will be published, then the notes."""
    embed = discord.Embed(title=truncate(f"Draft: {draft.title}", 256), colour=BRAND)
    date = draft.published or "no date yet"
    embed.description = (f"`{draft.id}` · {escape_user_text(draft.outlet)} · {date}\n"
                         f"{draft.url}")
    summary = draft.summary or "*Not written yet: press **Review** and write 2-4 sentences.*"
    embed.add_field(name="Summary", value=truncate(escape_user_text(summary), FIELD_MAX),
                    inline=False)
    takeaways = [f"• {escape_user_text(t.text)}" for t in draft.takeaways] or [
        "*None yet: add 2-6 in **Review**.*"]
    embed.add_field(name="Takeaways", value=join_within(takeaways, FIELD_MAX), inline=False)
    embed.add_field(name="People", value=_ids(draft.people), inline=True)
    embed.add_field(name="Organisations", value=_ids(draft.orgs), inline=True)
    questions = [f"• {escape_user_text(q)}" for q in draft.questions] or ["*none*"]
    embed.add_field(name="Questions", value=join_within(questions, FIELD_MAX), inline=False)
    notes = draft.notes
    if notes.possibly_new:
        embed.add_field(name="Possibly new people or orgs (no entry yet)",
                        value=truncate(escape_user_text(", ".join(notes.possibly_new)),
                                       FIELD_MAX), inline=False)
    if notes.warnings:
        embed.add_field(name="Check", value=join_within(
            [f"⚠ {escape_user_text(w)}" for w in notes.warnings], FIELD_MAX), inline=False)
    if notes.lead:
        embed.add_field(name="From the page (notes for you, never published)",
                        value=truncate(escape_user_text(notes.lead[0]), FIELD_MAX),
                        inline=False)
    if draft.notes.warnings:
        embed.colour = WARN
    return fit_embed(embed)


def _ids(ids: tuple[str, ...]) -> str:
    return truncate(", ".join(f"`{i}`" for i in ids), FIELD_MAX) if ids else "*none found*"


def takeaway_id(text: str, taken: set[str]) -> str:
    """A short id from a takeaway's first three words ('kalinowski-quit-over')."""
    words = re.findall(r"[a-z0-9]+", text.lower())[:3] or ["point"]
    base = "-".join(words)[:40].strip("-") or "point"
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    taken.add(found)
    return found


def lines_of(text: str) -> list[str]:
    """One item per non-empty line; a leading bullet or dash is dropped."""
    return [line.strip().lstrip("•-*").strip() for line in text.splitlines()
            if line.strip().lstrip("•-*").strip()]


class Drafting:
    """The ``/kb draft`` and ``/kb drafts`` jobs and the buttons on a draft's card."""

    def __init__(self, context: KbContext, curation: Curation, edits: Edits) -> None:
        self.context = context
        self.curation = curation
        self.edits = edits
        self.button_type = _bound_to(self)

    @property
    def store(self) -> DraftStore:
        return self.curation.drafts

    def view(self, draft_id: str) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        for action in _LOOKS:
            view.add_item(self.button_type(action, draft_id))
        return view

    async def show(self, interaction: discord.Interaction[Any], draft: Draft) -> None:
        await reply(interaction, embed=review_embed(draft), view=self.view(draft.id))

    # -- /kb draft url: -------------------------------------------------------------

    async def draft(self, interaction: discord.Interaction[Any], url: str) -> str:
        await self.context.require_moderator(interaction, "kb draft", edits=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            async with self.curation.fetcher() as fetcher:
                draft = await draft_from_url(url, self.context.knowledge.kb, fetcher,
                                             now=self.context.moderation.clock(),
                                             taken_ids=self.store.ids())
        except LinkError as exc:
            await notice(interaction, f"Cannot draft from that link: {escape_user_text(str(exc))}")
            return "refused:link"
        await asyncio.to_thread(self.store.save_new, draft)
        log.info("draft created", extra={"draft": draft.id, "user_id": interaction.user.id,
                                         "guild_id": interaction.guild_id})
        await self.show(interaction, draft)
        return "drafted"

    # -- /kb drafts [draft] -----------------------------------------------------------

    async def listing(self, interaction: discord.Interaction[Any], draft_id: str | None) -> str:
        await self.context.require_moderator(interaction, "kb drafts")
        if draft_id:
            try:
                draft = await asyncio.to_thread(self.store.read, draft_id.strip())
            except (DraftNotFound, DraftFormatError) as exc:
                await notice(interaction, escape_user_text(str(exc))[:500])
                return "not_found"
            await self.show(interaction, draft)
            return "shown"
        infos = await asyncio.to_thread(self.store.list)
        if not infos:
            await notice(interaction, "No drafts waiting. Make one with `/kb draft url:`.")
            return "empty"
        lines = [f"`{i.id}` · {escape_user_text(truncate(i.title, 120))}"
                 + (f" · ⚠ {escape_user_text(truncate(i.problem, 120))}" if i.problem else "")
                 for i in infos]
        await send_pages(self.context.tracker, interaction, f"Drafts waiting ({len(infos)})",
                         lines, view_timeout=self.context.view_timeout,
                         intro="Open one with `/kb drafts draft:<id>` to review, publish or "
                               "discard it.")
        return f"shown:{len(infos)}"

    async def choices(self, current: str) -> list[discord.app_commands.Choice[str]]:
        typed = current.strip().lower()
        infos = await asyncio.to_thread(self.store.list)
        found = [i for i in infos if typed in i.id or typed in i.title.lower()]
        return [discord.app_commands.Choice(name=truncate(f"{i.title} ({i.id})", 100),
                                            value=i.id) for i in found[:25]]

    # -- the buttons -------------------------------------------------------------------

    async def press(self, interaction: discord.Interaction[Any], action: str,
                    draft_id: str) -> None:
        command = f"draft:{action}"
        try:  # discord.py only logs errors raised in dynamic items: answer them here
            async with self.context.tracker.span(interaction.id, command) as span:
                self.context.tracker.ensure_accepting()
                await self.context.require_moderator(interaction, f"kb draft {action}",
                                                     edits=True)
                span.outcome = await self._handle(interaction, action, draft_id)
        except Exception as exc:
            await answer_failure(self.context.tracker, interaction, exc, where=command)

    async def _handle(self, interaction: discord.Interaction[Any], action: str,
                      draft_id: str) -> str:
        try:
            text = await asyncio.to_thread(self.store.read_text, draft_id)
            draft = parse_draft(text, self.store.display(draft_id))
        except (DraftNotFound, DraftFormatError):
            await notice(interaction, f"The draft `{draft_id}` is gone (published or "
                                      "discarded), or no longer reads as a draft.")
            return "gone"
        if action == "review":
            await interaction.response.send_modal(ReviewModal(self, draft_id, draft))
            return "modal"
        if action == "yaml":
            article = _article_part(text)
            if len(article) > MODAL_TEXT_MAX:
                await notice(interaction, "This draft is too long to edit here; download it "
                                          "with `/kb drafts`, finish it and use `/kb upload`.")
                return "too_long"
            await interaction.response.send_modal(YamlModal(self, draft_id, article))
            return "modal"
        if action == "publish":
            await interaction.response.defer(ephemeral=True, thinking=True)
            outcome = await publish_draft(self.context.moderation.editor, self.store, draft_id,
                                          actor(interaction))
            return await self.edits.show(interaction, outcome, "Publish")
        await asyncio.to_thread(self.store.discard, draft_id)
        log.info("draft discarded", extra={"draft": draft_id, "user_id": interaction.user.id,
                                           "guild_id": interaction.guild_id})
        await notice(interaction, f"Discarded the draft `{draft_id}`.")
        return "discarded"

    # -- the modals ------------------------------------------------------------------------

    async def save_review(self, interaction: discord.Interaction[Any], draft_id: str,
                          summary: str, takeaways: str, questions: str) -> None:
        await self._submitted(interaction, "draft:review", draft_id, lambda d: dataclasses.replace(
            d, summary=" ".join(summary.split()),
            takeaways=_takeaways(lines_of(takeaways)),
            questions=tuple(dict.fromkeys(lines_of(questions)))))

    async def save_yaml(self, interaction: discord.Interaction[Any], draft_id: str,
                        article: str) -> None:
        command = "draft:yaml"
        try:
            async with self.context.tracker.span(interaction.id, command) as span:
                await self.context.require_moderator(interaction, "kb draft yaml", edits=True)
                old = await asyncio.to_thread(self.store.read_text, draft_id)
                text = article.rstrip() + "\n" + _notes_part(old)
                try:
                    await asyncio.to_thread(self.store.write_text, draft_id, text)
                except DraftFormatError as exc:
                    await notice(interaction, "Not saved: " + escape_user_text(str(exc))[:900])
                    span.outcome = "refused:invalid"
                    return
                draft = parse_draft(text, self.store.display(draft_id))
                log.info("draft edited", extra={"draft": draft_id, "how": "yaml",
                                                "user_id": interaction.user.id})
                await self.show(interaction, draft)
                span.outcome = "saved"
        except Exception as exc:
            await answer_failure(self.context.tracker, interaction, exc, where=command)

    async def _submitted(self, interaction: discord.Interaction[Any], command: str,
                         draft_id: str, change: Any) -> None:
        try:
            async with self.context.tracker.span(interaction.id, command) as span:
                await self.context.require_moderator(interaction, "kb draft review", edits=True)
                try:
                    draft = await asyncio.to_thread(self.store.read, draft_id)
                except DraftNotFound:
                    await notice(interaction, f"The draft `{draft_id}` is gone.")
                    span.outcome = "gone"
                    return
                updated = change(draft)
                await asyncio.to_thread(self.store.replace, updated, draft_id)
                log.info("draft edited", extra={"draft": draft_id, "how": "review",
                                                "user_id": interaction.user.id})
                await self.show(interaction, updated)
                span.outcome = "saved"
        except Exception as exc:
            await answer_failure(self.context.tracker, interaction, exc, where=command)


def _takeaways(texts: list[str]) -> tuple[DraftTakeaway, ...]:
    taken: set[str] = set()
    return tuple(DraftTakeaway(takeaway_id(t, taken), truncate(t, FIELD_MAX)) for t in texts)


def _article_part(text: str) -> str:
    """The draft's text without its notes block (what "Edit YAML" shows)."""
    return publishable_text(text).text


def _notes_part(text: str) -> str:
    """The draft's ``draft:`` block, kept as it was when the article part is edited."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{NOTES_KEY}:")), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines))
                if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
    return "\n".join(lines[start:end]) + "\n"


class ReviewModal(discord.ui.Modal):
    """Summary, takeaways and questions: the parts a moderator writes in their own words."""

    def __init__(self, owner: Drafting, draft_id: str, draft: Draft) -> None:
        super().__init__(title=truncate(f"Review {draft_id}", 45),
                         custom_id=f"lw:draftmodal:review:{draft_id}", timeout=1800)
        self.owner = owner
        self.draft_id = draft_id
        self.summary: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Summary: 2-4 sentences in your own words", style=discord.TextStyle.long,
            default=draft.summary or None, max_length=MODAL_TEXT_MAX, custom_id="summary")
        self.takeaways: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Takeaways: one per line (2-6)", style=discord.TextStyle.long,
            default="\n".join(t.text for t in draft.takeaways) or None,
            max_length=MODAL_TEXT_MAX, custom_id="takeaways")
        self.questions: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Questions people would ask: one per line", style=discord.TextStyle.long,
            default="\n".join(draft.questions)[:MODAL_TEXT_MAX] or None, required=False,
            max_length=MODAL_TEXT_MAX, custom_id="questions")
        for item in (self.summary, self.takeaways, self.questions):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await self.owner.save_review(interaction, self.draft_id, self.summary.value,
                                     self.takeaways.value, self.questions.value)


class YamlModal(discord.ui.Modal):
    """The article's YAML (without the notes), for everything the review does not cover."""

    def __init__(self, owner: Drafting, draft_id: str, article: str) -> None:
        super().__init__(title=truncate(f"Edit {draft_id}", 45),
                         custom_id=f"lw:draftmodal:yaml:{draft_id}", timeout=1800)
        self.owner = owner
        self.draft_id = draft_id
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="The article (YAML); the notes are kept", style=discord.TextStyle.long,
            default=article, max_length=MODAL_TEXT_MAX, custom_id="yaml")
        self.add_item(self.text)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        await self.owner.save_yaml(interaction, self.draft_id, self.text.value)


class DraftButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One button on a draft's card; the custom id carries the action and the draft id."""

    drafting: ClassVar[Drafting]

    def __init__(self, action: str, draft_id: str) -> None:
        label, style = _LOOKS[action]
        super().__init__(discord.ui.Button(label=label, style=style,
                                           custom_id=f"lw:draft:{action}:{draft_id}"))
        self.action = action
        self.draft_id = draft_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> DraftButton:
        return cls(match["action"], match["draft"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.drafting.press(interaction, self.action, self.draft_id)


def _bound_to(owner: Drafting) -> type[DraftButton]:
    class BoundDraftButton(DraftButton, template=TEMPLATE):
        drafting = owner

    return BoundDraftButton

