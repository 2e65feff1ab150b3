"""Export and forget everything stored about one Discord user.

Members' data lives in the quiz results, the question log and the answer
feedback.  Moderators' audit rows (``kb_revisions``) are exported but not
deleted: the audit trail exists to say who changed the shared knowledge, and
reverting needs it; an operator can remove them by hand on request.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.storage.moderation import PrivacyStore
from bot.wording import plural

# What one row of each personal table is, in words ("2 questions", "1 vote").
ROW_NOUNS = {
    "quiz_sessions": ("quiz in progress", "quizzes in progress"),
    "quiz_results": ("quiz result", "quiz results"),
    "question_log": ("question", "questions"),
    "feedback": ("vote", "votes"),
}


@dataclass(frozen=True)
class ForgetReport:
    user_id: int | str
    deleted: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def describe(self) -> str:
        parts = [plural(count, *ROW_NOUNS.get(table, (f"{table} row", f"{table} rows")))
                 for table, count in self.deleted.items() if count]
        return f"Deleted {plural(self.total, 'row')}: " + (
            ", ".join(parts) if parts else "nothing stored")


async def forget_user(store: PrivacyStore, user_id: int | str) -> ForgetReport:
    return ForgetReport(user_id, await store.forget_user(user_id))


async def export_user(store: PrivacyStore, user_id: int | str, now: dt.datetime) -> str:
    """Everything stored about ``user_id`` as indented JSON."""
    data: dict[str, Any] = {
        "user_id": str(user_id),
        "exported_at": now.astimezone(dt.UTC).isoformat(),
        "tables": await store.export_user(user_id),
    }
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)
