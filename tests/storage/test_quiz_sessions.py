"""Quiz sessions (migration 0005): saved, updated in place, expired by time, on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.storage import Database
from bot.storage.database import utc_text
from bot.storage.quiz_sessions import QuizSession, QuizSessions

T0 = dt.datetime(2026, 4, 6, 12, 0, tzinfo=dt.UTC)


async def test_a_session_round_trips_and_expires(db: Database) -> None:
    store = QuizSessions(db)
    session = QuizSession(id="0123456789abcdef", user_id="42", guild_id=None, quiz_id="risk",
                          quiz_version=1, created_at=utc_text(T0)).touched(T0, 600)
    await store.save(session)
    later = T0 + dt.timedelta(minutes=5)
    moved = replace(session, step=2, answers={"stack": "qa"}).touched(later, 600)
    await store.save(moved)

    assert await store.get(session.id) == moved
    assert not moved.expired(later + dt.timedelta(seconds=599))
    assert moved.expired(later + dt.timedelta(seconds=600))
    assert await store.delete_expired(later + dt.timedelta(seconds=599)) == 0
    assert await store.delete_expired(later + dt.timedelta(seconds=600)) == 1
    assert await store.get(session.id) is None
