"""Fixtures for every test: no setting leaks in from the shell or a developer's ``.env``."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.settings
from tests.clock import SettableClock


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests see only the settings they set: no LABWIRE_*/DISCORD_* from the shell,
    and no ``./.env`` (the default one is looked for where none exists)."""
    for name in list(os.environ):
        if name.startswith(("LABWIRE_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.setattr(bot.settings, "DOTENV", tmp_path / "no-such.env")
    yield


@pytest.fixture
def clock() -> SettableClock:
    """A clock the test sets: Monday 2026-04-06 12:00 UTC to start with."""
    return SettableClock(dt.datetime(2026, 4, 6, 12, 0, tzinfo=dt.UTC))
