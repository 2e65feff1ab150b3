"""The drafting and feed settings: defaults, parsing, and problems reported at start."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.discord.config import ConfigError, load_config
from bot.drafts.settings import SettingsError, curation_settings


def test_defaults_keep_the_guard_on_and_poll_hourly() -> None:
    settings = curation_settings({})
    assert settings.fetch_allow_private is False
    assert settings.feed_poll_seconds == 3600.0
    assert settings.moderator_channel_id is None


def test_values_are_read() -> None:
    settings = curation_settings({"LABWIRE_FETCH_ALLOW_PRIVATE": "1",
                                  "LABWIRE_FEED_POLL_SECONDS": "900",
                                  "LABWIRE_MOD_CHANNEL_ID": "123456789012345678"})
    assert settings.fetch_allow_private is True
    assert settings.feed_poll_seconds == 900.0
    assert settings.moderator_channel_id == 123456789012345678


def test_every_bad_value_is_one_sentence() -> None:
    with pytest.raises(SettingsError) as caught:
        curation_settings({"LABWIRE_FETCH_ALLOW_PRIVATE": "maybe",
                           "LABWIRE_FEED_POLL_SECONDS": "0.1",
                           "LABWIRE_MOD_CHANNEL_ID": "#mods"})
    assert caught.value.problems == [
        "LABWIRE_FETCH_ALLOW_PRIVATE: 'maybe' must be 1 or 0.",
        "LABWIRE_FEED_POLL_SECONDS: '0.1' must be a number of seconds, at least 1.",
        "LABWIRE_MOD_CHANNEL_ID: '#mods' is not a Discord channel id (15-21 digits).",
    ]


def test_the_bot_reports_them_at_start_with_its_other_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config({"DISCORD_TOKEN": "x" * 60, "LABWIRE_KNOWLEDGE": str(tmp_path),
                     "LABWIRE_FEED_POLL_SECONDS": "soon"})
    assert caught.value.problems == [
        "LABWIRE_FEED_POLL_SECONDS: 'soon' must be a number of seconds, at least 1."]
