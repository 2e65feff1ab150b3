"""Plain-text rendering of engine results for the terminal."""

from __future__ import annotations

import textwrap

from bot.search import Answer, EntryRef, Result

WIDTH = 88


def _wrap(text: str, indent: str = "", hang: str | None = None) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=indent,
                         subsequent_indent=indent if hang is None else hang)


def _refs(refs: tuple[EntryRef, ...] | list[EntryRef]) -> str:
    return ", ".join(r.title for r in refs)


def format_answer(answer: Answer) -> str:
    lines = [answer.title]
    meta = " · ".join(x for x in (answer.subtitle, answer.date) if x)
    if meta:
        lines.append(meta)
    lines += ["", _wrap(answer.summary)]
    if answer.quote:
        lines += ["", _wrap(f"“{answer.quote}”", "  ")]
    if answer.kind != "takeaway" and answer.takeaways:
        heading = "Key takeaways:" if answer.kind == "article" else "Departure:"
        lines += ["", heading]
        lines += [_wrap(f"- {t}", "  ", "    ") for t in answer.takeaways[:4]]
    if answer.people:
        lines += ["", f"People: {_refs(answer.people)}"]
    if answer.orgs:
        lines.append(f"Organisations: {_refs(answer.orgs)}")
    if answer.related:
        lines.append(f"Related: {_refs(answer.related[:4])}")
    if answer.sources:
        lines += ["", "Sources:"] + [f"  {link.url}" for link in answer.sources[:4]]
    return "\n".join(lines)


def format_suggestions(suggestions: tuple[EntryRef, ...], numbered: bool = True) -> str:
    return "\n".join(
        f"  {i}. {s.title} ({s.kind})" if numbered else f"  - {s.title} ({s.kind})"
        for i, s in enumerate(suggestions, 1)
    )


def format_result(result: Result, *, numbered: bool = True) -> str:
    """The answer, or the suggestions (numbered where a number can pick one: the chat)."""
    if result.answered and result.answer is not None:
        return format_answer(result.answer)
    if result.status == "not_sure" and result.suggestions:
        return ("I'm not sure which story you mean. Did you mean one of these?\n"
                + format_suggestions(result.suggestions, numbered))
    text = ("I don't know about that: it doesn't look like anything in my knowledge base "
            "of AI-lab news.")
    if result.suggestions:
        text += ("\nClosest things I do know about:\n"
                 + format_suggestions(result.suggestions, numbered))
    else:
        text += ("\nTry a person (\"who is Jan Leike\"), a lab, "
                 "or a story (\"why did Kalinowski quit\").")
    return text
