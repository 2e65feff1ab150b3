"""Plain-text rendering of engine results for the terminal.

The words are the ones Discord shows (:mod:`bot.search.render`, in its plain
style): the short answer first, then, under "More", the whole entry, since a
terminal has no button to tap.
"""

from __future__ import annotations

import re
import textwrap

from bot.search import Answer, EntryRef, Result
from bot.search.render import PLAIN, answer_text, full_text, reply_text

WIDTH = 88
MORE_RULE = "── More " + "─" * 20
_HANG = re.compile(r"^(\s*)(• |\d+\. )?")


def wrap(text: str) -> str:
    """Every line wrapped to the terminal width, list items with a hanging indent;
    addresses are never broken."""
    return "\n".join(_wrap_line(line) for line in text.splitlines())


def _wrap_line(line: str) -> str:
    if not line:
        return ""
    match = _HANG.match(line)
    indent = match.group(1) if match else ""
    hang = indent + " " * len(match.group(2) or "") if match else ""
    return textwrap.fill(line.strip(), WIDTH, initial_indent=indent, subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False)


def format_answer(answer: Answer, about: EntryRef | None = None, *, full: bool = True) -> str:
    """The title and the short answer; with ``full``, the whole entry under "More"."""
    parts = [answer.title, wrap(answer_text(answer, about, PLAIN))]
    if full:
        parts += ["", MORE_RULE, wrap(full_text(answer, PLAIN))]
    return "\n".join(parts)


def format_result(result: Result, *, full: bool = True) -> str:
    if result.route is None and result.answered and result.answer is not None:
        return format_answer(result.answer, result.context_used, full=full)
    return wrap(reply_text(result, PLAIN))
