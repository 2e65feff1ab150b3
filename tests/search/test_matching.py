"""Matcher properties on a tiny, controlled knowledge base."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge_or_raise
from bot.runtime import KnowledgeService
from bot.search import Engine
from tests.knowledge.conftest import valid_files, write_kb


def _engine(tmp_path: Path) -> Engine:
    return Engine(load_knowledge_or_raise(write_kb(tmp_path / "kb", valid_files())))


def test_rare_name_decides_even_with_a_typo(tmp_path: Path) -> None:
    result = _engine(tmp_path).ask("jane dooe")
    assert result.answer is not None and result.answer.id == "jane-doe"


def test_unknown_topic_words_lead_to_no_answer(tmp_path: Path) -> None:
    result = _engine(tmp_path).ask("what did zorblax quimby say about fluffernutter")
    assert result.status == "no_answer"


def test_curated_question_phrasing_is_found(tmp_path: Path) -> None:
    result = _engine(tmp_path).ask("what contract did acme sign")
    assert result.answered and result.answer is not None
    assert result.answer.id == "2026-02-acme-signs-deal"


def test_reload_swaps_the_engine_only_when_valid(tmp_path: Path) -> None:
    root = write_kb(tmp_path / "kb", valid_files())
    service = KnowledgeService.load(root)
    before = service.engine
    (root / "people/jane-doe.yaml").write_text("id: jane-doe\nname: [broken\n")
    outcome = service.reload()
    assert not outcome.ok and outcome.problems
    assert service.engine is before, "a broken reload keeps serving the last good model"
    (root / "people/jane-doe.yaml").write_text(valid_files()["people/jane-doe.yaml"]
                                               .replace("Jane Doe led", "Jane Doe ran"))
    assert service.reload().ok
    assert service.engine is not before
    assert before.ask("jane doe").answer is not None, "in-flight users keep their engine"
