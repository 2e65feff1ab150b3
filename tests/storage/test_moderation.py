"""Moderator roles and briefing subscriptions persist; moving a briefing keeps its history."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.database import Database
from bot.storage.moderation import SqliteBriefingStore, SqliteModRoleStore

T0 = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database.open(tmp_path / "labwire.sqlite3") as database:
        yield database


async def test_mod_roles_add_remove(db: Database) -> None:
    roles = SqliteModRoleStore(db)
    await roles.add(1, 10, by=5, at=T0)
    await roles.add(1, 10, by=5, at=T0)  # twice is fine
    await roles.add(2, 20, by=5, at=T0)
    assert await roles.roles(1) == {10}
    assert await roles.remove(1, 10) and not await roles.remove(1, 10)
    assert await roles.roles(1) == frozenset() and await roles.roles(2) == {20}


async def test_briefing_subscription_survives_reopen_and_move(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    async with Database.open(path) as db:
        store = SqliteBriefingStore(db)
        await store.subscribe(1, channel_id=100, weekday=0, hour=9, by=5, at=T0)
        await store.mark_sent(1, T0 + dt.timedelta(days=6))
    async with Database.open(path) as db:
        store = SqliteBriefingStore(db)
        moved = await store.subscribe(1, channel_id=200, weekday=4, hour=17, by=6,
                                      at=T0 + dt.timedelta(days=8))
        assert (moved.channel_id, moved.weekday, moved.hour) == (200, 4, 17)
        assert moved.last_sent_at == T0 + dt.timedelta(days=6)  # no repeat after a move
        assert moved.subscribed_at == T0
        assert [s.guild_id for s in await store.all()] == [1]
        assert await store.unsubscribe(1) and await store.get(1) is None
