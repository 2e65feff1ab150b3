"""The shipped knowledge/quiz/risk.yaml: valid, sourced from the URL ledger, Discord-sized."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.knowledge import load_knowledge_or_raise
from bot.knowledge.schema import LedgerEntry
from bot.quiz.loader import load_quiz_file
from bot.quiz.schema import Quiz

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "knowledge" / "quiz" / "risk.yaml"


@pytest.fixture(scope="module")
def ledger() -> Mapping[str, LedgerEntry]:
    return load_knowledge_or_raise(REPO / "knowledge").ledger


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


def test_every_url_is_in_the_ledger(quiz: Quiz, ledger: Mapping[str, LedgerEntry]) -> None:
    urls = [u for s in quiz.sources.values() for u in (s.url, *s.also)]
    assert urls and [u for u in urls if u not in ledger] == []
    assert not [u for u in urls if ledger[u].do_not_cite]


def test_each_source_points_at_its_own_evidence_row(
    quiz: Quiz, ledger: Mapping[str, LedgerEntry]
) -> None:
    """A URL copied from the evidence table comes from the source's own row (E24's from
    E24); a URL added later says where it was verified instead."""
    for source_id, source in quiz.sources.items():
        for url in (source.url, *source.also):
            entry = ledger[url]
            if entry.verified is None:
                assert entry.from_ is not None
                rows = {place.rsplit(" › ", 1)[-1] for place in entry.from_.split("; ")}
                assert source_id in rows, (source_id, url, entry.from_)
