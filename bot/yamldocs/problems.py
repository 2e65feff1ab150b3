"""Validation problems, each tied to a place in a file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.wording import plural


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a knowledge file, at a 1-based line and column.

    ``follows_from`` names the file whose own problem causes this one (an article
    citing a person whose file does not load): fixing that file fixes this too.
    """

    file: str
    line: int
    col: int
    message: str
    follows_from: str = field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


def count_text(problems: Iterable[Problem]) -> str:
    """'3 problems', or '1 problem (and 11 that follow from it)': what there is to fix."""
    listed = list(problems)
    following = sum(1 for p in listed if p.follows_from)
    roots = len(listed) - following
    text = plural(roots, "problem")
    if following:
        text += f" (and {following} that follow{'s' if following == 1 else ''} from "
        text += f"{'it' if roots == 1 else 'them'})"
    return text


def report_order(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once: root causes first (by file and place), then what follows from them."""
    return sorted(set(problems), key=lambda p: (bool(p.follows_from), p))


class KnowledgeError(Exception):
    """Raised when a knowledge directory does not validate; carries every problem."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = report_order(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
