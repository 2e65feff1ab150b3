"""Shared by the moderator cogs (``kb``, ``briefing``, ``privacy``): services, checks, pages.

Not an extension itself.  The services (the knowledge editor and the stores)
are created once per bot on first use and shared by the three cogs, so the
edit lock and the clock are the same for all of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import discord

from bot.discord.client import LabwireBot
from bot.discord.embeds import BRAND, WARN
from bot.discord.errors import NO_MENTIONS, Refusal
from bot.discord.text import EMBED_DESCRIPTION_MAX, escape_user_text, fit_embed, truncate
from bot.discord.views import OwnerView
from bot.knowledge import Problem
from bot.moderation.editor import Actor, KnowledgeEditor, utc_now
from bot.moderation.permissions import ModerationPolicy
from bot.storage.moderation import (
    BriefingStore,
    InsightStore,
    ModRoleStore,
    PrivacyStore,
    RevisionStore,
)

log = logging.getLogger(__name__)

PAGE_CHARS = 3800  # an embed description holds 4096; leave room for a header line


@dataclass
class Moderation:
    """The moderator tools' services for one bot."""

    editor: KnowledgeEditor
    revisions: RevisionStore
    roles: ModRoleStore
    briefings: BriefingStore
    insights: InsightStore
    privacy: PrivacyStore
    policy: ModerationPolicy
    clock: Callable[[], dt.datetime] = utc_now
    started: bool = field(default=False)

    def set_clock(self, clock: Callable[[], dt.datetime]) -> None:
        """Use ``clock`` for revisions and briefings (tests control time this way)."""
        self.clock = clock
        self.editor.clock = clock

    async def start(self) -> None:
        """Once per bot: record knowledge changes made on disk since the last run."""
        if self.started:
            return
        self.started = True
        external = await self.editor.start()
        if external:
            log.info("knowledge changed on disk since the last run",
                     extra={"files": [r.file for r in external]})


_SERVICES: weakref.WeakKeyDictionary[LabwireBot, Moderation] = weakref.WeakKeyDictionary()


def moderation(bot: LabwireBot) -> Moderation:
    found = _SERVICES.get(bot)
    if found is None:
        revisions = RevisionStore(bot.db)
        found = Moderation(
            editor=KnowledgeEditor(bot.service, revisions),
            revisions=revisions,
            roles=ModRoleStore(bot.db),
            briefings=BriefingStore(bot.db),
            insights=InsightStore(bot.db),
            privacy=PrivacyStore(bot.db),
            policy=ModerationPolicy.from_env(bot.config.env),
        )
        _SERVICES[bot] = found
    return found


def actor(interaction: discord.Interaction[Any]) -> Actor:
    return Actor(user_id=interaction.user.id, name=str(interaction.user),
                 guild_id=interaction.guild_id)


def refuse(
    interaction: discord.Interaction[Any], command: str, reason: str, text: str
) -> NoReturn:
    """Log the refused attempt and raise; the error handler replies ephemerally."""
    log.warning("moderator command refused", extra={
        "command": command, "reason": reason, "user_id": interaction.user.id,
        "guild_id": interaction.guild_id})
    raise Refusal(text)


async def is_moderator(bot: LabwireBot, interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild_id is None:
        return False
    services = moderation(bot)
    role_ids = [role.id for role in getattr(interaction.user, "roles", ())]
    guild_roles = await services.roles.roles(interaction.guild_id)
    return services.policy.is_moderator(manage_guild=interaction.permissions.manage_guild,
                                        role_ids=role_ids, guild_mod_role_ids=guild_roles)


async def require_moderator(
    bot: LabwireBot, interaction: discord.Interaction[Any], command: str, *,
    edits: bool = False,
) -> None:
    """Refuse non-moderators; with ``edits``, also guilds that may not change knowledge."""
    if interaction.guild_id is None:
        refuse(interaction, command, "dm", "Moderator commands work in a server, not in DMs.")
    if not await is_moderator(bot, interaction):
        refuse(interaction, command, "not_moderator",
               "This command is for moderators (Manage Server, or a moderator role).")
    if edits and not moderation(bot).policy.may_edit_knowledge(interaction.guild_id):
        refuse(interaction, command, "not_curator_guild",
               "The knowledge base is shared by every server that uses Labwire, so it is "
               "edited from the curators' server only. Here, moderator commands are read-only.")


def problem_lines(problems: Sequence[Problem]) -> list[str]:
    """``file:line:col`` in code style, then the message, one problem per line."""
    return [f"`{truncate(f'{p.file}:{p.line}:{p.col}', 200)}` "
            f"{escape_user_text(truncate(p.message, 600))}" for p in problems]


def paginate(lines: Sequence[str], limit: int = PAGE_CHARS) -> list[str]:
    """Whole lines per page, each page at most ``limit`` characters."""
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = truncate(line, limit)
        if current and size + len(line) + 1 > limit:
            pages.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current or not pages:
        pages.append("\n".join(current))
    return pages


def page_embed(title: str, pages: list[str], index: int, *, warn: bool = False) -> discord.Embed:
    embed = discord.Embed(title=truncate(title, 256), description=pages[index][
        :EMBED_DESCRIPTION_MAX], colour=WARN if warn else BRAND)
    if len(pages) > 1:
        embed.set_footer(text=f"Page {index + 1}/{len(pages)}")
    return fit_embed(embed)


class PagesView(OwnerView):
    """Previous/Next through a long list (validation problems, history)."""

    command = "kb:pages"

    def __init__(self, bot: LabwireBot, owner_id: int, title: str, pages: list[str],
                 *, warn: bool = False) -> None:
        super().__init__(bot, owner_id)
        self.title = title
        self.pages = pages
        self.index = 0
        self.warn = warn
        self._sync_buttons()

    def embed(self) -> discord.Embed:
        return page_embed(self.title, self.pages, self.index, warn=self.warn)

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.index == 0
        self.next_page.disabled = self.index >= len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction[Any], step: int) -> None:
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            self.index = max(0, min(len(self.pages) - 1, self.index + step))
            self._sync_buttons()
            await interaction.response.edit_message(embed=self.embed(), view=self)
            span.outcome = f"page:{self.index + 1}"

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary,
                       custom_id="kb:pages:previous")
    async def previous_page(self, interaction: discord.Interaction[Any],
                       _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary,
                       custom_id="kb:pages:next")
    async def next_page(
        self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]
    ) -> None:
        await self._turn(interaction, 1)


async def send_private(
    interaction: discord.Interaction[Any], *, embed: discord.Embed,
    view: discord.ui.View | None = None, file: discord.File | None = None,
) -> discord.Message | None:
    """An ephemeral reply, or an ephemeral followup once the interaction was deferred."""
    extra: dict[str, Any] = {}
    if view is not None:
        extra["view"] = view
    if file is not None:
        extra["file"] = file
    if interaction.response.is_done():
        return await interaction.followup.send(embed=embed, ephemeral=True, wait=True,
                                               allowed_mentions=NO_MENTIONS, **extra)
    await interaction.response.send_message(embed=embed, ephemeral=True,
                                            allowed_mentions=NO_MENTIONS, **extra)
    return None


async def send_pages(
    bot: LabwireBot, interaction: discord.Interaction[Any], title: str, lines: Sequence[str],
    *, warn: bool = False, intro: str = "",
) -> None:
    """Send ``lines`` ephemerally, with Previous/Next when they do not fit one embed."""
    pages = paginate(lines, PAGE_CHARS - len(intro))
    if intro:
        pages = [f"{intro}\n{page}" if page else intro for page in pages]
    if len(pages) == 1:
        await send_private(interaction, embed=page_embed(title, pages, 0, warn=warn))
        return
    view = PagesView(bot, interaction.user.id, title, pages, warn=warn)
    message = await send_private(interaction, embed=view.embed(), view=view)
    view.bind(origin=interaction if message is None else None, message=message)
