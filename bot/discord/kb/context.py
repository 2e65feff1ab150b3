"""What every ``/kb`` job needs, bundled once for the feature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.discord.entries import EntryPicker
from bot.discord.moderators import require_moderator
from bot.discord.tracking import InteractionTracker
from bot.moderation.services import ModerationServices
from bot.runtime import KnowledgeService


@dataclass(frozen=True)
class KbContext:
    knowledge: KnowledgeService
    moderation: ModerationServices
    entries: EntryPicker
    tracker: InteractionTracker
    view_timeout: float

    async def require_moderator(self, interaction: discord.Interaction[Any], command: str, *,
                                edits: bool = False) -> int:
        """Refuse anyone but a moderator (and, for ``edits``, non-curator guilds)."""
        return await require_moderator(self.moderation, interaction, command, edits=edits)

    def guild_scope(self, interaction: discord.Interaction[Any]) -> int | None:
        """Curators see every guild's questions (None); other guilds only their own."""
        if self.moderation.policy.sees_all_guilds(interaction.guild_id):
            return None
        return interaction.guild_id
