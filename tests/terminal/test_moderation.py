"""``labwire kb unanswered`` and ``labwire privacy export|forget`` against a real database file."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import open_database, sqlite_url
from tests.moderation.asklog import log_question

ME, OTHER = 4242, 7777


def _make_db(path: Path) -> None:
    now = dt.datetime.now(dt.UTC)

    async def fill() -> None:
        async with open_database(sqlite_url(path)) as db:
            await log_question(db, "who funds zebra robotics", now - dt.timedelta(minutes=1),
                               user_id=ME)
            await log_question(db, "Who funds Zebra Robotics?", now, user_id=OTHER)
            await log_question(db, "why did kalinowski quit", now, user_id=ME, answered=True,
                               status="answered", entry="article:2026-03-07-kalinowski-quits",
                               confidence=0.9)
            await log_question(db, "old question", now - dt.timedelta(days=30), user_id=ME)

    asyncio.run(fill())


def test_kb_unanswered_prints_groups_and_stats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "l.sqlite3"
    _make_db(db)
    assert main(["kb", "unanswered", "--db", str(db), "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "answered 1 (33%)" in out
    assert "1. Who funds Zebra Robotics?  (2x" in out  # the latest wording names the group
    assert "old question" not in out


def test_privacy_export_then_forget(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "l.sqlite3"
    _make_db(db)
    assert main(["privacy", "export", str(ME), "--db", str(db)]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert len(exported["tables"]["question_log"]) == 3

    assert main(["privacy", "forget", str(ME), "--db", str(db), "--yes"]) == 0
    assert "Deleted 3 rows: 3 questions\n" in capsys.readouterr().out
    assert main(["privacy", "export", str(OTHER), "--db", str(db)]) == 0
    assert len(json.loads(capsys.readouterr().out)["tables"]["question_log"]) == 1


def test_missing_database_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    assert main(["privacy", "forget", "1", "--db", str(missing), "--yes"]) == 1
    assert "no database at" in capsys.readouterr().err
    assert not missing.exists()


def test_forget_without_yes_and_no_terminal_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "l.sqlite3"
    _make_db(db)
    assert main(["privacy", "forget", str(ME), "--db", str(db)]) == 1
    assert "--yes" in capsys.readouterr().err
