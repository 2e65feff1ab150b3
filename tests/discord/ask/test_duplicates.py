"""The duplicate rule: one answer per channel per 60 seconds; a failed post frees the slot."""

from __future__ import annotations

from bot.discord.ask.duplicates import RecentAnswers, jump_url
from tests.discord.ask.test_cooldown import Ticks


def test_recent_answers_expire_after_the_window() -> None:
    clock = Ticks()
    recent = RecentAnswers(60.0, clock)
    assert recent.claim(1, "article:a") is None
    recent.settle(1, "article:a", 42, jump_url(7, 1, 42))
    earlier = recent.claim(1, "article:a")
    assert earlier is not None and earlier.message_id == 42
    assert earlier.jump_url == "https://discord.com/channels/7/1/42"
    assert recent.claim(2, "article:a") is None, "per channel"
    clock.now += 60.0
    assert recent.claim(1, "article:a") is None


def test_a_failed_post_lets_the_next_asker_try() -> None:
    recent = RecentAnswers(60.0, Ticks())
    assert recent.claim(1, "article:a") is None
    recent.release(1, "article:a")
    assert recent.claim(1, "article:a") is None
