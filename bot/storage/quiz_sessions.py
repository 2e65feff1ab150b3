"""/risk quizzes in progress (migration 0005): saved at every step, so a restart loses none.

A :class:`QuizSession` is one person's pass through the quiz: where they are,
what they answered, whether the result is shown (and shared), and when it
expires.  The Discord adapter saves it after every click and reads it back when
a click arrives, from this process or from one started after a restart.  The
SQL is plain and portable (no SQLite-only functions), like the other repositories.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from bot.storage.database import Database, Row, utc_text

_COLUMNS = ("id, user_id, guild_id, quiz_id, quiz_version, step, answers, finished, shared,"
            " created_at, updated_at, expires_at")


@dataclass(frozen=True)
class QuizSession:
    """One pass through a quiz, as stored."""

    id: str
    user_id: str
    guild_id: str | None
    quiz_id: str
    quiz_version: int
    step: int = 0
    answers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    finished: bool = False
    shared: bool = False
    created_at: str = ""
    updated_at: str = ""
    expires_at: str = ""

    def expired(self, now: dt.datetime) -> bool:
        return utc_text(now) >= self.expires_at

    def touched(self, now: dt.datetime, idle: float) -> QuizSession:
        """This session after a click at ``now``: alive for ``idle`` more seconds."""
        return replace(self, updated_at=utc_text(now),
                       expires_at=utc_text(now + dt.timedelta(seconds=idle)))


class QuizSessions:
    """Quiz sessions in the shared :class:`Database` (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, session: QuizSession) -> None:
        """Insert or replace the session; committed when this returns."""
        async with self.db.write() as tx:
            await tx.execute(
                f"INSERT INTO quiz_sessions ({_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET step = excluded.step,"
                " answers = excluded.answers, finished = excluded.finished,"
                " shared = excluded.shared, updated_at = excluded.updated_at,"
                " expires_at = excluded.expires_at",
                (session.id, session.user_id, session.guild_id, session.quiz_id,
                 session.quiz_version, session.step, json.dumps(dict(session.answers)),
                 int(session.finished), int(session.shared), session.created_at,
                 session.updated_at, session.expires_at))

    async def get(self, session_id: str) -> QuizSession | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM quiz_sessions WHERE id = ?", (session_id,))
        return None if row is None else _session(row)

    async def delete(self, session_id: str) -> None:
        async with self.db.write() as tx:
            await tx.execute("DELETE FROM quiz_sessions WHERE id = ?", (session_id,))

    async def delete_expired(self, now: dt.datetime) -> int:
        """Forget every session past its expiry; how many went."""
        async with self.db.write() as tx:
            return await tx.execute(
                "DELETE FROM quiz_sessions WHERE expires_at <= ?", (utc_text(now),))


def _session(row: Row) -> QuizSession:
    return QuizSession(
        id=str(row["id"]), user_id=str(row["user_id"]),
        guild_id=None if row["guild_id"] is None else str(row["guild_id"]),
        quiz_id=str(row["quiz_id"]), quiz_version=int(row["quiz_version"]),
        step=int(row["step"]), answers=MappingProxyType(dict(json.loads(row["answers"]))),
        finished=bool(row["finished"]), shared=bool(row["shared"]),
        created_at=str(row["created_at"]), updated_at=str(row["updated_at"]),
        expires_at=str(row["expires_at"]))
