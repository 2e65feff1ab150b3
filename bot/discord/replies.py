"""Everything the bot sends in reply to an interaction goes through here.

- :func:`reply`: the one "respond, or follow up if already responded" helper;
  ephemeral unless asked otherwise, never pinging anyone.
- :func:`notice`: a short ephemeral sentence.
- :func:`update`: edit the message a button or select is on.
- :func:`within_budget`: Discord drops an interaction that gets no response
  within 3 s; work that normally takes milliseconds (a database write) gets
  ``Settings.ack_budget`` seconds, then the interaction is deferred.
- :func:`answer_failure`: the one error reply (refusals, or an error id).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot.discord.embeds import notice_embed
from bot.discord.errors import classify, command_name
from bot.discord.tracking import InteractionTracker

log = logging.getLogger(__name__)

T = TypeVar("T")
NO_MENTIONS = discord.AllowedMentions.none()


async def reply(
    interaction: discord.Interaction[Any], *, ephemeral: bool = True,
    embed: discord.Embed | None = None, view: discord.ui.View | None = None,
    file: discord.File | None = None,
) -> discord.Message | None:
    """Respond, or follow up once the interaction was responded to or deferred.

    Returns the follow-up message (a response has none until fetched).
    """
    fields: dict[str, Any] = {"ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
    if embed is not None:
        fields["embed"] = embed
    if view is not None:
        fields["view"] = view
    if file is not None:
        fields["file"] = file
    if interaction.response.is_done():
        return await interaction.followup.send(wait=True, **fields)
    await interaction.response.send_message(**fields)
    return None


async def notice(interaction: discord.Interaction[Any], text: str) -> None:
    await reply(interaction, embed=notice_embed(text))


async def update(interaction: discord.Interaction[Any], **fields: Any) -> None:
    """Edit the message a component is on, directly or after a deferral."""
    if interaction.response.is_done():
        await interaction.edit_original_response(**fields)
    else:
        await interaction.response.edit_message(**fields)


async def within_budget(
    interaction: discord.Interaction[Any], work: Awaitable[T], budget: float, *,
    updates_message: bool = False,
) -> T:
    """Await ``work``; if it outlasts ``budget`` s, defer so Discord keeps waiting."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=budget)
    if not done and not interaction.response.is_done():
        if updates_message:
            await interaction.response.defer()  # "deferred update": edit the message later
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


async def answer_failure(
    tracker: InteractionTracker, interaction: discord.Interaction[Any], error: BaseException,
    where: str = "",
) -> str | None:
    """Tell the user, log, finish the interaction; return the error id of unexpected errors."""
    name = where or command_name(interaction)
    failure = classify(error, name, interaction.id)
    if failure.error_id is None:
        tracker.finish(interaction.id, name, failure.outcome)
    else:
        tracker.finish(interaction.id, name, failure.outcome, error_id=failure.error_id)
    try:
        await notice(interaction, failure.text)
    except discord.HTTPException as exc:  # the interaction may have expired
        log.warning("could not tell the user about an error",
                    extra={"status": exc.status, "code": exc.code})
    return failure.error_id
