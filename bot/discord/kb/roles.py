"""``/kb config mod-role``: which roles may use moderator commands in this server."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.kb.context import KbContext
from bot.discord.moderators import refuse
from bot.discord.replies import notice

log = logging.getLogger(__name__)


async def change_mod_role(context: KbContext, interaction: discord.Interaction[Any],
                          role: discord.Role, remove: bool) -> str:
    # Only Manage Server may decide who moderates; a mod role cannot grant itself more.
    if interaction.guild_id is None or not interaction.permissions.manage_guild:
        refuse(interaction, "kb config mod-role", "not_manager",
               "Only members with Manage Server can choose moderator roles.")
    guild_id = interaction.guild_id
    roles = context.moderation.roles
    if remove:
        done = "removed" if await roles.remove(guild_id, role.id) else "was not a moderator role"
    else:
        await roles.add(guild_id, role.id, interaction.user.id, context.moderation.clock())
        done = "added"
    listed = ", ".join(f"<@&{r}>" for r in sorted(await roles.roles(guild_id)))
    await notice(interaction, f"{role.mention} {done}. Moderator roles here: "
                              f"{listed or 'none (Manage Server only)'}.")
    log.info("moderator roles changed", extra={"guild_id": guild_id, "role_id": role.id,
                                               "removed": remove, "by": interaction.user.id})
    return "removed" if remove else "added"
