"""No "problem(s)", "day(s)" or "quiz(zes)" in anything Labwire says: counts agree with nouns.

Every string literal in ``bot/`` is checked; counted nouns go through
:func:`bot.wording.plural`.  ("http(s)" is a URL scheme, not a plural.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.wording import plural

BOT = Path(__file__).resolve().parents[1] / "bot"
LAZY_PLURAL = re.compile(r"[a-z]\((s|es|zes|ies)\)", re.IGNORECASE)


def string_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


def test_no_lazy_plurals_in_what_labwire_says() -> None:
    found = [f"{path.relative_to(BOT.parent)}:{line}: {match.group(0)!r}"
             for path in sorted(BOT.rglob("*.py"))
             for line, text in string_literals(path)
             for match in LAZY_PLURAL.finditer(text.replace("http(s)", "https"))]
    assert not found, "use bot.wording.plural:\n" + "\n".join(found)


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "problem") == "1 problem"
    assert plural(0, "problem") == "0 problems"
    assert plural(2, "quiz", "quizzes") == "2 quizzes"
    assert plural(1, "person", "people") == "1 person"
