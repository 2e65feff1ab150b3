"""Drafts as YAML files: how they are written, read back and turned into an article file.

A draft file is an article file with one extra top-level key, ``draft:``, that
holds the notes for the moderator (the page's lead paragraphs, names we do not
know, warnings).  The engine never loads ``knowledge/drafts/``; publishing cuts
the ``draft:`` block and the header comment out of the text and uploads the rest
as an ordinary article, so the page's prose is never published.  Cutting keeps
a map from the published text's lines back to the draft's, so validation
problems point at the line the moderator sees in the draft.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from bot.drafts.model import Draft, DraftNotes, DraftTakeaway
from bot.knowledge import Problem
from bot.yamldocs.yamlsource import parse_yaml

NOTES_KEY = "draft"
WRAP = 88
HEADER = (
    "# A draft article made by Labwire from a link. Write `summary` and `takeaways` in your\n"
    "# own words, check the rest, then publish. The `draft:` block at the end holds notes\n"
    "# for you (the page's opening paragraphs, names we do not know yet); it is never\n"
    "# published.\n"
)
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def render_draft(draft: Draft) -> str:
    """The draft as YAML, in the order a moderator reads it, notes last."""
    lines = [HEADER.rstrip("\n")]
    lines.append(f"id: {_scalar(draft.id)}")
    lines.append(f"title: {_scalar(draft.title)}")
    lines.append(f"url: {_scalar(draft.url)}")
    lines.append(f"outlet: {_scalar(draft.outlet)}")
    if draft.author:
        lines.append(f"author: {_scalar(draft.author)}")
    if draft.published:
        lines.append(f"published: {draft.published}")
    lines.extend(_text_field("summary", draft.summary, indent=0))
    if draft.takeaways:
        lines.append("takeaways:")
        for takeaway in draft.takeaways:
            lines.append(f"  - id: {_scalar(takeaway.id)}")
            lines.extend(_text_field("text", takeaway.text, indent=4))
    else:
        lines.append("takeaways: []")
    lines.append(f"people: {_flow(draft.people)}")
    lines.append(f"orgs: {_flow(draft.orgs)}")
    if draft.tags:
        lines.append(f"tags: {_flow(draft.tags)}")
    lines.extend(_list_field("questions", draft.questions, indent=0))
    lines.extend(_notes(draft.notes))
    return "\n".join(lines) + "\n"


def _notes(notes: DraftNotes) -> list[str]:
    lines = [f"{NOTES_KEY}:", f"  made_from: {_scalar(notes.made_from)}",
             f"  made_at: {_scalar(notes.made_at)}"]
    if notes.feed_item:
        lines.append(f"  feed_item: {_scalar(notes.feed_item)}")
    lines.extend(_list_field("warnings", notes.warnings, indent=2))
    lines.extend(_list_field("possibly_new", notes.possibly_new, indent=2))
    lines.extend(_list_field("lead", notes.lead, indent=2))
    return lines


def _scalar(value: str) -> str:
    """Plain when YAML reads it back unchanged, else double-quoted (as the knowledge files)."""
    dumped = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True,
                            width=1_000_000).removesuffix("\n").removesuffix("\n...").strip()
    return dumped if dumped == value else json.dumps(value, ensure_ascii=False)


def _flow(items: Sequence[str]) -> str:
    return "[" + ", ".join(_scalar(i) for i in items) + "]"


def _text_field(key: str, text: str, indent: int) -> list[str]:
    pad = " " * indent
    if not text:
        return [f'{pad}{key}: ""']
    if len(text) + indent + len(key) + 2 <= WRAP and "\n" not in text:
        return [f"{pad}{key}: {_scalar(text)}"]
    return [f"{pad}{key}: >-", *_folded(text, indent + 2)]


def _list_field(key: str, items: Sequence[str], indent: int) -> list[str]:
    pad = " " * indent
    if not items:
        return [f"{pad}{key}: []"]
    lines = [f"{pad}{key}:"]
    for item in items:
        if len(item) + indent + 4 <= WRAP:
            lines.append(f"{pad}  - {_scalar(item)}")
        else:
            lines.append(f"{pad}  - >-")
            lines.extend(_folded(item, indent + 4))
    return lines


def _folded(text: str, indent: int) -> list[str]:
    """A folded block: one paragraph per blank-line-separated part, wrapped."""
    pad = " " * indent
    out: list[str] = []
    for number, paragraph in enumerate(p for p in text.split("\n") if p.strip()):
        if number:
            out.append("")
        out.extend(textwrap.wrap(" ".join(paragraph.split()), width=max(40, WRAP - indent),
                                 initial_indent=pad, subsequent_indent=pad,
                                 break_long_words=False, break_on_hyphens=False))
    return out


# -- reading ------------------------------------------------------------------------


class DraftFormatError(ValueError):
    """The draft text is not a YAML mapping with an id."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = tuple(problems)


def parse_draft(text: str, display: str) -> Draft:
    """Read a draft file back (tolerant of missing fields; publishing validates strictly)."""
    located, problems = parse_yaml(text, display)
    if located is None or problems:
        raise DraftFormatError(problems)
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise DraftFormatError([Problem(display, 1, 1, "a draft is a YAML mapping with an id")])
    raw_notes = data.get(NOTES_KEY)
    notes: Mapping[str, Any] = raw_notes if isinstance(raw_notes, dict) else {}
    return Draft(
        id=data["id"],
        title=_text(data.get("title")),
        url=_text(data.get("url")),
        outlet=_text(data.get("outlet")),
        author=_text(data.get("author")) or None,
        published=_text(data.get("published")) or None,
        summary=_text(data.get("summary")),
        takeaways=tuple(DraftTakeaway(_text(t.get("id")), _text(t.get("text")))
                        for t in _items(data.get("takeaways")) if isinstance(t, dict)),
        people=tuple(_text(p) for p in _items(data.get("people"))),
        orgs=tuple(_text(o) for o in _items(data.get("orgs"))),
        tags=tuple(_text(t) for t in _items(data.get("tags"))),
        questions=tuple(_text(q) for q in _items(data.get("questions"))),
        notes=DraftNotes(
            made_from=_text(notes.get("made_from")),
            made_at=_text(notes.get("made_at")),
            lead=tuple(_text(p) for p in _items(notes.get("lead"))),
            possibly_new=tuple(_text(p) for p in _items(notes.get("possibly_new"))),
            warnings=tuple(_text(w) for w in _items(notes.get("warnings"))),
            feed_item=_text(notes.get("feed_item")) or None,
        ),
    )


def _items(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value.isoformat() if hasattr(value, "isoformat") else value).strip()


# -- publishing -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublishableText:
    """The article file text, and for each of its lines the line in the draft."""

    text: str
    draft_lines: tuple[int, ...]

    def draft_line(self, line: int) -> int:
        if not self.draft_lines:
            return 1
        return self.draft_lines[min(max(line, 1), len(self.draft_lines)) - 1]


def publishable_text(text: str) -> PublishableText:
    """Cut the header comment and the ``draft:`` block: what remains is the article file."""
    kept: list[str] = []
    numbers: list[int] = []
    in_notes = False
    header = True
    for number, line in enumerate(text.splitlines(), start=1):
        if header and (line.startswith("#") or not line.strip()):
            continue  # the draft's header comment; the article file starts at its first key
        header = False
        key = _TOP_LEVEL_KEY.match(line)
        if key is not None:
            in_notes = key.group(1) == NOTES_KEY
        elif line.startswith("#") and in_notes:
            continue
        if in_notes:
            continue
        kept.append(line)
        numbers.append(number)
    while kept and not kept[-1].strip():
        kept.pop()
        numbers.pop()
    return PublishableText("\n".join(kept) + "\n" if kept else "", tuple(numbers))
