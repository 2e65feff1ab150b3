"""Refusals the adapter raises on purpose, and error ids for the failures it does not expect.

A leaf module: it imports nothing else from :mod:`bot.discord`, so any module can
raise these.  :func:`bot.discord.replies.answer_failure` turns them into a reply.

Expected refusals (a check that failed, the bot shutting down) get a short
ephemeral notice.  Anything else gets "something went wrong" with a short error
id, and the log gets the traceback under that same id, so a user's report can be
matched to the log line.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)

RESTARTING = "Labwire is restarting. Please try again in a minute."


class ShuttingDown(app_commands.CheckFailure):
    """The bot is draining for a restart and takes no new work."""


class Refusal(app_commands.CheckFailure):
    """A check refused the user; ``message`` is shown to them ephemerally."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Failure:
    """What to tell the user about an error, and the outcome to log for the interaction."""

    outcome: str
    text: str
    error_id: str | None = None


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


def classify(error: BaseException, where: str, interaction_id: int) -> Failure:
    """The reply for ``error``; unexpected errors are logged here with a new error id."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, ShuttingDown):
        return Failure("refused:shutting_down", RESTARTING)
    if isinstance(error, app_commands.CommandOnCooldown):
        return Failure("cooldown", f"Easy there! Try again in {error.retry_after:.0f} s.")
    if isinstance(error, Refusal):
        return Failure("refused", error.message)
    if isinstance(error, app_commands.CheckFailure):
        return Failure("refused", "You can't use that here.")
    error_id = new_error_id()
    log.error(
        "interaction failed (error id %s) in %s", error_id, where,
        exc_info=(type(error), error, error.__traceback__),
        extra={"error_id": error_id, "command": where, "interaction_id": interaction_id},
    )
    return Failure("error", "Sorry, something went wrong on my side. If it keeps happening, "
                            f"tell a moderator the error id `{error_id}`.", error_id)


def log_background_error(error: BaseException, where: str) -> str:
    """For failures outside an interaction (a mention reply, a timer): log with an id."""
    error_id = new_error_id()
    log.error("%s failed (error id %s)", where, error_id,
              exc_info=(type(error), error, error.__traceback__),
              extra={"error_id": error_id, "command": where})
    return error_id
