"""Acknowledge within Discord's 3 seconds, even when the work before the reply is slow.

Discord drops an interaction that gets no response within 3 s.  Work that
normally takes milliseconds (a database write before "saved") can stall under
load, so :func:`before_reply` gives it ``bot.config.ack_budget`` seconds and
defers the interaction if it is still running; :func:`update_message` and
:func:`reply` then send through whichever path is still open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord

from bot.discord.errors import NO_MENTIONS

T = TypeVar("T")


async def before_reply(
    interaction: discord.Interaction[Any], work: Awaitable[T], budget: float, *,
    updates_message: bool = False, ephemeral: bool = True,
) -> T:
    """Await ``work``; if it outlasts ``budget`` s, defer so Discord keeps waiting."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=budget)
    if not done and not interaction.response.is_done():
        if updates_message:
            await interaction.response.defer()  # "deferred update": edit the message later
        else:
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    return await task


async def update_message(interaction: discord.Interaction[Any], **fields: Any) -> None:
    """Edit the message a component is on, directly or after a deferral."""
    if interaction.response.is_done():
        await interaction.edit_original_response(**fields)
    else:
        await interaction.response.edit_message(**fields)


async def reply(interaction: discord.Interaction[Any], *, ephemeral: bool, **fields: Any) -> None:
    """Send a response, or a followup if the interaction was deferred."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, allowed_mentions=NO_MENTIONS,
                                        **fields)
    else:
        await interaction.response.send_message(ephemeral=ephemeral,
                                                allowed_mentions=NO_MENTIONS, **fields)
