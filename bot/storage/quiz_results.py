"""Saved risk-quiz results (migration 0001): save, "your last result", statistics.

The same SQL runs on SQLite and PostgreSQL.  ``save`` returns only after the
row is committed, so a caller that tells the user "saved" is telling the truth.
Forgetting a user is ``moderation.PrivacyStore.forget_user``, for every table.
"""

from __future__ import annotations

import json
import logging
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot.quiz.scoring import QuizResult
from bot.storage.database import Database, Row, utc_text

log = logging.getLogger(__name__)

DEFAULT_QUIZ_ID = "risk"


@dataclass(frozen=True)
class StoredQuizResult:
    """One saved result as read back from storage."""

    id: int
    user_id: str
    guild_id: str | None
    quiz_id: str
    quiz_version: int
    answers: Mapping[str, str]
    score: int
    band: str
    created_at: str


@dataclass(frozen=True)
class QuizStats:
    """Statistics over each person's latest result in a scope (a guild, or everyone).

    ``count`` counts people, not attempts, so retaking the quiz does not skew the
    median; ``attempts`` is every saved result in the scope.
    """

    count: int
    attempts: int
    median: float | None
    by_band: Mapping[str, int] = field(default_factory=dict)


def _id_text(value: str | int) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("a user or guild id must not be empty")
    return text


class QuizResults:
    """Quiz results on the shared :class:`Database` (either backend)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(self, result: QuizResult, *, user_id: str | int,
                   guild_id: str | int | None = None,
                   quiz_id: str = DEFAULT_QUIZ_ID) -> StoredQuizResult:
        user = _id_text(user_id)
        guild = None if guild_id is None else _id_text(guild_id)
        answers = json.dumps(dict(result.answers), sort_keys=True)
        created_at = utc_text()
        async with self.db.write() as tx:
            row_id = await tx.fetchval(
                "INSERT INTO quiz_results (user_id, guild_id, quiz_id, quiz_version, answers,"
                " score, band, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (user, guild, quiz_id, result.quiz_version, answers, result.score,
                 result.band.id, created_at),
            )
        # Committed: the block above ended without an exception.
        log.info("quiz result saved", extra={"quiz_id": quiz_id, "score": result.score,
                                             "band": result.band.id, "in_guild": guild is not None})
        return StoredQuizResult(
            id=int(row_id), user_id=user, guild_id=guild, quiz_id=quiz_id,
            quiz_version=result.quiz_version, answers=MappingProxyType(dict(result.answers)),
            score=result.score, band=result.band.id, created_at=created_at,
        )

    async def last_for_user(self, user_id: str | int, *,
                            quiz_id: str = DEFAULT_QUIZ_ID) -> StoredQuizResult | None:
        row = await self.db.fetchone(
            "SELECT * FROM quiz_results WHERE quiz_id = ? AND user_id = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (quiz_id, _id_text(user_id)),
        )
        return None if row is None else _stored(row)

    async def stats(self, *, guild_id: str | int | None = None,
                    quiz_id: str = DEFAULT_QUIZ_ID) -> QuizStats:
        scope, params = "quiz_id = ?", [quiz_id]
        if guild_id is not None:
            scope += " AND guild_id = ?"
            params.append(_id_text(guild_id))
        rows = await self.db.fetchall(
            "SELECT score, band, attempts FROM ("
            "  SELECT score, band, COUNT(*) OVER () AS attempts,"
            "         ROW_NUMBER() OVER (PARTITION BY user_id"
            "                            ORDER BY created_at DESC, id DESC) AS newest"
            f"  FROM quiz_results WHERE {scope}"
            ") AS latest WHERE newest = 1",
            tuple(params),
        )
        if not rows:
            return QuizStats(count=0, attempts=0, median=None, by_band=MappingProxyType({}))
        by_band: dict[str, int] = {}
        for row in rows:
            by_band[row["band"]] = by_band.get(row["band"], 0) + 1
        return QuizStats(
            count=len(rows),
            attempts=int(rows[0]["attempts"]),
            median=float(statistics.median(int(r["score"]) for r in rows)),
            by_band=MappingProxyType(by_band),
        )


def _stored(row: Row) -> StoredQuizResult:
    return StoredQuizResult(
        id=int(row["id"]),
        user_id=str(row["user_id"]),
        guild_id=None if row["guild_id"] is None else str(row["guild_id"]),
        quiz_id=str(row["quiz_id"]),
        quiz_version=int(row["quiz_version"]),
        answers=MappingProxyType(dict(json.loads(row["answers"]))),
        score=int(row["score"]),
        band=str(row["band"]),
        created_at=str(row["created_at"]),
    )
