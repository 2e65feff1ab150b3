"""Counted nouns in plain English: "1 problem", "3 problems", "2 quizzes", never a bracketed "s"."""

from __future__ import annotations


def plural(count: int, singular: str, many: str | None = None) -> str:
    """``count`` and the noun agreeing with it; ``many`` for irregular plurals ("quizzes")."""
    noun = singular if count == 1 else (many or f"{singular}s")
    return f"{count} {noun}"
