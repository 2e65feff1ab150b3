"""Reusable view bases (in the style of RoboDanny's views).

:class:`OwnerView` is the base for any per-user flow (``/risk``, "Did you
mean…", a moderator's confirm button): only its owner may use it, anyone else
gets an ephemeral refusal, it disables its components when it times out, and
its errors go to the one error handler.  Subclasses set ``refusal`` and
``command`` and call :meth:`bind` with the interaction whose response carries
the view (ephemeral messages can only be edited through that interaction).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.discord.embeds import notice_embed
from bot.discord.errors import NO_MENTIONS, ShuttingDown, handle_interaction_error

if TYPE_CHECKING:
    from bot.discord.client import LabwireBot

log = logging.getLogger(__name__)


class OwnerView(discord.ui.View):
    """A view only ``owner_id`` may use; it disables itself after ``timeout`` s idle."""

    refusal = "This isn't yours. Use the command yourself to get your own."
    command = "view"

    def __init__(self, bot: LabwireBot, owner_id: int, *, timeout: float | None = None) -> None:
        super().__init__(timeout=bot.config.view_timeout if timeout is None else timeout)
        self.bot = bot
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
        if not self.bot.accepting:
            raise ShuttingDown()
        if interaction.user.id == self.owner_id:
            return True
        self.bot.tracker.finish(interaction.id, self.command, "refused:not_owner")
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
        await handle_interaction_error(self.bot, interaction, error, where=self.command)
