"""The shipped knowledge/quiz/risk.yaml: valid, sourced from the evidence file, Discord-sized."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz

SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "quiz" / "risk.yaml"
EVIDENCE = Path("/work/shared/risk-quiz-evidence.md")


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    loaded, problems = load_quiz_file(SHIPPED)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


def test_four_questions_with_the_ids_the_docs_use(quiz: Quiz) -> None:
    assert [q.id for q in quiz.questions] == ["stack", "career", "work", "ai"]
    documented = {"stack": "frontend", "career": "junior", "work": "tickets",
                  "ai": "autocomplete"}
    for question_id, option_id in documented.items():
        question = quiz.question(question_id)
        assert question is not None and question.option(option_id) is not None


def test_fits_discord_selects(quiz: Quiz) -> None:
    for question in quiz.questions:
        assert len(question.options) <= 25
        for option in question.options:
            assert len(option.label) <= 100 and len(option.why) <= 100


def test_every_band_has_three_suggestions(quiz: Quiz) -> None:
    assert [(b.min, b.max) for b in quiz.bands] == [(0, 29), (30, 54), (55, 74), (75, 100)]
    assert all(len(b.advice) == 3 for b in quiz.bands)


@pytest.mark.skipif(not EVIDENCE.exists(), reason="shared evidence file not mounted")
def test_every_url_appears_verbatim_in_the_evidence_file(quiz: Quiz) -> None:
    evidence_urls = set(re.findall(r"https?://[^\s;|)]+", EVIDENCE.read_text("utf-8")))
    urls = [u for s in quiz.sources.values() for u in (s.url, *s.also)]
    assert urls and [u for u in urls if u not in evidence_urls] == []


@pytest.mark.skipif(not EVIDENCE.exists(), reason="shared evidence file not mounted")
def test_source_ids_match_the_evidence_table(quiz: Quiz) -> None:
    text = EVIDENCE.read_text("utf-8")
    for source_id, source in quiz.sources.items():
        row = next(line for line in text.splitlines() if line.startswith(f"| {source_id} |"))
        assert source.url in row, source_id
