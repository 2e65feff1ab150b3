"""Moderator and curator-guild rules."""

from __future__ import annotations

import pytest

from bot.moderation.permissions import ModerationPolicy, SettingError, parse_id_list


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


def test_environment_parsing() -> None:
    policy = ModerationPolicy.from_env({"LABWIRE_MOD_ROLE_IDS": "10, 11 12",
                                        "LABWIRE_CURATOR_GUILD_IDS": ""})
    assert policy.mod_role_ids == {10, 11, 12} and policy.curator_guild_ids == frozenset()
    with pytest.raises(SettingError, match="LABWIRE_MOD_ROLE_IDS: 'abc'"):
        parse_id_list("10,abc", "LABWIRE_MOD_ROLE_IDS")
