"""What a user reads: answers as text, rendered once for every adapter.

Discord shows :func:`answer_text` as an answer card's body and :func:`full_text`
behind its "More" button; ``labwire ask --json`` carries :func:`reply_text` as
``"text"``, which is the very same string, so anyone can check what a user reads.
The terminal uses the same functions with :data:`PLAIN` instead of markdown.

The short answer is the lead, then one line of labelled dates and the age of its
facts ("Resigned from OpenAI 7 Mar 2026 · as of 9 Mar 2026 (9 months ago)"), a
heads-up when the question asks about the present and the facts are old, and
at most three sources, best first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.search.dates import age_words, format_date, month_year
from bot.search.sentences import split_sentences
from bot.search.types import Answer, Dated, EntryRef, Freshness, Latest, Link, Result, Step

SHORT_MAX = 600  # visible characters before "More"
SHORT_SOURCES = 3
SHORT_DATES = 2
FULL_RELATED = 5
RISK_TEXT = ("That's what the risk quiz is for: try `/risk`. Four questions about your work "
             "give a 0-100 score, with the evidence behind every point.")
NO_ANSWER_TEXT = ("I don't have an answer for that yet: it doesn't look like anything in my "
                  "notes on AI-lab news.")
NOT_SURE_TEXT = "I'm not sure which one you mean. Did you mean:"
_MARKDOWN_SPECIAL = re.compile(r"([\\*_~`|])")
_LINE_START_SPECIAL = re.compile(r"^([>#-])", re.MULTILINE)
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]+)\)")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Style:
    """How emphasis and links are written: Discord markdown or plain terminal text."""

    markdown: bool

    def text(self, value: str) -> str:
        """Curated prose, shown literally (a '*' in a summary is not emphasis)."""
        if not self.markdown:
            return value
        return _LINE_START_SPECIAL.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", value))

    def bold(self, value: str) -> str:
        return f"**{self.text(value)}**" if self.markdown else value

    def italic(self, value: str) -> str:
        return f"*{self.text(value)}*" if self.markdown else value

    def link(self, title: str, url: str | None) -> str:
        """A markdown link; in plain text just the title (sources list their URLs)."""
        if url is None or not self.markdown:
            return self.text(title)
        label = self.text(title).replace("[", "\\[").replace("]", "\\]")
        return f"[{label}]({url})"


MARKDOWN = Style(markdown=True)
PLAIN = Style(markdown=False)


def visible_length(markdown: str) -> int:
    """How many characters a reader sees: links count as their label, escapes as one."""
    return len(_ESCAPE.sub(r"\1", _LINK.sub(r"\1", markdown)).replace("**", ""))


# --------------------------------------------------------------------------- dates


def dated(value: Dated) -> str:
    return f"{value.label} {format_date(value.date)}"


def as_of_text(freshness: Freshness) -> str:
    """'as of 28 Apr 2026 (7 months ago)'."""
    return f"as of {format_date(freshness.as_of)} ({age_words(freshness.days)})"


def caveat_text(freshness: Freshness) -> str:
    return (f"My newest fact here is from {format_date(freshness.as_of)}, "
            f"{age_words(freshness.days)}; it may have changed since.")


def date_line(answer: Answer, limit: int | None = SHORT_DATES) -> str:
    """Labelled dates, then how old the facts are, on one line."""
    parts = [dated(d) for d in answer.dates[:limit]]
    if not answer.dates and answer.undated:
        parts.append("Undated")
    if answer.freshness is not None:
        age = as_of_text(answer.freshness)
        parts.append(age[0].upper() + age[1:] if not parts else age)
    return " · ".join(parts)


def coverage_text(first: str | None, last: str | None) -> str:
    """'stories from Jan 2025 to Apr 2026'."""
    if first is None or last is None:
        return "no dated stories yet"
    if month_year(first) == month_year(last):
        return f"stories from {month_year(first)}"
    return f"stories from {month_year(first)} to {month_year(last)}"


# --------------------------------------------------------------------------- answers


def answer_text(answer: Answer, about: EntryRef | None = None, style: Style = MARKDOWN) -> str:
    """The short answer: what answers the question, its dates and age, three sources.

    It fits in :data:`SHORT_MAX` visible characters: when it would not, the role line
    goes first, then the quote, then supporting sentences from the end (the lead's
    first sentence, the dates, the age and the sources always stay).
    """
    sentences = split_sentences(answer.lead)
    variants = [(True, True, len(sentences)), (False, True, len(sentences)),
                *((False, False, n) for n in range(len(sentences), 0, -1))]
    text = ""
    for role, quote, kept in variants:
        text = _short(answer, about, style, " ".join(sentences[:kept]), role=role, quote=quote)
        if visible_length(text) <= SHORT_MAX:
            break
    return text


def _short(answer: Answer, about: EntryRef | None, style: Style, lead: str, *,
           role: bool, quote: bool) -> str:
    lines: list[str] = []
    if about is not None:
        lines.append(style.italic(f"about: {about.title}"))
    if lead:
        lines.append(style.text(lead))
    if quote and answer.quote and answer.focus == "reason":
        lines.append(style.text(f"“{answer.quote}”"))
    if answer.timeline_shown:
        lines += _steps(answer.timeline_shown, style)
        hidden = len(answer.timeline) - len(answer.timeline_shown)
        if hidden > 0:
            steps = "step" if hidden == 1 else "steps"
            lines.append(style.italic(f"{hidden} more {steps} under More"))
    if role and answer.role:
        lines.append(f"{style.bold('Role:')} {style.text(answer.role)}")
    line = date_line(answer)
    if line:
        lines.append(style.text(line))
    if answer.freshness is not None and answer.freshness.caveat:
        lines.append(f"{style.bold('Heads-up:')} {style.text(caveat_text(answer.freshness))}")
    if answer.sources:
        lines.append(_sources(answer.sources, style, SHORT_SOURCES))
    return "\n".join(lines)


def full_text(answer: Answer, style: Style = MARKDOWN) -> str:
    """The whole entry ("More"): summary, roles, departure, timeline, takeaways, dates,
    people, organisations, related stories and every source."""
    blocks: list[str] = [style.text(answer.summary)]
    if answer.roles:
        blocks.append(_list("Roles", answer.roles, style))
    if answer.departure:
        quote = f" “{answer.quote}”" if answer.quote else ""
        blocks.append(f"{style.bold('Departure:')} {style.text(answer.departure + quote)}")
    if answer.timeline:
        blocks.append("\n".join([style.bold("Timeline:"), *_steps(answer.timeline, style)]))
    if answer.takeaways:
        blocks.append(_list("Key takeaways", answer.takeaways, style))
    line = date_line(answer, limit=None)
    if line:
        blocks.append(style.text(line))
    if answer.undated:
        blocks.append(f"{style.bold('Undated:')} {style.text(answer.undated)}")
    refs = [(label, items) for label, items in (("People", answer.people),
                                                ("Organisations", answer.orgs)) if items]
    for label, items in refs:
        blocks.append(f"{style.bold(label + ':')} "
                      + ", ".join(style.link(r.title, r.url) for r in items))
    if answer.related:
        blocks.append(_list("Related", [style.link(r.title, r.url)
                                        for r in answer.related[:FULL_RELATED]], style,
                            escape=False))
    if answer.sources:
        blocks.append(_sources(answer.sources, style, None))
    return "\n\n".join(blocks)


def _steps(steps: Sequence[Step], style: Style) -> list[str]:
    return [f"{style.bold(format_date(s.date))} {style.text(s.text)}" for s in steps]


def _list(label: str, items: Sequence[str], style: Style, *, escape: bool = True) -> str:
    shown = [style.text(i) if escape else i for i in items]
    return "\n".join([style.bold(f"{label}:"), *(f"• {i}" for i in shown)])


def _sources(links: Sequence[Link], style: Style, limit: int | None) -> str:
    shown = links if limit is None else links[:limit]
    hidden = len(links) - len(shown)
    more = f"{hidden} more under More" if hidden else ""
    label = "Sources:" if len(links) > 1 else "Source:"
    if not style.markdown:  # a terminal shows the addresses themselves, one a line
        return "\n".join([label, *(f"  {s.url}" for s in shown), *([f"  ({more})"] * bool(more))])
    text = " · ".join(style.link(s.title, s.url) for s in shown)
    return f"{style.bold(label)} {text}{' · ' + more if more else ''}"


# --------------------------------------------------------------------------- other replies


def latest_text(latest: Latest, style: Style = MARKDOWN) -> str:
    """The newest stories, numbered, with the span the knowledge covers."""
    lines = [f"{style.bold('Latest stories')} ({coverage_text(latest.first, latest.last)})"]
    for number, item in enumerate(latest.items, 1):
        lines.append(f"{number}. {format_date(item.date)} · {style.link(item.title, item.url)}")
        if not style.markdown:
            lines.append(f"   {item.url}")
    if not latest.items:
        lines.append("No dated stories in the knowledge base yet.")
    return "\n".join(lines)


def suggestions_text(result: Result, style: Style = MARKDOWN) -> str:
    """'Did you mean…' (numbered) or 'I don't know that one', with what I do know."""
    if result.status == "not_sure" and result.suggestions:
        lines = [NOT_SURE_TEXT]
    else:
        lines = [NO_ANSWER_TEXT]
        if result.suggestions:
            lines.append("Closest things I do know about:")
    lines += [f"{i}. {style.link(s.title, s.url)} ({s.kind})"
              for i, s in enumerate(result.suggestions, 1)]
    if not result.suggestions:
        lines.append("Try a person (“who is Jan Leike”), a lab, or a story "
                     "(“why did Kalinowski quit”), or /latest for the newest stories.")
    return "\n".join(lines)


def reply_text(result: Result, style: Style = MARKDOWN) -> str:
    """The body of the reply a user gets for ``result``, whatever it is."""
    if result.route == "risk":
        return RISK_TEXT
    if result.route == "latest" and result.latest is not None:
        return latest_text(result.latest, style)
    if result.answered and result.answer is not None:
        return answer_text(result.answer, result.context_used, style)
    return suggestions_text(result, style)
