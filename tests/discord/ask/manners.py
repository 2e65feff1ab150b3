"""The cooldown and duplicate rule in each form the bot uses: in memory (one process),
and in the database (several processes), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.discord.ask.pacing import (
    AnswerClaims,
    CooldownGate,
    RecentAnswers,
    SharedCooldown,
    SharedRecentAnswers,
    UserCooldown,
)
from bot.settings import Cooldown
from bot.storage import open_database, sqlite_url
from bot.storage.manners import MannersStore

KINDS = ("memory", "sqlite", "postgresql")


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def manners_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    """None for the in-memory form, else a fresh database of the requested backend."""
    if request.param == "memory":
        return None
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "manners.sqlite3")
    url: str = request.getfixturevalue("postgres_url")
    return url


@asynccontextmanager
async def cooldown_gate(url: str | None, cooldown: Cooldown,
                        clock: Callable[[], float]) -> AsyncIterator[CooldownGate]:
    if url is None:
        yield UserCooldown(cooldown, clock)
        return
    async with open_database(url) as db:
        yield SharedCooldown(MannersStore(db), cooldown, clock)


@asynccontextmanager
async def answer_claims(url: str | None, window: float,
                        clock: Callable[[], float]) -> AsyncIterator[AnswerClaims]:
    if url is None:
        yield RecentAnswers(window, clock)
        return
    async with open_database(url) as db:
        yield SharedRecentAnswers(MannersStore(db), window, clock)
