"""Reusable views, in the style of RoboDanny's small views.

:class:`OwnerView` is the base for any per-user flow (``/risk``, "Did you mean…",
a confirm button, a list of pages): only its owner may use it, anyone else gets
an ephemeral refusal, it disables its components when it times out, and its
errors go to the one error reply.  Subclasses set ``refusal`` and ``command`` and
call :meth:`OwnerView.bind` with the interaction whose response carries the view
(ephemeral messages can only be edited through that interaction).

:func:`send_pages` shows a long list ephemerally, with Previous/Next
(:class:`PagesView`) when it does not fit one embed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import discord

from bot.discord.embeds import BRAND, WARN, notice_embed
from bot.discord.limits import EMBED_DESCRIPTION_MAX, EMBED_TITLE_MAX, PAGE_CHARS
from bot.discord.replies import NO_MENTIONS, answer_failure, reply
from bot.discord.text import fit_embed, truncate
from bot.discord.tracking import InteractionTracker

log = logging.getLogger(__name__)


class OwnerView(discord.ui.View):
    """A view only ``owner_id`` may use; it disables itself after ``timeout`` s idle."""

    refusal = "This isn't yours. Use the command yourself to get your own."
    command = "view"

    def __init__(self, tracker: InteractionTracker, owner_id: int, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.tracker = tracker
        self.owner_id = owner_id
        self.origin: discord.Interaction[Any] | None = None
        self.message: discord.Message | None = None
        self.timed_out = False

    def bind(self, origin: discord.Interaction[Any] | None = None,
             message: discord.Message | None = None) -> None:
        """Remember where the view is shown, so the timeout can disable it there."""
        self.origin = origin
        self.message = message

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        self.tracker.ensure_accepting()
        if interaction.user.id == self.owner_id:
            return True
        self.tracker.finish(interaction.id, self.command, "refused:not_owner")
        await interaction.response.send_message(
            embed=notice_embed(self.refusal), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        return False

    def disable_all(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def on_timeout(self) -> None:
        self.timed_out = True
        self.disable_all()
        await self.refresh(content=self.timeout_text())

    def timeout_text(self) -> str | None:
        """Text shown when the view expires (None keeps the message's text)."""
        return None

    async def refresh(self, **fields: Any) -> None:
        """Edit the message that shows this view (not via a click's interaction)."""
        fields = {k: v for k, v in fields.items() if v is not None}
        try:
            if self.origin is not None:
                await self.origin.edit_original_response(view=self, **fields)
            elif self.message is not None:
                await self.message.edit(view=self, **fields)
        except discord.HTTPException as exc:
            # The interaction token lives 15 minutes; an expired one is not an error.
            log.warning("could not update an expired view",
                        extra={"command": self.command, "status": exc.status})

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await answer_failure(self.tracker, interaction, error, where=self.command)


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
    embed = discord.Embed(title=truncate(title, EMBED_TITLE_MAX),
                          description=pages[index][:EMBED_DESCRIPTION_MAX],
                          colour=WARN if warn else BRAND)
    if len(pages) > 1:
        embed.set_footer(text=f"Page {index + 1}/{len(pages)}")
    return fit_embed(embed)


class PagesView(OwnerView):
    """Previous/Next through a long list (validation problems, history)."""

    command = "pages"

    def __init__(self, tracker: InteractionTracker, owner_id: int, title: str, pages: list[str],
                 *, timeout: float, warn: bool = False) -> None:
        super().__init__(tracker, owner_id, timeout=timeout)
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
        async with self.tracker.span(interaction.id, self.command) as span:
            self.index = max(0, min(len(self.pages) - 1, self.index + step))
            self._sync_buttons()
            await interaction.response.edit_message(embed=self.embed(), view=self)
            span.outcome = f"page:{self.index + 1}"

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary,
                       custom_id="pages:previous")
    async def previous_page(self, interaction: discord.Interaction[Any],
                            _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary, custom_id="pages:next")
    async def next_page(self, interaction: discord.Interaction[Any],
                        _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)


async def send_pages(
    tracker: InteractionTracker, interaction: discord.Interaction[Any], title: str,
    lines: Sequence[str], *, view_timeout: float, warn: bool = False, intro: str = "",
) -> None:
    """Send ``lines`` ephemerally, with Previous/Next when they do not fit one embed."""
    pages = paginate(lines, PAGE_CHARS - len(intro))
    if intro:
        pages = [f"{intro}\n{page}" if page else intro for page in pages]
    if len(pages) == 1:
        await reply(interaction, embed=page_embed(title, pages, 0, warn=warn))
        return
    view = PagesView(tracker, interaction.user.id, title, pages, timeout=view_timeout,
                     warn=warn)
    message = await reply(interaction, embed=view.embed(), view=view)
    view.bind(origin=interaction if message is None else None, message=message)
