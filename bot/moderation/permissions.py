"""Who may use moderator commands, and from which guilds knowledge may be edited.

Pure rules over plain values, so the Discord adapter only has to collect the
caller's permissions and roles.  The two lists come from the settings
``LABWIRE_MOD_ROLE_IDS`` and ``LABWIRE_CURATOR_GUILD_IDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ModerationPolicy:
    """Moderator roles valid in every guild, and the guilds allowed to edit knowledge.

    ``curator_guild_ids`` empty means every guild may edit: a bot in one server
    needs no configuration.  Once set, other guilds get read-only commands.
    """

    mod_role_ids: frozenset[int] = frozenset()
    curator_guild_ids: frozenset[int] = frozenset()

    def is_moderator(
        self,
        *,
        manage_guild: bool,
        role_ids: Iterable[int],
        guild_mod_role_ids: Iterable[int] = (),
    ) -> bool:
        """Manage Server, or any role listed in the environment or for this guild."""
        if manage_guild:
            return True
        allowed = self.mod_role_ids | frozenset(guild_mod_role_ids)
        return not allowed.isdisjoint(role_ids)

    def may_edit_knowledge(self, guild_id: int | None) -> bool:
        """Edits change the one global knowledge base, so only curator guilds may make them."""
        if guild_id is None:
            return False
        return not self.curator_guild_ids or guild_id in self.curator_guild_ids

    def sees_all_guilds(self, guild_id: int | None) -> bool:
        """Curators maintain the global knowledge, so they see every guild's questions."""
        return bool(self.curator_guild_ids) and guild_id in self.curator_guild_ids
