"""Score a set of answers: pure, deterministic, and checkable by hand.

``score = round(100 * (raw - raw_min) / (raw_max - raw_min))`` with halves
rounded up, computed in integers so no float ever decides a band.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.quiz.schema import Band, Question, Quiz, Source


class AnswerError(ValueError):
    """The answers do not fit the quiz; the message names every valid id."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    url: str
    year: int


@dataclass(frozen=True)
class AnswerBreakdown:
    """What one answer contributed, and why."""

    question_id: str
    question: str
    factor: str
    option_id: str
    label: str
    short: str
    points: int
    max_points: int
    rationale: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class QuizResult:
    """A scored quiz; everything a renderer (terminal, Discord embed, JSON) needs."""

    quiz_title: str
    quiz_version: int
    data_as_of: str
    answers: Mapping[str, str]
    raw: int
    raw_min: int
    raw_max: int
    score: int
    band: Band
    breakdown: tuple[AnswerBreakdown, ...]
    band_citations: tuple[Citation, ...]
    disclaimer: str

    @property
    def arithmetic(self) -> str:
        """The sum a user can redo by hand, e.g. 'raw 72 -> round(100*(72-18)/80) = 68'."""
        span = self.raw_max - self.raw_min
        return f"raw {self.raw} -> round(100*({self.raw}-{self.raw_min})/{span}) = {self.score}"

    @property
    def sum_text(self) -> str:
        """The raw sum spelled out, e.g. '18 + 14 + 30 + 10 = 72'."""
        return " + ".join(str(b.points) for b in self.breakdown) + f" = {self.raw}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (``labwire risk --json``)."""

        def cite(c: Citation) -> dict[str, Any]:
            return {"id": c.id, "title": c.title, "url": c.url, "year": c.year}

        return {
            "quiz": {"title": self.quiz_title, "version": self.quiz_version,
                     "data_as_of": self.data_as_of},
            "answers": dict(self.answers),
            "score": self.score,
            "band": {"id": self.band.id, "name": self.band.name, "min": self.band.min,
                     "max": self.band.max, "headline": self.band.headline,
                     "advice": list(self.band.advice)},
            "raw": self.raw,
            "raw_min": self.raw_min,
            "raw_max": self.raw_max,
            "arithmetic": self.arithmetic,
            "breakdown": [
                {"question": b.question_id, "factor": b.factor, "answer": b.option_id,
                 "label": b.label, "points": b.points, "max": b.max_points,
                 "rationale": b.rationale, "citations": [c.id for c in b.citations]}
                for b in self.breakdown
            ],
            "sources": [cite(c) for c in self.citations()],
            "disclaimer": self.disclaimer,
        }

    def citations(self) -> tuple[Citation, ...]:
        """Every source behind this result, answers first, each once."""
        seen: dict[str, Citation] = {}
        for item in (*[c for b in self.breakdown for c in b.citations], *self.band_citations):
            seen.setdefault(item.id, item)
        return tuple(seen.values())


def rescale(raw: int, raw_min: int, raw_max: int) -> int:
    """``round(100*(raw-raw_min)/(raw_max-raw_min))``, halves up, in exact integers."""
    span = raw_max - raw_min
    return (200 * (raw - raw_min) + span) // (2 * span)


def score(quiz: Quiz, answers: Mapping[str, str]) -> QuizResult:
    """Score one answer per question; raise :class:`AnswerError` naming valid ids."""
    chosen = _check_answers(quiz, answers)
    breakdown = tuple(_explain(quiz, q, chosen[q.id]) for q in quiz.questions)
    raw = sum(b.points for b in breakdown)
    value = rescale(raw, quiz.scale.raw_min, quiz.scale.raw_max)
    band = quiz.band_for(value)
    return QuizResult(
        quiz_title=quiz.title,
        quiz_version=quiz.version,
        data_as_of=quiz.data_as_of,
        answers={q.id: chosen[q.id] for q in quiz.questions},
        raw=raw,
        raw_min=quiz.scale.raw_min,
        raw_max=quiz.scale.raw_max,
        score=value,
        band=band,
        breakdown=breakdown,
        band_citations=_citations(quiz, band.cites),
        disclaimer=quiz.disclaimer,
    )


def _check_answers(quiz: Quiz, answers: Mapping[str, str]) -> dict[str, str]:
    problems: list[str] = []
    question_ids = [q.id for q in quiz.questions]
    for key in answers:
        if quiz.question(key) is None:
            close = difflib.get_close_matches(key, question_ids, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                f"unknown question '{key}' ({hint}questions: {', '.join(question_ids)})"
            )
    chosen: dict[str, str] = {}
    for question in quiz.questions:
        valid = ", ".join(o.id for o in question.options)
        answer = answers.get(question.id)
        if answer is None:
            problems.append(f"no answer for '{question.id}' (choose one of: {valid})")
        elif question.option(answer) is None:
            close = difflib.get_close_matches(answer, [o.id for o in question.options], n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(
                f"'{answer}' is not an answer to '{question.id}' ({hint}choose one of: {valid})"
            )
        else:
            chosen[question.id] = answer
    if problems:
        raise AnswerError(problems)
    return chosen


def _explain(quiz: Quiz, question: Question, option_id: str) -> AnswerBreakdown:
    option = question.option(option_id)
    assert option is not None  # checked by _check_answers
    return AnswerBreakdown(
        question_id=question.id,
        question=question.prompt,
        factor=question.short,
        option_id=option.id,
        label=option.label,
        short=option.display_short,
        points=option.points,
        max_points=question.max_points,
        rationale=option.why,
        citations=_citations(quiz, option.cites),
    )


def _citations(quiz: Quiz, ids: tuple[str, ...]) -> tuple[Citation, ...]:
    return tuple(_citation(i, quiz.sources[i]) for i in ids if i in quiz.sources)


def _citation(source_id: str, source: Source) -> Citation:
    return Citation(source_id, source.title, source.url, source.year)


def all_answer_combinations(quiz: Quiz) -> list[dict[str, str]]:
    """Every possible set of answers (875 for the shipped quiz); for tests and statistics."""
    combos: list[dict[str, str]] = [{}]
    for question in quiz.questions:
        combos = [{**c, question.id: o.id} for c in combos for o in question.options]
    return combos


def band_counts(quiz: Quiz) -> dict[str, int]:
    """How many answer combinations land in each band, in band order."""
    counts = {b.id: 0 for b in quiz.bands}
    for answers in all_answer_combinations(quiz):
        counts[score(quiz, answers).band.id] += 1
    return counts
