"""Plain-text views of a quiz and its result, for the terminal and `labwire chat`.

Renderer-neutral: no colours, no Discord markup.  The Discord adapter builds
its embed from the same :class:`~bot.quiz.scoring.QuizResult` fields.
"""

from __future__ import annotations

import textwrap

from bot.quiz.schema import Question
from bot.quiz.scoring import QuizResult

WIDTH = 78


def format_question(question: Question, number: int, total: int) -> str:
    """'Question 1/4: What do you mostly build?' followed by numbered choices."""
    lines = [f"Question {number}/{total}: {question.prompt}"]
    for index, option in enumerate(question.options, start=1):
        lines.append(f"  {index:>2}. {option.label}")
    return "\n".join(lines)


def format_result_text(result: QuizResult, *, width: int = WIDTH) -> str:
    """The whole result: score, band, breakdown with citations, arithmetic, advice, sources."""
    out = [
        f"AI risk score: {result.score}/100 ({result.band.name})",
        f"{result.band.headline}",
        "",
        *_breakdown_lines(result, width),
        "",
        f"{result.sum_text};  {result.arithmetic}",
        f"Bands: {result.band.name} is {result.band.min}-{result.band.max}.",
        "",
        "What to do next:",
    ]
    for index, advice in enumerate(result.band.advice, start=1):
        out.append(textwrap.fill(advice, width, initial_indent=f" {index}. ",
                                 subsequent_indent="    "))
    out += ["", "Sources:"]
    for cite in result.citations():
        out.append(textwrap.fill(f"{cite.title} ({cite.year}) {cite.url}", width,
                                 initial_indent=f" [{cite.id}] ",
                                 subsequent_indent=" " * (len(cite.id) + 4),
                                 break_long_words=False, break_on_hyphens=False))
    out += [
        "",
        textwrap.fill(result.disclaimer, width),
        f"Data as of {result.data_as_of} · quiz version {result.quiz_version}",
    ]
    return "\n".join(out)


def _breakdown_lines(result: QuizResult, width: int) -> list[str]:
    factor_width = max(len(b.factor) for b in result.breakdown)
    short_width = max(len(b.short) for b in result.breakdown)
    lines = []
    for item in result.breakdown:
        head = (f"{item.factor:<{factor_width}}  {item.short + ' ':.<{short_width + 4}} "
                f"{item.points:>2}/{item.max_points}")
        cites = ",".join(c.id for c in item.citations)
        lines.append(head)
        lines.append(textwrap.fill(f"{item.rationale} [{cites}]", width,
                                   initial_indent="    ", subsequent_indent="    "))
    return lines
