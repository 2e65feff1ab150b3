"""``/kb config mod-role``: which roles may use moderator commands in this server."""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.discord.kb.context import KbContext
from bot.discord.moderators import refuse
from bot.discord.replies import notice

log = logging.getLogger(__name__)

# Discord shows /kb and /briefing only to Manage Server by default (default_permissions),
# and a bot cannot change who sees a command: the server admin does, once per command.
SHOW_COMMANDS = (
    "Members with only {role} can use the moderator commands but cannot see them yet: in "
    "**Server Settings → Integrations → Labwire**, open **/kb** and **/briefing**, choose "
    "**Add Roles or Members**, pick {role} and allow it.")


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
    text = f"{role.mention} {done}. Moderator roles here: {listed or 'none (Manage Server only)'}."
    if not remove:
        text += "\n" + SHOW_COMMANDS.format(role=role.mention)
    await notice(interaction, text)
    log.info("moderator roles changed", extra={"guild_id": guild_id, "role_id": role.id,
                                               "removed": remove, "by": interaction.user.id})
    return "removed" if remove else "added"
