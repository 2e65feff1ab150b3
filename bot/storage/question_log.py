"""The question log and answer feedback (migration 0002).

Every question the Discord bot is asked becomes one ``question_log`` row (what
was asked, where, by whom, what matched and how confidently, whether a public
answer was shown); 👍/👎 on an answer message is one ``feedback`` row per user
and message, changed in place when the user votes again.  Moderator tools read
the unanswered questions and the votes; ``/privacy forget-me`` deletes a user's
rows; a daily task prunes rows older than the retention period.

Callers depend on the :class:`QuestionLog` protocol, not on SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import aiosqlite

from bot.storage.database import Database, utc_text

QuestionSource = Literal["slash", "mention", "channel", "terminal"]
QuestionStatus = Literal["answered", "not_sure", "no_answer"]
VoteOutcome = Literal["new", "changed", "unchanged"]

DEFAULT_RETENTION_DAYS = 90
# `labwire chat`/`ask`/`risk` act as the user "terminal"; in the tables whose user ids
# are Discord's numbers (question_log, feedback) that user is 0, which Discord never uses.
TERMINAL_USER = "terminal"
TERMINAL_USER_ID = 0


@dataclass(frozen=True)
class QuestionRecord:
    """One question as asked, before it is stored."""

    question: str
    source: QuestionSource
    user_id: int
    guild_id: int | None
    channel_id: int | None
    status: QuestionStatus
    entry_kind: str | None
    entry_id: str | None
    confidence: float
    answered: bool
    message_id: int | None = None


@dataclass(frozen=True)
class LoggedQuestion(QuestionRecord):
    """A stored question with its row id and time."""

    id: int = 0
    asked_at: str = ""


@dataclass(frozen=True)
class Vote:
    """A user's 👍 (+1) or 👎 (-1) on one answer message."""

    message_id: int
    user_id: int
    guild_id: int | None
    entry_kind: str
    entry_id: str
    vote: Literal[-1, 1]


@dataclass(frozen=True)
class PruneResult:
    questions: int
    feedback: int


class QuestionLog(Protocol):
    async def record(self, record: QuestionRecord) -> int: ...

    async def mark_answered(
        self, log_id: int, *, entry_kind: str, entry_id: str, message_id: int | None
    ) -> None: ...

    async def get(self, log_id: int) -> LoggedQuestion | None: ...

    async def unanswered(self, since: dt.datetime, limit: int = 500) -> list[LoggedQuestion]: ...

    async def vote(self, vote: Vote) -> VoteOutcome: ...

    async def vote_counts(self, message_id: int) -> tuple[int, int]: ...

    async def prune(self, older_than: dt.datetime) -> PruneResult: ...

    async def forget_user(self, user_id: int) -> PruneResult: ...


_COLUMNS = (
    "id, asked_at, question, source, guild_id, channel_id, user_id, status, "
    "entry_kind, entry_id, confidence, answered, message_id"
)


class SQLiteQuestionLog:
    """:class:`QuestionLog` on the shared SQLite :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, record: QuestionRecord) -> int:
        """Store one question; committed when this returns."""
        async with self.db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO question_log (asked_at, question, source, guild_id, channel_id,"
                " user_id, status, entry_kind, entry_id, confidence, answered, message_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                _row(record),
            )
            return int(cursor.lastrowid or 0)

    async def record_many(self, records: Sequence[QuestionRecord]) -> None:
        """Store several questions in one transaction (cheaper under load)."""
        if not records:
            return
        async with self.db.write() as conn:
            await conn.executemany(
                "INSERT INTO question_log (asked_at, question, source, guild_id, channel_id,"
                " user_id, status, entry_kind, entry_id, confidence, answered, message_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [_row(r) for r in records],
            )

    async def mark_answered(
        self, log_id: int, *, entry_kind: str, entry_id: str, message_id: int | None
    ) -> None:
        """The asker picked a suggestion and it was posted publicly."""
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE question_log SET answered = 1, entry_kind = ?, entry_id = ?,"
                " message_id = ? WHERE id = ?",
                (entry_kind, entry_id, message_id, log_id),
            )

    async def get(self, log_id: int) -> LoggedQuestion | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM question_log WHERE id = ?", (log_id,)
        )
        return _logged(row) if row else None

    async def unanswered(self, since: dt.datetime, limit: int = 500) -> list[LoggedQuestion]:
        """Questions since ``since`` that got no public answer, newest first."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM question_log WHERE answered = 0 AND asked_at >= ?"
            " ORDER BY asked_at DESC LIMIT ?",
            (utc_text(since), limit),
        )
        return [_logged(r) for r in rows]

    async def vote(self, vote: Vote) -> VoteOutcome:
        """Record or change ``vote``; say whether it was new, changed or the same again."""
        now = utc_text()
        async with self.db.write() as conn:
            async with conn.execute(
                "SELECT vote FROM feedback WHERE message_id = ? AND user_id = ?",
                (vote.message_id, vote.user_id),
            ) as cursor:
                previous = await cursor.fetchone()
            if previous is not None and int(previous[0]) == vote.vote:
                return "unchanged"
            await conn.execute(
                "INSERT INTO feedback (message_id, user_id, guild_id, entry_kind, entry_id, vote,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, user_id) DO UPDATE SET vote = excluded.vote,"
                " updated_at = excluded.updated_at",
                (vote.message_id, vote.user_id, vote.guild_id, vote.entry_kind, vote.entry_id,
                 vote.vote, now, now),
            )
        return "new" if previous is None else "changed"

    async def vote_counts(self, message_id: int) -> tuple[int, int]:
        """(👍, 👎) on one answer message."""
        row = await self.db.fetchone(
            "SELECT COALESCE(SUM(vote = 1), 0), COALESCE(SUM(vote = -1), 0)"
            " FROM feedback WHERE message_id = ?",
            (message_id,),
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    async def prune(self, older_than: dt.datetime) -> PruneResult:
        """Delete questions and votes last touched before ``older_than``."""
        cutoff = utc_text(older_than)
        async with self.db.write() as conn:
            questions = await conn.execute("DELETE FROM question_log WHERE asked_at < ?", (cutoff,))
            feedback = await conn.execute("DELETE FROM feedback WHERE updated_at < ?", (cutoff,))
            return PruneResult(questions.rowcount, feedback.rowcount)

    async def forget_user(self, user_id: int) -> PruneResult:
        """Delete everything this table pair holds about one user."""
        async with self.db.write() as conn:
            questions = await conn.execute("DELETE FROM question_log WHERE user_id = ?", (user_id,))
            feedback = await conn.execute("DELETE FROM feedback WHERE user_id = ?", (user_id,))
            return PruneResult(questions.rowcount, feedback.rowcount)


def _row(record: QuestionRecord) -> tuple[object, ...]:
    return (
        utc_text(), record.question, record.source, record.guild_id, record.channel_id,
        record.user_id, record.status, record.entry_kind, record.entry_id,
        float(record.confidence), int(record.answered), record.message_id,
    )


def _logged(row: aiosqlite.Row) -> LoggedQuestion:
    return LoggedQuestion(
        id=int(row["id"]),
        asked_at=str(row["asked_at"]),
        question=str(row["question"]),
        source=row["source"],
        guild_id=row["guild_id"],
        channel_id=row["channel_id"],
        user_id=int(row["user_id"]),
        status=row["status"],
        entry_kind=row["entry_kind"],
        entry_id=row["entry_id"],
        confidence=float(row["confidence"]),
        answered=bool(row["answered"]),
        message_id=row["message_id"],
    )
