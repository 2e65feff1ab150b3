"""``/privacy``: members see (``export-me``) or delete (``forget-me``) what is stored about them.

Forgetting asks for a confirmation button first and then says how many rows went,
per kind.  Works in servers and in DMs: it is about the caller, not a guild.
"""

from __future__ import annotations

import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.clock import Clock
from bot.discord.bot import LabwireBot
from bot.discord.embeds import BRAND, WARN, notice_embed
from bot.discord.replies import NO_MENTIONS, reply
from bot.discord.text import fit_embed
from bot.discord.tracking import InteractionTracker
from bot.discord.views import OwnerView
from bot.moderation.privacy import export_user, forget_user
from bot.storage.moderation import PrivacyStore


def stored_text(retention_days: int) -> str:
    return (f"your questions to the bot (kept {retention_days} days), your 👍/👎 on answers "
            "and your risk-quiz results")


class ForgetView(OwnerView):
    command = "privacy:forget"
    refusal = "Only the person who asked can confirm this. Use /privacy forget-me yourself."

    def __init__(self, tracker: InteractionTracker, owner_id: int, store: PrivacyStore, *,
                 timeout: float) -> None:
        super().__init__(tracker, owner_id, timeout=timeout)
        self.store = store

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger,
                       custom_id="privacy:forget:confirm")
    async def confirm(self, interaction: discord.Interaction[Any],
                      _: discord.ui.Button[Any]) -> None:
        async with self.tracker.span(interaction.id, self.command) as span:
            report = await forget_user(self.store, interaction.user.id)
            self.stop()
            await interaction.response.edit_message(
                embed=fit_embed(discord.Embed(title="Done", colour=BRAND,
                                              description=report.describe() + ".")),
                view=None, allowed_mentions=NO_MENTIONS)
            span.outcome = f"deleted:{report.total}"

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary,
                       custom_id="privacy:forget:cancel")
    async def cancel(self, interaction: discord.Interaction[Any],
                     _: discord.ui.Button[Any]) -> None:
        async with self.tracker.span(interaction.id, self.command) as span:
            self.stop()
            await interaction.response.edit_message(
                embed=notice_embed("Nothing was deleted."), view=None)
            span.outcome = "cancelled"

    def timeout_text(self) -> str:
        return "This request expired; nothing was deleted."


class Privacy(commands.GroupCog, group_name="privacy",
              group_description="See or delete what Labwire stores about you"):
    def __init__(self, store: PrivacyStore, tracker: InteractionTracker, clock: Clock, *,
                 retention_days: int, view_timeout: float) -> None:
        self.store = store
        self.tracker = tracker
        self.clock = clock
        self.retention_days = retention_days
        self.view_timeout = view_timeout

    @app_commands.command(name="forget-me", description="Delete everything Labwire stores "
                                                        "about you (asks to confirm)")
    async def forget_me(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "privacy forget-me") as span:
            view = ForgetView(self.tracker, interaction.user.id, self.store,
                              timeout=self.view_timeout)
            embed = discord.Embed(
                title="Delete your data?", colour=WARN,
                description=f"This deletes {stored_text(self.retention_days)}, "
                            "in every server. It cannot be undone.")
            await reply(interaction, embed=fit_embed(embed), view=view)
            view.bind(interaction)
            span.outcome = "asked"

    @app_commands.command(name="export-me", description="Get a file with everything Labwire "
                                                        "stores about you")
    async def export_me(self, interaction: discord.Interaction[Any]) -> None:
        async with self.tracker.span(interaction.id, "privacy export-me") as span:
            text = await export_user(self.store, interaction.user.id, self.clock())
            stored = stored_text(self.retention_days)
            await reply(
                interaction, embed=notice_embed(f"What Labwire stores about you: {stored}."),
                file=discord.File(io.BytesIO(text.encode("utf-8")),
                                  filename=f"labwire-data-{interaction.user.id}.json"))
            span.outcome = "sent"


async def setup(bot: LabwireBot) -> None:
    services = bot.services
    await bot.add_cog(Privacy(services.moderation.privacy, services.tracker, services.clock,
                              retention_days=services.settings.retention_days,
                              view_timeout=services.settings.view_timeout))
