"""Load a quiz file and check the rules that span several fields, with positions.

``bot.knowledge.loader`` calls :func:`load_quiz_text` for every
``knowledge/quiz/*.yaml``, so ``labwire kb validate`` reports quiz problems the
same way as knowledge problems: ``file:line:col: message``.
"""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

from bot.quiz.schema import (
    MAX_ADVICE,
    MIN_OPTIONS,
    SCORE_MAX,
    SCORE_MIN,
    Quiz,
    inline_citations,
)
from bot.yamldocs.fields import (
    DISCORD_SELECT_MENUS_MAX,
    DISCORD_SELECT_OPTIONS_MAX,
    EMBED_FIELD_MAX,
)
from bot.yamldocs.problems import Problem
from bot.yamldocs.validate import validate_document
from bot.yamldocs.yamlsource import Located, parse_yaml

log = logging.getLogger(__name__)

# Path = tuple[str | int, ...] as used by ``Located.where``.
_Path = tuple[str | int, ...]


def load_quiz_text(text: str, display: str) -> tuple[Quiz | None, list[Problem]]:
    """Parse, validate and cross-check one quiz; the quiz is None if anything is wrong."""
    located, problems = parse_yaml(text, display)
    if located is None:
        return None, problems
    quiz, schema_problems = validate_document(Quiz, located, display)
    problems = [*problems, *schema_problems]
    if quiz is None:
        return None, sorted(problems)
    problems.extend(check_quiz(quiz, located, display))
    if problems:
        return None, sorted(problems)
    return quiz, []


def load_quiz_file(path: str | Path) -> tuple[Quiz | None, list[Problem]]:
    """Read and load one quiz file (the terminal uses it to avoid loading all knowledge)."""
    path = Path(path)
    display = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, 1, f"cannot read quiz file: {exc}")]
    return load_quiz_text(text, display)


def check_quiz(quiz: Quiz, located: Located, display: str) -> list[Problem]:
    """Every cross-field rule; each problem points at the value to fix."""
    checker = _Checker(located, display)
    checker.counts(quiz)
    checker.unique_ids(quiz)
    checker.citations(quiz)
    checker.scale(quiz)
    checker.bands(quiz)
    return checker.problems


class _Checker:
    def __init__(self, located: Located, display: str) -> None:
        self.located = located
        self.display = display
        self.problems: list[Problem] = []

    def add(self, path: _Path, message: str, *, key: bool = False) -> None:
        line, col = self.located.where(path, key=key)
        self.problems.append(Problem(self.display, line, col, message))

    def counts(self, quiz: Quiz) -> None:
        """How many of each thing; Discord fixes the upper limits."""
        self._count(("questions",), len(quiz.questions), 1, DISCORD_SELECT_MENUS_MAX,
                    "questions", "one select menu per question, at most 5 per message")
        for qi, question in enumerate(quiz.questions):
            self._count(("questions", qi, "options"), len(question.options), MIN_OPTIONS,
                        DISCORD_SELECT_OPTIONS_MAX, f"options in question '{question.id}'",
                        "a Discord select menu holds at most 25")
            for oi, option in enumerate(question.options):
                self._count(("questions", qi, "options", oi, "cites"), len(option.cites), 1,
                            None, f"citations for option '{option.id}'",
                            "every answer's points must rest on a source")
        self._count(("bands",), len(quiz.bands), 1, None, "bands", "")
        for bi, band in enumerate(quiz.bands):
            self._count(("bands", bi, "advice"), len(band.advice), 1, MAX_ADVICE,
                        f"advice items in band '{band.id}'", "")
        self._count(("sources",), len(quiz.sources), 1, None, "sources", "")

    def _count(self, path: _Path, count: int, least: int, most: int | None,
               what: str, why: str) -> None:
        reason = f" ({why})" if why else ""
        if count < least:
            self.add(path, f"needs at least {least} {what}, found {count}{reason}")
        elif most is not None and count > most:
            self.add(path, f"has {count} {what}; at most {most} allowed{reason}")

    def unique_ids(self, quiz: Quiz) -> None:
        self._unique([q.id for q in quiz.questions], ("questions",), "question")
        for qi, question in enumerate(quiz.questions):
            self._unique(
                [o.id for o in question.options],
                ("questions", qi, "options"),
                f"option in question '{question.id}'",
            )
        self._unique([b.id for b in quiz.bands], ("bands",), "band")

    def _unique(self, ids: list[str], base: _Path, what: str) -> None:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                self.add((*base, index, "id"), f"duplicate {what} id '{item_id}'")
            seen.add(item_id)

    def citations(self, quiz: Quiz) -> None:
        known = list(quiz.sources)

        def check(path: _Path, cites: tuple[str, ...]) -> None:
            for ci, cite in enumerate(cites):
                if cite not in quiz.sources:
                    close = difflib.get_close_matches(cite, known, n=1, cutoff=0.6)
                    hint = f" (did you mean '{close[0]}'?)" if close else ""
                    self.add((*path, "cites", ci),
                             f"cites unknown source '{cite}'{hint}; add it under 'sources'")

        for qi, question in enumerate(quiz.questions):
            for oi, option in enumerate(question.options):
                check(("questions", qi, "options", oi), option.cites)
        for bi, band in enumerate(quiz.bands):
            for ai, advice in enumerate(band.advice):
                self._inline(("bands", bi, "advice", ai), advice, quiz)
        self._inline(("disclaimer",), quiz.disclaimer, quiz)
        if quiz.intro:
            self._inline(("intro",), quiz.intro, quiz)

    def _inline(self, path: _Path, text: str, quiz: Quiz) -> None:
        for cite in inline_citations(text):
            if cite not in quiz.sources:
                close = difflib.get_close_matches(cite, list(quiz.sources), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.add(path, f"mentions unknown source '({cite})'{hint}; add it under 'sources'")

    def scale(self, quiz: Quiz) -> None:
        lowest = sum(q.min_points for q in quiz.questions)
        highest = sum(q.max_points for q in quiz.questions)
        if quiz.scale.raw_min != lowest:
            self.add(("scale", "raw_min"),
                     f"scale.raw_min is {quiz.scale.raw_min} but the questions' lowest points "
                     f"add up to {lowest}")
        if quiz.scale.raw_max != highest:
            self.add(("scale", "raw_max"),
                     f"scale.raw_max is {quiz.scale.raw_max} but the questions' highest points "
                     f"add up to {highest}")
        if highest <= lowest:
            self.add(("scale",), "every answer combination gives the same raw score; "
                     "give some options different points")

    def bands(self, quiz: Quiz) -> None:
        expected = SCORE_MIN
        for bi, band in enumerate(quiz.bands):
            if band.min > band.max:
                self.add(("bands", bi, "max"),
                         f"band '{band.id}' ends ({band.max}) before it starts ({band.min})")
            if band.min > expected:
                self.add(("bands", bi, "min"),
                         f"gap: no band covers {_scores(expected, band.min - 1)} "
                         f"(band '{band.id}' starts at {band.min}); bands must be in order "
                         f"and cover {SCORE_MIN}-{SCORE_MAX}")
            elif band.min < expected:
                self.add(("bands", bi, "min"),
                         f"overlap: band '{band.id}' starts at {band.min} but scores up to "
                         f"{expected - 1} are already covered; bands must be in order "
                         f"and cover {SCORE_MIN}-{SCORE_MAX}")
            expected = max(expected, band.max + 1)
            self._advice_fits(bi, band.advice)
        if expected <= SCORE_MAX:
            self.add(("bands", len(quiz.bands) - 1, "max"),
                     f"gap: no band covers {_scores(expected, SCORE_MAX)}")

    def _advice_fits(self, bi: int, advice: tuple[str, ...]) -> None:
        # Shown as one numbered list in one embed field ("1. ...\n").
        total = sum(len(a) + 4 for a in advice)
        if total > EMBED_FIELD_MAX:
            self.add(("bands", bi, "advice"),
                     f"advice is {total} characters as a numbered list; Discord shows at most "
                     f"{EMBED_FIELD_MAX} in one field")


def _scores(first: int, last: int) -> str:
    return f"score {first}" if first == last else f"scores {first}-{last}"
