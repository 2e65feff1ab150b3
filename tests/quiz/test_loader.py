"""Quiz-file validation: every broken rule is reported at file:line:col."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge.loader import load_knowledge
from bot.quiz.loader import load_quiz_text


def _position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _only_problem(text: str) -> tuple[int, int, str]:
    quiz, problems = load_quiz_text(text, "quiz/t.yaml")
    assert quiz is None
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.file == "quiz/t.yaml"
    return p.line, p.col, p.message


def test_small_quiz_loads(small_quiz_yaml: str) -> None:
    quiz, problems = load_quiz_text(small_quiz_yaml, "t.yaml")
    assert problems == [] and quiz is not None
    assert [q.id for q in quiz.questions] == ["colour", "size"]
    assert quiz.band_for(50).id == "high" and quiz.band_for(49).id == "low"


def test_dangling_citation_points_at_the_id(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("cites: [S1, S2]", "cites: [S1, S3]")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "S3]")
    assert "unknown source 'S3'" in message


def test_unknown_source_in_advice_is_reported(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("[Slow down (S2).]", '["Slow down (S2, S9)."]')
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, '"Slow down')
    assert "'(S9)'" in message


def test_duplicate_option_id(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("{id: large,", "{id: small,")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "small", 2)
    assert "duplicate option in question 'size' id 'small'" in message


def test_scale_must_match_the_points(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("raw_max: 9", "raw_max: 10")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "10")
    assert "raw_max is 10" in message and "add up to 9" in message


def test_band_gap(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("min: 50", "min: 55")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "55")
    assert "gap" in message and "50-54" in message


def test_band_overlap(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("min: 50", "min: 40")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "40")
    assert "overlap" in message


def test_bands_must_reach_100(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("max: 100", "max: 90")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "90")
    assert "91-100" in message


def test_label_longer_than_discord_allows(small_quiz_yaml: str) -> None:
    long_label = "R" * 101
    text = small_quiz_yaml.replace("label: Red,", f"label: {long_label},")
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, long_label)
    assert "101 characters" in message and "100" in message


def test_rationale_longer_than_a_select_description(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("why: Red is loud", "why: " + "loud " * 21)
    line, col, message = _only_problem(text)
    assert (line, col) == _position(text, "loud loud")
    assert "Discord shows at most 100" in message


def test_more_than_25_options(small_quiz_yaml: str) -> None:
    extra = "".join(
        f"      - {{id: c{i}, label: C{i}, points: 1, why: w, cites: [S1]}}\n"
        for i in range(24))
    text = small_quiz_yaml.replace("  - id: size\n", extra + "  - id: size\n", 1)
    quiz, problems = load_quiz_text(text, "t.yaml")
    assert quiz is None
    assert any("at most 25" in p.message for p in problems), problems
    assert problems[0].line == _position(text, "options:")[0] + 1


def test_unknown_key_gets_a_suggestion(small_quiz_yaml: str) -> None:
    text = small_quiz_yaml.replace("why: Red is loud", "wyh: Red is loud")
    _, problems = load_quiz_text(text, "t.yaml")
    assert any("unknown key 'wyh' (did you mean 'why'?)" in p.message for p in problems)


def test_kb_validate_reports_a_broken_quiz(tmp_path: Path, small_quiz_yaml: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "quiz").mkdir()
    broken = small_quiz_yaml.replace("cites: [S2]}", "cites: [E99]}", 1)
    (tmp_path / "quiz" / "risk.yaml").write_text(broken, encoding="utf-8")
    kb, problems = load_knowledge(tmp_path)
    assert kb is None
    line, col = _position(broken, "E99")
    assert [(p.line, p.col) for p in problems] == [(line, col)]
    assert main(["kb", "validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"risk.yaml:{line}:{col}: " in out and "E99" in out


def test_knowledge_base_exposes_a_valid_quiz(tmp_path: Path, small_quiz_yaml: str) -> None:
    (tmp_path / "quiz").mkdir()
    (tmp_path / "quiz" / "risk.yaml").write_text(small_quiz_yaml, encoding="utf-8")
    kb, problems = load_knowledge(tmp_path)
    assert problems == [] and kb is not None
    assert kb.quizzes["risk"].title == "Tiny quiz"
