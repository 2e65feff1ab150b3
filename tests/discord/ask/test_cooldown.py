"""The per-user cooldown: RATE questions per window, /ask and mentions together."""

from __future__ import annotations

import pytest

from bot.discord.ask.cooldown import UserCooldown
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
