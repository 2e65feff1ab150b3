"""``/privacy``: members see (``export-me``) or delete (``forget-me``) what is stored about them.

Deleting asks for a confirmation button first and then says how many rows went,
per kind.  Works in servers and in DMs: it is about the caller, not a guild.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.client import LabwireBot
from bot.discord.cogs._moderation import moderation, send_private
from bot.discord.embeds import BRAND, WARN, notice_embed
from bot.discord.errors import NO_MENTIONS
from bot.discord.text import fit_embed
from bot.discord.views import OwnerView
from bot.moderation.privacy import export_user, forget_user


def stored_text(retention_days: int) -> str:
    return (f"your questions to the bot (kept {retention_days} days), your 👍/👎 on answers "
            "and your risk-quiz results")


class ForgetView(OwnerView):
    command = "privacy:forget"
    refusal = "Only the person who asked can confirm this. Use /privacy forget-me yourself."

    @discord.ui.button(label="Delete my data", style=discord.ButtonStyle.danger,
                       custom_id="privacy:forget:confirm")
    async def confirm(self, interaction: discord.Interaction[Any],
                      _: discord.ui.Button[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            report = await forget_user(moderation(self.bot).privacy, interaction.user.id)
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
        async with self.bot.tracker.span(interaction.id, self.command) as span:
            self.stop()
            await interaction.response.edit_message(
                embed=notice_embed("Nothing was deleted."), view=None)
            span.outcome = "cancelled"

    def timeout_text(self) -> str:
        return "This request expired; nothing was deleted."


class Privacy(commands.GroupCog, group_name="privacy",
              group_description="See or delete what Labwire stores about you"):
    def __init__(self, bot: LabwireBot) -> None:
        self.bot = bot

    @app_commands.command(name="forget-me", description="Delete everything Labwire stores "
                                                        "about you (asks to confirm)")
    async def forget_me(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "privacy forget-me") as span:
            view = ForgetView(self.bot, interaction.user.id)
            embed = discord.Embed(
                title="Delete your data?", colour=WARN,
                description=f"This deletes {stored_text(self.bot.config.retention_days)}, "
                            "in every server. It cannot be undone.")
            await send_private(interaction, embed=fit_embed(embed), view=view)
            view.bind(interaction)
            span.outcome = "asked"

    @app_commands.command(name="export-me", description="Get a file with everything Labwire "
                                                        "stores about you")
    async def export_me(self, interaction: discord.Interaction[Any]) -> None:
        async with self.bot.tracker.span(interaction.id, "privacy export-me") as span:
            text = await export_user(moderation(self.bot).privacy, interaction.user.id,
                                     dt.datetime.now(dt.UTC))
            stored = stored_text(self.bot.config.retention_days)
            await send_private(
                interaction, embed=notice_embed(f"What Labwire stores about you: {stored}."),
                file=discord.File(io.BytesIO(text.encode("utf-8")),
                                  filename=f"labwire-data-{interaction.user.id}.json"))
            span.outcome = "sent"


async def setup(bot: LabwireBot) -> None:
    await bot.add_cog(Privacy(bot))
