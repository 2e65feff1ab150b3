"""The question log and answer feedback (migration 0002).

Every question the Discord bot is asked becomes one ``question_log`` row (what
was asked, where, by whom, what matched and how confidently, whether a public
answer was shown); 👍/👎 on an answer message is one ``feedback`` row per user
and message, changed in place when the user votes again.  Moderator tools read
the unanswered questions and the votes; ``/privacy forget-me`` deletes a user's
rows (through ``moderation.PrivacyStore``); a daily task prunes rows older
than the retention period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from bot.storage.database import Database, utc_text

QuestionSource = Literal["slash", "mention", "channel", "terminal"]
QuestionStatus = Literal["answered", "not_sure", "no_answer"]
VoteOutcome = Literal["new", "changed", "unchanged"]

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


_INSERT = (
    "INSERT INTO question_log (asked_at, question, source, guild_id, channel_id, user_id,"
    " status, entry_kind, entry_id, confidence, answered, message_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


class QuestionLog:
    """The question log and votes on the shared :class:`Database` (either backend)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, record: QuestionRecord) -> int:
        """Store one question; committed when this returns.  Returns its row id."""
        async with self.db.write() as tx:
            return int(await tx.fetchval(_INSERT, _row(record)))

    async def mark_answered(
        self, log_id: int, *, entry_kind: str, entry_id: str, message_id: int | None
    ) -> None:
        """The asker picked a suggestion and it was posted publicly."""
        async with self.db.write() as tx:
            await tx.execute(
                "UPDATE question_log SET answered = 1, entry_kind = ?, entry_id = ?,"
                " message_id = ? WHERE id = ?",
                (entry_kind, entry_id, message_id, log_id),
            )

    async def answered_entry(self, message_id: int) -> tuple[str, str] | None:
        """The (kind, id) of the entry a public answer message showed, if it is logged:
        a reply to that message is a follow-up about it, also after a restart."""
        row = await self.db.fetchone(
            "SELECT entry_kind, entry_id FROM question_log WHERE message_id = ? AND answered = 1"
            " AND entry_kind IS NOT NULL AND entry_id IS NOT NULL ORDER BY id DESC LIMIT 1",
            (message_id,),
        )
        return (str(row["entry_kind"]), str(row["entry_id"])) if row else None

    async def vote(self, vote: Vote) -> VoteOutcome:
        """Record or change ``vote``; say whether it was new, changed or the same again."""
        now = utc_text()
        async with self.db.write() as tx:
            previous = await tx.fetchval(
                "SELECT vote FROM feedback WHERE message_id = ? AND user_id = ?",
                (vote.message_id, vote.user_id),
            )
            if previous is not None and int(previous) == vote.vote:
                return "unchanged"
            await tx.execute(
                "INSERT INTO feedback (message_id, user_id, guild_id, entry_kind, entry_id, vote,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, user_id) DO UPDATE SET vote = excluded.vote,"
                " updated_at = excluded.updated_at",
                (vote.message_id, vote.user_id, vote.guild_id, vote.entry_kind, vote.entry_id,
                 vote.vote, now, now),
            )
        return "new" if previous is None else "changed"

    async def prune(self, older_than: dt.datetime) -> PruneResult:
        """Delete questions and votes last touched before ``older_than``."""
        cutoff = utc_text(older_than)
        async with self.db.write() as tx:
            questions = await tx.execute("DELETE FROM question_log WHERE asked_at < ?", (cutoff,))
            feedback = await tx.execute("DELETE FROM feedback WHERE updated_at < ?", (cutoff,))
        return PruneResult(questions, feedback)


def _row(record: QuestionRecord) -> tuple[object, ...]:
    return (
        utc_text(), record.question, record.source, record.guild_id, record.channel_id,
        record.user_id, record.status, record.entry_kind, record.entry_id,
        float(record.confidence), int(record.answered), record.message_id,
    )
