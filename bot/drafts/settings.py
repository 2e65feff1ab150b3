"""The settings of drafting and feeds, read from one environment mapping in one place.

``LABWIRE_FETCH_ALLOW_PRIVATE`` (default off) lets links reach private and
loopback addresses, for tests and self-hosters; ``LABWIRE_FEED_POLL_SECONDS``
(default 3600) is how often the bot polls feeds; ``LABWIRE_MOD_CHANNEL_ID`` is
the channel where new feed items and failing feeds are posted for moderators.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ALLOW_PRIVATE_ENV = "LABWIRE_FETCH_ALLOW_PRIVATE"
FEED_POLL_ENV = "LABWIRE_FEED_POLL_SECONDS"
MOD_CHANNEL_ENV = "LABWIRE_MOD_CHANNEL_ID"
DEFAULT_FEED_POLL_SECONDS = 3600.0
MIN_FEED_POLL_SECONDS = 1.0

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


class SettingsError(ValueError):
    """One or more settings are wrong; one sentence per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CurationSettings:
    fetch_allow_private: bool = False
    feed_poll_seconds: float = DEFAULT_FEED_POLL_SECONDS
    moderator_channel_id: int | None = None


def curation_settings(env: Mapping[str, str]) -> CurationSettings:
    """Parse the settings from ``env``; raise :class:`SettingsError` listing every problem."""
    problems: list[str] = []
    allow = env.get(ALLOW_PRIVATE_ENV, "").strip().lower()
    if allow not in _TRUE + _FALSE:
        problems.append(f"{ALLOW_PRIVATE_ENV}: '{allow}' must be 1 or 0.")
    poll_text = env.get(FEED_POLL_ENV, "").strip()
    poll = DEFAULT_FEED_POLL_SECONDS
    if poll_text:
        try:
            poll = float(poll_text)
        except ValueError:
            poll = -1.0
        if not poll >= MIN_FEED_POLL_SECONDS:
            problems.append(f"{FEED_POLL_ENV}: '{poll_text}' must be a number of seconds, "
                            f"at least {MIN_FEED_POLL_SECONDS:g}.")
            poll = DEFAULT_FEED_POLL_SECONDS
    channel_text = env.get(MOD_CHANNEL_ENV, "").strip()
    channel: int | None = None
    if channel_text:
        if channel_text.isdigit() and 15 <= len(channel_text) <= 21:
            channel = int(channel_text)
        else:
            problems.append(f"{MOD_CHANNEL_ENV}: '{channel_text[:40]}' is not a Discord channel "
                            "id (15-21 digits).")
    if problems:
        raise SettingsError(problems)
    return CurationSettings(allow in _TRUE, poll, channel)
