"""Answer quality on the development question set, against the two baselines.

The floors sit a few points under what the engine reaches, so a change that makes
answers worse fails CI (see benchmarks/eval.py for the full table).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.eval import evaluate

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO / "benchmarks" / "questions" / "dev.yaml"


def test_engine_beats_floors_and_baselines() -> None:
    ours, *baselines = evaluate(DEV_SET, REPO / "knowledge")
    assert ours.accuracy >= 0.90, ours.wrong
    assert ours.abstention_precision >= 0.85
    assert ours.abstention_recall >= 0.85
    best_baseline = min(b.error_rate for b in baselines)
    assert ours.error_rate <= best_baseline / 2, (ours.error_rate, best_baseline)


@pytest.mark.parametrize(("name", "accuracy", "precision", "recall"), [
    ("community.yaml", 0.82, 0.75, 0.85),
    ("spot-check.yaml", 0.90, 0.90, 0.80),
])
def test_engine_holds_up_on_the_bundled_question_sets(
    name: str, accuracy: float, precision: float, recall: float
) -> None:
    """Sets written without the engine in view; floors a few points under today's."""
    ours, *_ = evaluate(REPO / "benchmarks" / "questions" / name, REPO / "knowledge")
    assert ours.accuracy >= accuracy, ours.wrong
    assert ours.abstention_precision >= precision
    assert ours.abstention_recall >= recall
