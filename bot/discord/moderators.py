"""Who may use the moderator commands (``/kb``, ``/briefing``), and how a refusal is told.

Hidden from members by default (``default_permissions(manage_guild)``), the
commands check again at run time, because server admins can change who sees a
command: Manage Server, or a moderator role (from the settings or added with
``/kb config mod-role``).  Edits are refused outside the curator guilds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NoReturn

import discord

from bot.discord.errors import Refusal
from bot.discord.text import escape_user_text, truncate
from bot.knowledge import Problem
from bot.moderation.editor import Actor
from bot.moderation.services import ModerationServices

log = logging.getLogger(__name__)

PROBLEM_PLACE_MAX = 200
PROBLEM_MESSAGE_MAX = 600


def actor(interaction: discord.Interaction[Any]) -> Actor:
    return Actor(user_id=interaction.user.id, name=str(interaction.user),
                 guild_id=interaction.guild_id)


def refuse(
    interaction: discord.Interaction[Any], command: str, reason: str, text: str
) -> NoReturn:
    """Log the refused attempt and raise; the error reply answers ephemerally."""
    log.warning("moderator command refused", extra={
        "command": command, "reason": reason, "user_id": interaction.user.id,
        "guild_id": interaction.guild_id})
    raise Refusal(text)


async def is_moderator(moderation: ModerationServices,
                       interaction: discord.Interaction[Any]) -> bool:
    if interaction.guild_id is None:
        return False
    role_ids = [role.id for role in getattr(interaction.user, "roles", ())]
    guild_roles = await moderation.roles.roles(interaction.guild_id)
    return moderation.policy.is_moderator(manage_guild=interaction.permissions.manage_guild,
                                          role_ids=role_ids, guild_mod_role_ids=guild_roles)


async def require_moderator(
    moderation: ModerationServices, interaction: discord.Interaction[Any], command: str, *,
    edits: bool = False,
) -> int:
    """Refuse non-moderators (with ``edits``, also guilds that may not change knowledge);
    return the guild id."""
    guild_id = interaction.guild_id
    if guild_id is None:
        refuse(interaction, command, "dm", "Moderator commands work in a server, not in DMs.")
    if not await is_moderator(moderation, interaction):
        refuse(interaction, command, "not_moderator",
               "This command is for moderators (Manage Server, or a moderator role).")
    if edits and not moderation.policy.may_edit_knowledge(guild_id):
        refuse(interaction, command, "not_curator_guild",
               "The knowledge base is shared by every server that uses Labwire, so it is "
               "edited from the curators' server only. Here, moderator commands are read-only.")
    return guild_id


def problem_lines(problems: Sequence[Problem]) -> list[str]:
    """``file:line:col`` in code style, then the message, one problem per line."""
    return [f"`{truncate(f'{p.file}:{p.line}:{p.col}', PROBLEM_PLACE_MAX)}` "
            f"{escape_user_text(truncate(p.message, PROBLEM_MESSAGE_MAX))}" for p in problems]
