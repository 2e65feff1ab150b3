"""``labwire risk --answer`` takes what people type, and every way out has one exit code.

Issue 11, item 10, through the real command in a subprocess (10 s limit).
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz
from tests.terminal.cli import REPO_ROOT, TIME_LIMIT, clean_env, run_labwire

QUIZ_FILE = REPO_ROOT / "knowledge" / "quiz" / "risk.yaml"


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    loaded, problems = load_quiz_file(QUIZ_FILE)
    assert loaded is not None, problems
    return loaded


def test_ids_in_any_case_and_option_numbers_are_answers(quiz: Quiz, tmp_path: Path) -> None:
    stack, career, work, ai = quiz.questions
    ran = run_labwire("risk", "--no-save", "--json",
                      "--answer", f"{stack.id.upper()}={stack.options[0].id.upper()}",
                      "--answer", f"{career.id}=2",
                      "--answer", f"{work.id.title()}={len(work.options)}",
                      "--answer", f"{ai.id}={ai.options[1].id.capitalize()}", cwd=tmp_path)
    assert ran.returncode == 0, ran.explain()
    assert json.loads(ran.stdout)["answers"] == {
        stack.id: stack.options[0].id, career.id: career.options[1].id,
        work.id: work.options[-1].id, ai.id: ai.options[1].id}


def test_every_bad_value_gets_did_you_mean(quiz: Quiz, tmp_path: Path) -> None:
    stack, career, work, ai = quiz.questions
    misspelt = ai.options[1].id[:-1] + "x"
    ran = run_labwire("risk", "--no-save",
                      "--answer", f"{stack.id}x={stack.options[0].id}",
                      "--answer", f"{career.id}={len(career.options) + 1}",
                      "--answer", f"{work.id}=zzzzzz",
                      "--answer", f"{ai.id}={misspelt}", cwd=tmp_path)
    assert ran.returncode == 2 and not ran.traceback, ran.explain()
    problems = [line for line in ran.stderr.splitlines() if line.startswith("labwire risk: ")]
    assert len(problems) == 4, ran.explain()
    assert all("did you mean" in line for line in problems), ran.explain()
    assert f"did you mean '{stack.id}'?" in problems[0]
    assert f"did you mean 1 to {len(career.options)}" in problems[1]
    assert f"did you mean '{ai.options[1].id}'?" in problems[3]


@pytest.mark.parametrize("keys", ["q\n", "1\nquit\n", ""], ids=["q", "quit", "ctrl-d"])
def test_quitting_the_quiz_exits_1_and_saves_nothing(keys: str, tmp_path: Path) -> None:
    db = tmp_path / "labwire.sqlite3"
    ran = run_labwire("risk", cwd=tmp_path, env=clean_env(LABWIRE_DB=str(db)), stdin=keys)
    assert ran.returncode == 1 and not ran.traceback, ran.explain()
    assert "Quiz cancelled." in ran.stdout and "Nothing was saved." in ran.stdout
    assert not db.exists()


async def test_ctrl_c_in_the_quiz_exits_130_and_saves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "labwire.sqlite3"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "risk", cwd=tmp_path, env=clean_env(LABWIRE_DB=str(db)),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE)
    try:
        assert proc.stdout is not None
        await asyncio.wait_for(proc.stdout.readuntil(b"Your choice"), TIME_LIMIT)
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), TIME_LIMIT)
    finally:
        if proc.returncode is None:
            proc.kill()
    assert proc.returncode == 130, err.decode()
    assert b"Nothing was saved." in out and b"Traceback" not in err
    assert not db.exists()


class _Terminal:
    """A stdin that is a terminal where the user pressed Ctrl-D."""

    def isatty(self) -> bool:
        return True

    def readline(self) -> str:
        return ""


def test_ctrl_d_at_the_forget_prompt_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "labwire.sqlite3"
    assert main(["risk", "--db", str(db), "-a", "stack=1", "-a", "career=1", "-a", "work=1",
                 "-a", "ai=1"]) == 0
    monkeypatch.setattr("sys.stdin", _Terminal())
    assert main(["privacy", "forget", "terminal", "--db", str(db)]) == 1
    assert "Nothing deleted." in capsys.readouterr().out
    assert main(["privacy", "export", "terminal", "--db", str(db)]) == 0
    assert len(json.loads(capsys.readouterr().out)["tables"]["quiz_results"]) == 1
