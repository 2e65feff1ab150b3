"""The one error handler for slash commands, views and buttons.

Expected refusals (cooldown, a check that failed, the bot shutting down) get a
short ephemeral notice.  Anything else gets an ephemeral "something went wrong"
with a short error id, and the log gets the traceback under that same id, so a
user's report can be matched to the log line.  The bot keeps running.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.discord.embeds import notice_embed

if TYPE_CHECKING:
    from bot.discord.client import LabwireBot

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()


class ShuttingDown(app_commands.CheckFailure):
    """The bot is draining for a restart and takes no new work."""


class Refusal(app_commands.CheckFailure):
    """A check refused the user; ``message`` is shown to them ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


RESTARTING = "Labwire is restarting. Please try again in a minute."


def new_error_id() -> str:
    return secrets.token_hex(4)


def command_name(interaction: discord.Interaction[Any]) -> str:
    """``ask``, ``risk``, or ``component:<custom id prefix>`` for clicks."""
    if interaction.command is not None:
        return interaction.command.qualified_name
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", "") or "")
    if custom_id:
        return "component:" + ":".join(custom_id.split(":")[:2])
    return str(data.get("name") or interaction.type.name)


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply or follow up ephemerally; never raises (the interaction may have expired)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(embed=notice_embed(text), ephemeral=True,
                                            allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(embed=notice_embed(text), ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as exc:
        log.warning("could not tell the user about an error",
                    extra={"status": exc.status, "code": exc.code})


async def handle_interaction_error(
    bot: LabwireBot, interaction: discord.Interaction[Any], error: BaseException, where: str = ""
) -> str | None:
    """Answer the user and log; return the error id for unexpected errors."""
    name = where or command_name(interaction)
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, ShuttingDown):
        bot.tracker.finish(interaction.id, name, "refused:shutting_down")
        await send_ephemeral(interaction, RESTARTING)
        return None
    if isinstance(error, app_commands.CommandOnCooldown):
        bot.tracker.finish(interaction.id, name, "cooldown")
        await send_ephemeral(interaction, f"Easy there! Try again in {error.retry_after:.0f} s.")
        return None
    if isinstance(error, Refusal):
        bot.tracker.finish(interaction.id, name, "refused")
        await send_ephemeral(interaction, error.message)
        return None
    if isinstance(error, app_commands.CheckFailure):
        bot.tracker.finish(interaction.id, name, "refused")
        await send_ephemeral(interaction, "You can't use that here.")
        return None
    error_id = new_error_id()
    log.error(
        "interaction failed (error id %s) in %s", error_id, name,
        exc_info=(type(error), error, error.__traceback__),
        extra={"error_id": error_id, "command": name, "interaction_id": interaction.id},
    )
    bot.tracker.finish(interaction.id, name, "error", error_id=error_id)
    await send_ephemeral(
        interaction,
        f"Sorry, something went wrong on my side. If it keeps happening, tell a moderator "
        f"the error id `{error_id}`.",
    )
    return error_id


def log_background_error(error: BaseException, where: str) -> str:
    """For failures outside an interaction (a mention reply, a timer): log with an id."""
    error_id = new_error_id()
    log.error("%s failed (error id %s)", where, error_id,
              exc_info=(type(error), error, error.__traceback__),
              extra={"error_id": error_id, "command": where})
    return error_id
