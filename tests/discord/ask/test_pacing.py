"""Pacing: the per-user cooldown (/ask and mentions together) and the duplicate rule."""

from __future__ import annotations

import pytest

from bot.discord.ask.pacing import RecentAnswers, UserCooldown, jump_url
from bot.settings import Cooldown


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cooldown_allows_rate_per_window_per_user() -> None:
    clock = Ticks()
    cooldown = UserCooldown(Cooldown(2, 30.0), clock)
    assert cooldown.hit(1) == 0 and cooldown.hit(1) == 0
    assert cooldown.hit(1) == pytest.approx(30.0)
    assert cooldown.hit(2) == 0
    clock.now += 30.0
    assert cooldown.hit(1) == 0
    assert UserCooldown(Cooldown(0, 0), clock).hit(1) == 0, "rate 0 turns it off"


def test_a_public_reminder_is_given_once_per_window() -> None:
    clock = Ticks()
    cooldown = UserCooldown(Cooldown(1, 30.0), clock)
    assert cooldown.should_notify(1) and not cooldown.should_notify(1)
    assert cooldown.should_notify(2), "per user"
    clock.now += 30.0
    assert cooldown.should_notify(1)


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
