"""Questions asked in the terminal go to the question log, as Discord's do.

``labwire chat`` and ``labwire ask`` record each question under the terminal
user (source ``terminal``), so ``labwire kb unanswered`` shows a local
install's unanswered questions too.  ``LABWIRE_TERMINAL_QUESTION_LOG=0`` turns
it off.  Logging never gets in the way of an answer: if the database cannot be
used, one warning says so and the session goes on without logging.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Protocol, TypeVar

from bot.search import Answer, Result
from bot.settings import Settings
from bot.storage.database import Database, DatabaseError
from bot.storage.question_log import TERMINAL_USER_ID, QuestionLog, QuestionRecord
from bot.terminal.common import database_from
from bot.terminal.database import UnusableDatabaseError, connect

T = TypeVar("T")


class Recorder(Protocol):
    def record(self, result: Result) -> int | None:
        """Log one question and how it was answered; the log row's id (None: not logged)."""
        ...

    def picked(self, log_id: int, answer: Answer) -> None:
        """The asker picked a suggestion for the question logged as ``log_id``."""
        ...


class NoRecorder:
    """Logging turned off: nothing is stored."""

    def record(self, result: Result) -> int | None:
        return None

    def picked(self, log_id: int, answer: Answer) -> None:
        return None


class QuestionRecorder:
    """Logs terminal questions in the question log; opens it at the first question."""

    def __init__(self, database: str, warn: Callable[[str], None]) -> None:
        self.database = database
        self.warn = warn
        self._runner = asyncio.Runner()
        self._db: Database | None = None
        self._broken = False

    def record(self, result: Result) -> int | None:
        answer = result.answer if result.answered else None
        record = QuestionRecord(
            question=result.question, source="terminal", user_id=TERMINAL_USER_ID,
            guild_id=None, channel_id=None, status=result.status,
            entry_kind=answer.kind if answer else None, entry_id=answer.id if answer else None,
            confidence=result.confidence, answered=result.answered)
        return self._run(lambda questions: questions.record(record))

    def picked(self, log_id: int, answer: Answer) -> None:
        self._run(lambda questions: questions.mark_answered(
            log_id, entry_kind=answer.kind, entry_id=answer.id, message_id=None))

    def _run(self, work: Callable[[QuestionLog], Awaitable[T]]) -> T | None:
        if self._broken:
            return None
        try:
            if self._db is None:
                self._db = self._runner.run(connect(self.database))
            return self._runner.run(_call(work, QuestionLog(self._db)))
        except (UnusableDatabaseError, DatabaseError) as exc:
            self._broken = True
            self.warn(f"questions are not being logged: {exc}")
            return None

    def close(self) -> None:
        try:
            if self._db is not None:
                self._runner.run(self._db.close())
        finally:
            self._runner.close()


async def _call(work: Callable[[QuestionLog], Awaitable[T]],
                questions: QuestionLog) -> T:
    return await work(questions)


@contextmanager
def question_recorder(args: argparse.Namespace, settings: Settings) -> Iterator[Recorder]:
    """The recorder for one terminal session (closed when it ends), or one that stores nothing
    when ``LABWIRE_TERMINAL_QUESTION_LOG=0``."""
    if not settings.terminal_question_log:
        yield NoRecorder()
        return
    recorder = QuestionRecorder(database_from(args.db, settings), _warn)
    try:
        yield recorder
    finally:
        recorder.close()


def _warn(message: str) -> None:
    print(f"labwire: warning: {message}", file=sys.stderr)
