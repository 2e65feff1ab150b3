"""A clock tests set by hand, so "now" is whatever the test says (see ``bot.clock.Clock``)."""

from __future__ import annotations

import datetime as dt


class SettableClock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now
