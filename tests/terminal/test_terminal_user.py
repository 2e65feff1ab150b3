"""The terminal user's data: its questions are logged, and it can be exported and forgotten.

Issue 11, items 11 and 12, through the real ``labwire`` commands in subprocesses.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.fake_discord.sample_kb import write_sample_knowledge
from tests.terminal.cli import clean_env, run_labwire

NOT_KNOWN = "how do I bake sourdough bread"  # nothing in the knowledge base is about this
KNOWN = "who is jan leike"
ANSWERS = ["--answer", "stack=frontend", "--answer", "career=junior",
           "--answer", "work=tickets", "--answer", "ai=autocomplete"]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    return write_sample_knowledge(tmp_path / "knowledge")


def logged(db: Path) -> list[tuple[str, str, int, int]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(
            "SELECT question, source, user_id, answered FROM question_log ORDER BY id"))


def test_chat_and_ask_questions_reach_the_unanswered_queue(
    knowledge: Path, tmp_path: Path
) -> None:
    db = tmp_path / "labwire.sqlite3"
    env = clean_env(LABWIRE_DB=str(db), LABWIRE_KNOWLEDGE=str(knowledge))
    chatted = run_labwire("chat", cwd=tmp_path, env=env, stdin=f"{KNOWN}\n{NOT_KNOWN}\n/quit\n")
    asked = run_labwire("ask", "--json", NOT_KNOWN, cwd=tmp_path, env=env)
    assert chatted.returncode == asked.returncode == 0, chatted.explain() + asked.explain()

    assert logged(db) == [(KNOWN, "terminal", 0, 1), (NOT_KNOWN, "terminal", 0, 0),
                          (NOT_KNOWN, "terminal", 0, 0)]
    queue = run_labwire("kb", "unanswered", cwd=tmp_path, env=env)
    assert queue.returncode == 0, queue.explain()
    assert f"{NOT_KNOWN}  (2x" in queue.stdout
    assert KNOWN not in queue.stdout.split("Unanswered")[-1]


def test_the_setting_turns_terminal_logging_off(knowledge: Path, tmp_path: Path) -> None:
    db = tmp_path / "labwire.sqlite3"
    env = clean_env(LABWIRE_DB=str(db), LABWIRE_KNOWLEDGE=str(knowledge),
                    LABWIRE_TERMINAL_QUESTION_LOG="0")
    ran = run_labwire("ask", NOT_KNOWN, cwd=tmp_path, env=env)
    assert ran.returncode == 0, ran.explain()
    assert not db.exists(), "nothing is stored, not even an empty database"


def test_a_bad_database_does_not_stop_the_answers(knowledge: Path, tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite3"
    db.write_text("not a database", encoding="utf-8")
    env = clean_env(LABWIRE_DB=str(db), LABWIRE_KNOWLEDGE=str(knowledge))
    ran = run_labwire("ask", KNOWN, cwd=tmp_path, env=env)
    assert ran.returncode == 0 and ran.stdout.startswith("Jan Leike"), ran.explain()
    assert ran.stderr.count("\n") == 1 and "questions are not being logged" in ran.stderr
    assert not ran.traceback


def test_the_terminal_user_can_be_exported_and_forgotten(knowledge: Path, tmp_path: Path) -> None:
    db = tmp_path / "labwire.sqlite3"
    env = clean_env(LABWIRE_DB=str(db), LABWIRE_KNOWLEDGE=str(knowledge))
    assert run_labwire("risk", *ANSWERS, cwd=tmp_path, env=env).returncode == 0
    assert run_labwire("ask", NOT_KNOWN, cwd=tmp_path, env=env).returncode == 0

    exported = run_labwire("privacy", "export", "terminal", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.explain()
    tables = json.loads(exported.stdout)["tables"]
    assert len(tables["quiz_results"]) == 1 and tables["quiz_results"][0]["user_id"] == "terminal"
    assert [row["question"] for row in tables["question_log"]] == [NOT_KNOWN]

    forgot = run_labwire("privacy", "forget", "terminal", "--yes", cwd=tmp_path, env=env)
    assert forgot.returncode == 0, forgot.explain()
    assert forgot.stdout == "Deleted 2 rows: 1 quiz result, 1 question\n"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM quiz_results").fetchone() == (0,)
        assert conn.execute("SELECT COUNT(*) FROM question_log").fetchone() == (0,)


def test_a_user_that_cannot_exist_is_refused_by_argparse(tmp_path: Path) -> None:
    ran = run_labwire("privacy", "export", "not a user", cwd=tmp_path)
    assert ran.returncode == 2 and not ran.traceback, ran.explain()
    assert "neither a Discord user id (digits) nor a user name" in ran.stderr
