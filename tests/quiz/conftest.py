"""Small quizzes built in code or YAML, so tests don't depend on the shipped file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from bot.quiz.schema import Quiz

SMALL_QUIZ_YAML = """\
version: 3
data_as_of: 2026-05
title: Tiny quiz
disclaimer: Not a forecast (S1).
scale:
  raw_min: 1
  raw_max: 9
questions:
  - id: colour
    prompt: Favourite colour?
    short: Colour
    options:
      - {id: red, label: Red, points: 5, why: Red is loud, cites: [S1]}
      - {id: blue, label: Blue, points: 1, why: Blue is calm, cites: [S1, S2]}
  - id: size
    prompt: What size?
    short: Size
    options:
      - {id: small, label: Small, points: 0, why: Small is fine, cites: [S2]}
      - {id: large, label: Large, points: 4, why: Large is big, cites: [S2]}
bands:
  - id: low
    name: Low
    min: 0
    max: 49
    headline: All good.
    advice: [Keep going (S1).]
  - id: high
    name: High
    min: 50
    max: 100
    headline: Watch out.
    advice: [Slow down (S2).]
sources:
  S1: {title: First source, url: "https://example.org/one", year: 2025}
  S2: {title: Second source, url: "https://example.org/two", year: 2024}
"""


@pytest.fixture
def small_quiz_yaml() -> str:
    return SMALL_QUIZ_YAML


def build_quiz(points: Sequence[Sequence[int]], band_starts: Sequence[int] = (0,)) -> Quiz:
    """A valid quiz with the given points per question and bands starting at ``band_starts``."""
    questions: list[dict[str, Any]] = [
        {
            "id": f"q{qi}",
            "prompt": f"Question {qi}?",
            "short": f"Q{qi}",
            "options": [
                {"id": f"o{oi}", "label": f"Option {oi}", "points": p, "why": "because",
                 "cites": ["S1"]}
                for oi, p in enumerate(opts)
            ],
        }
        for qi, opts in enumerate(points)
    ]
    starts = sorted(set(band_starts) | {0})
    bands = [
        {"id": f"b{i}", "name": f"Band {i}", "min": start,
         "max": (starts[i + 1] - 1) if i + 1 < len(starts) else 100,
         "headline": "h", "advice": ["a"]}
        for i, start in enumerate(starts)
    ]
    return Quiz.model_validate({
        "version": 1,
        "data_as_of": "2026-06",
        "title": "Generated",
        "disclaimer": "d",
        "scale": {"raw_min": sum(min(o) for o in points), "raw_max": sum(max(o) for o in points)},
        "questions": questions,
        "bands": bands,
        "sources": {"S1": {"title": "t", "url": "https://example.org/s", "year": 2025}},
    })
