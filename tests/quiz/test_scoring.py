"""Scoring: the evidence file's worked examples, our correction, properties, bad input."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz
from bot.quiz.scoring import AnswerError, all_answer_combinations, band_counts, score
from tests.quiz.conftest import build_quiz

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "quiz" / "risk.yaml"


@pytest.fixture(scope="module")
def risk() -> Quiz:
    quiz, problems = load_quiz_file(SHIPPED)
    assert quiz is not None, "\n".join(map(str, problems))
    return quiz


def _as_proposed(quiz: Quiz) -> Quiz:
    """The evidence file's section-5 model before our fix: Security 4 points, raw 16-98."""
    stack = quiz.questions[0]
    options = tuple(o.model_copy(update={"points": 4}) if o.id == "security" else o
                    for o in stack.options)
    questions = (stack.model_copy(update={"options": options}), *quiz.questions[1:])
    scale = quiz.scale.model_copy(update={"raw_min": 16})
    return quiz.model_copy(update={"questions": questions, "scale": scale})


def _half_up(value: Fraction) -> int:
    """Reference rounding, written independently of the implementation."""
    whole = value.numerator // value.denominator
    return whole + (1 if value - whole >= Fraction(1, 2) else 0)


# Section 5.3 of the evidence file: profile, answers, per-question points, raw,
# the file's score (raw 16-98), and ours after the Security fix (raw 18-98,
# worked by hand: 100*(raw-18)/80).
WORKED_EXAMPLES = [
    ("junior frontend, tickets, autocomplete",
     {"stack": "frontend", "career": "junior", "work": "tickets", "ai": "autocomplete"},
     (18, 24, 30, 14), 86, 85, "Very high", 85, "Very high"),
    ("mid frontend, tickets, delegates",
     {"stack": "frontend", "career": "mid", "work": "tickets", "ai": "delegate"},
     (18, 14, 30, 10), 72, 68, "High", 68, "High"),
    ("mid backend, tests and fixes, verified AI",
     {"stack": "backend", "career": "mid", "work": "tests-docs", "ai": "verify"},
     (11, 14, 24, 6), 55, 48, "Moderate", 46, "Moderate"),
    ("mid devops, maintains big codebase, delegates",
     {"stack": "devops", "career": "mid", "work": "maintain", "ai": "delegate"},
     (7, 14, 14, 10), 45, 35, "Moderate", 34, "Moderate"),
    ("senior backend, architecture, verified AI",
     {"stack": "backend", "career": "senior", "work": "design", "ai": "verify"},
     (11, 6, 8, 6), 31, 18, "Low", 16, "Low"),
    ("student data/ML, tickets, no AI",
     {"stack": "data", "career": "student", "work": "tickets", "ai": "rarely"},
     (14, 30, 30, 20), 94, 95, "Very high", 95, "Very high"),
]


@pytest.mark.parametrize(
    ("profile", "answers", "points", "raw", "file_score", "file_band", "our_score", "our_band"),
    WORKED_EXAMPLES, ids=[row[0] for row in WORKED_EXAMPLES],
)
def test_worked_examples(risk: Quiz, profile: str, answers: dict[str, str],
                         points: tuple[int, ...], raw: int, file_score: int, file_band: str,
                         our_score: int, our_band: str) -> None:
    result = score(risk, answers)
    assert tuple(b.points for b in result.breakdown) == points
    assert result.raw == raw
    assert (result.score, result.band.name) == (our_score, our_band)
    assert result.arithmetic == f"raw {raw} -> round(100*({raw}-18)/80) = {our_score}"
    proposed = score(_as_proposed(risk), answers)
    assert (proposed.score, proposed.band.name) == (file_score, file_band)


def test_the_evidence_files_arithmetic_example_is_reproduced(risk: Quiz) -> None:
    answers = {"stack": "frontend", "career": "mid", "work": "tickets", "ai": "delegate"}
    assert score(_as_proposed(risk), answers).arithmetic == "raw 72 -> round(100*(72-16)/82) = 68"


def test_band_counts_match_the_evidence_file_for_the_proposed_model(risk: Quiz) -> None:
    assert band_counts(_as_proposed(risk)) == {
        "low": 201, "moderate": 392, "high": 223, "very-high": 59}


def test_band_counts_after_the_security_fix_match_an_independent_count(risk: Quiz) -> None:
    expected = {b.id: 0 for b in risk.bands}
    per_question = [[o.points for o in q.options] for q in risk.questions]
    for combo in itertools.product(*per_question):
        value = _half_up(Fraction(100 * (sum(combo) - 18), 80))
        band = next(b for b in risk.bands if b.min <= value <= b.max)
        expected[band.id] += 1
    assert sum(expected.values()) == 875
    assert band_counts(risk) == expected


def test_extremes_score_0_and_100(risk: Quiz) -> None:
    results = [score(risk, a) for a in all_answer_combinations(risk)]
    assert min(r.score for r in results) == 0
    assert max(r.score for r in results) == 100


def test_breakdown_names_rationale_and_sources(risk: Quiz) -> None:
    result = score(risk, {"stack": "security", "career": "senior", "work": "design",
                          "ai": "verify"})
    stack = result.breakdown[0]
    assert (stack.factor, stack.points, stack.max_points) == ("Stack", 6, 18)
    assert stack.rationale and [c.id for c in stack.citations] == ["E13", "E15"]
    assert all(c.url.startswith("https://") for c in stack.citations)
    assert result.data_as_of == "2026-06" and result.quiz_version == risk.version
    assert result.sum_text == "6 + 6 + 8 + 6 = 26"


def test_bad_answers_name_the_valid_ids(risk: Quiz) -> None:
    with pytest.raises(AnswerError) as caught:
        score(risk, {"stack": "fronted", "carrer": "mid", "work": "tickets", "ai": "verify"})
    message = str(caught.value)
    assert "did you mean 'frontend'?" in message
    assert "frontend, data, qa, backend, devops, embedded, security" in message
    assert "unknown question 'carrer'" in message and "did you mean 'career'?" in message
    assert "no answer for 'career' (choose one of: student, junior, mid, senior, manager)" in (
        message)


def test_scoring_is_deterministic(risk: Quiz) -> None:
    answers = {"stack": "qa", "career": "junior", "work": "maintain", "ai": "build-ai"}
    assert score(risk, answers) == score(risk, dict(reversed(answers.items())))


# --- properties over generated quizzes -------------------------------------------------

points_lists = st.lists(
    st.lists(st.integers(0, 40), min_size=2, max_size=6), min_size=1, max_size=5
).filter(lambda qs: any(max(q) > min(q) for q in qs))
band_starts = st.lists(st.integers(1, 100), max_size=4)


@st.composite
def quiz_and_answers(draw: st.DrawFn) -> tuple[Quiz, dict[str, str]]:
    quiz = build_quiz(draw(points_lists), draw(band_starts))
    answers = {q.id: draw(st.sampled_from([o.id for o in q.options])) for q in quiz.questions}
    return quiz, answers


@settings(max_examples=200, deadline=None)
@given(quiz_and_answers())
def test_score_is_within_0_100_and_in_its_band(case: tuple[Quiz, dict[str, str]]) -> None:
    quiz, answers = case
    result = score(quiz, answers)
    assert 0 <= result.score <= 100
    assert result.band.min <= result.score <= result.band.max
    expected = _half_up(Fraction(100 * (result.raw - quiz.scale.raw_min),
                                 quiz.scale.raw_max - quiz.scale.raw_min))
    assert result.score == expected


@settings(max_examples=200, deadline=None)
@given(quiz_and_answers(), st.data())
def test_score_is_monotone_in_each_questions_points(
    case: tuple[Quiz, dict[str, str]], data: st.DataObject
) -> None:
    quiz, answers = case
    question = data.draw(st.sampled_from(quiz.questions))
    other = data.draw(st.sampled_from(question.options))
    before = score(quiz, answers)
    after = score(quiz, {**answers, question.id: other.id})
    current = question.option(answers[question.id])
    assert current is not None
    if other.points >= current.points:
        assert after.score >= before.score
    else:
        assert after.score <= before.score
    # Band order follows score order.
    bands = [b.id for b in quiz.bands]
    if after.score >= before.score:
        assert bands.index(after.band.id) >= bands.index(before.band.id)
