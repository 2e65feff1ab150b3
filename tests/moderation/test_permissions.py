"""Moderator and curator-guild rules."""

from __future__ import annotations

from bot.moderation.permissions import ModerationPolicy


def test_manage_server_or_a_mod_role() -> None:
    policy = ModerationPolicy(mod_role_ids=frozenset({10}))
    assert policy.is_moderator(manage_guild=True, role_ids=[])
    assert policy.is_moderator(manage_guild=False, role_ids=[3, 10])
    assert policy.is_moderator(manage_guild=False, role_ids=[30], guild_mod_role_ids=[30])
    assert not policy.is_moderator(manage_guild=False, role_ids=[3], guild_mod_role_ids=[30])


def test_curator_guilds_limit_edits_once_configured() -> None:
    assert ModerationPolicy().may_edit_knowledge(1)
    assert not ModerationPolicy().may_edit_knowledge(None)  # never from DMs
    curated = ModerationPolicy(curator_guild_ids=frozenset({1}))
    assert curated.may_edit_knowledge(1) and not curated.may_edit_knowledge(2)
    assert curated.sees_all_guilds(1) and not curated.sees_all_guilds(2)

