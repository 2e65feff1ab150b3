"""`labwire risk` end to end: --answer/--json, interactive, bad input, cancelling."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.quiz.loader import load_quiz_file
from bot.quiz.scoring import score
from bot.storage import sqlite_url
from bot.terminal.risk import run_quiz_interactive

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "quiz" / "risk.yaml"
JUNIOR_FRONTEND = ["--answer", "stack=frontend", "--answer", "career=junior",
                   "--answer", "work=tickets", "--answer", "ai=autocomplete"]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    (root / "quiz").mkdir(parents=True)
    shutil.copy(SHIPPED, root / "quiz" / "risk.yaml")
    return root


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "results.sqlite3"
    monkeypatch.setenv("LABWIRE_DB", str(path))
    return path


def _rows(path: Path) -> list[tuple[str, int, str, str]]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as conn:
        return list(conn.execute("SELECT user_id, score, band, answers FROM quiz_results"))


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_answers_and_json_give_the_worked_example_and_save_it(
    knowledge: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["risk", *JUNIOR_FRONTEND, "--json", "--knowledge", str(knowledge)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["score"], data["band"]["name"]) == (85, "Very high")
    assert data["arithmetic"] == "raw 86 -> round(100*(86-18)/80) = 85"
    assert data["quiz"]["data_as_of"] == "2026-06"
    assert [b["points"] for b in data["breakdown"]] == [18, 24, 30, 14]
    cited = {c for b in data["breakdown"] for c in b["citations"]}
    assert cited <= {s["id"] for s in data["sources"]}
    assert all(s["url"].startswith("https://") for s in data["sources"])
    assert len(data["band"]["advice"]) == 3
    assert data["saved"]["user"] == "terminal"
    rows = _rows(db)
    assert [(u, s, b) for u, s, b, _ in rows] == [("terminal", 85, "very-high")]
    assert json.loads(rows[0][3]) == {"stack": "frontend", "career": "junior",
                                      "work": "tickets", "ai": "autocomplete"}


def test_text_result_shows_breakdown_sources_and_advice(
    knowledge: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other_db = tmp_path / "other.sqlite3"
    code = main(["risk", *JUNIOR_FRONTEND, "--knowledge", str(knowledge),
                 "--db", str(other_db), "--user", "alice"])
    out = capsys.readouterr().out
    assert code == 0
    assert "AI risk score: 85/100 (Very high)" in out
    assert "18 + 24 + 30 + 14 = 86" in out and "[E17,E22,E23,E27,E28]" in out
    assert "https://anthropic.com/research/impact-software-development" in out
    assert "Data as of 2026-06" in out and " 3. " in out
    assert f"Saved as alice's latest result in {other_db}" in out
    assert [r[0] for r in _rows(other_db)] == ["alice"]


def test_bad_option_id_names_the_valid_ids_and_saves_nothing(
    knowledge: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["risk", "--answer", "stack=fronted", "--answer", "career=junior",
            "--answer", "work=tickets", "--answer", "ai=autocomplete"]
    assert main([*args, "--knowledge", str(knowledge)]) == 2
    err = capsys.readouterr().err
    assert "'fronted' is not an answer to 'stack'" in err
    assert "frontend, data, qa, backend, devops, embedded, security" in err
    assert _rows(db) == []


def test_malformed_and_missing_answers_are_explained(
    knowledge: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["risk", "--answer", "stack", "--knowledge", str(knowledge)]) == 2
    assert "should look like QUESTION=OPTION" in capsys.readouterr().err
    assert main(["risk", "--answer", "stack=qa", "--knowledge", str(knowledge)]) == 2
    err = capsys.readouterr().err
    assert "no answer for 'career' (choose one of: student, junior, mid, senior, manager)" in err
    assert _rows(db) == []


def test_interactive_reasks_on_bad_input_then_saves(
    knowledge: Path, db: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # 9 is out of range, blank and 'banana' are not choices; ids work as well as numbers.
    _stdin(monkeypatch, "9\n1\n\nbanana\nmid\n1\ndelegate\n")
    assert main(["risk", "--knowledge", str(knowledge)]) == 0
    out = capsys.readouterr().out
    assert "Question 1/4: What do you mostly build?" in out
    assert "'9' is not one of the choices: type a number from 1 to 7" in out
    assert "Please choose an answer" in out and "'banana' is not one of the choices" in out
    assert "AI risk score: 68/100 (High)" in out
    assert [(u, s) for u, s, _, _ in _rows(db)] == [("terminal", 68)]


def test_end_of_input_cancels_without_saving(
    knowledge: Path, db: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _stdin(monkeypatch, "1\n2\n")
    assert main(["risk", "--knowledge", str(knowledge)]) == 1
    out = capsys.readouterr().out
    assert "Quiz cancelled." in out and "Nothing was saved." in out
    assert "AI risk score" not in out
    assert _rows(db) == []


def test_ctrl_c_cancels_without_saving(
    knowledge: Path, db: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    replies: Iterator[str] = iter(["1", "2"])

    def fake_input() -> str:
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert main(["risk", "--knowledge", str(knowledge)]) == 130
    assert "Nothing was saved." in capsys.readouterr().out
    assert _rows(db) == []


def test_run_quiz_interactive_with_the_chat_callbacks() -> None:
    quiz, _ = load_quiz_file(SHIPPED)
    assert quiz is not None
    said: list[str] = []
    replies = iter(["2", "student", "1", "1"])
    result = run_quiz_interactive(quiz, lambda prompt: next(replies), said.append)
    assert result == score(quiz, {"stack": "data", "career": "student", "work": "tickets",
                                  "ai": "rarely"})
    assert result is not None and result.score == 95
    assert any("AI risk score: 95/100" in text for text in said)

    quit_replies = iter(["1", "q"])
    assert run_quiz_interactive(quiz, lambda prompt: next(quit_replies), said.append) is None


def test_broken_quiz_file_is_reported_with_its_position(
    knowledge: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = knowledge / "quiz" / "risk.yaml"
    text = path.read_text(encoding="utf-8").replace("    min: 55\n", "    min: 57\n")
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    min: 57") + 1
    assert main(["risk", *JUNIOR_FRONTEND, "--knowledge", str(knowledge)]) == 1
    err = capsys.readouterr().err
    assert f"risk.yaml:{line}:10: gap: no band covers scores 55-56" in err
    assert _rows(db) == []


def test_list_shows_every_option_id(knowledge: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["risk", "--list", "--knowledge", str(knowledge)]) == 0
    out = capsys.readouterr().out
    for option_id in ("frontend", "junior", "tickets", "autocomplete", "build-ai"):
        assert f"  {option_id} " in out


def test_run_and_save_for_chat_saves_only_completed_quizzes(db: Path) -> None:
    from bot.terminal.risk import run_and_save

    quiz, _ = load_quiz_file(SHIPPED)
    assert quiz is not None
    said: list[str] = []
    cancelled = iter(["1"])

    def ask_then_eof(prompt: str) -> str:
        try:
            return next(cancelled)
        except StopIteration:
            raise EOFError from None

    assert run_and_save(quiz, sqlite_url(db), ask_then_eof, said.append) is None
    assert said[-1] == "Nothing was saved." and _rows(db) == []

    replies = iter(["7", "4", "4", "4"])
    result = run_and_save(quiz, sqlite_url(db), lambda prompt: next(replies), said.append)
    assert result is not None and result.band.id == "low"
    assert [(u, s) for u, s, _, _ in _rows(db)] == [("terminal", result.score)]
    assert f"latest result in {db}" in said[-1]
