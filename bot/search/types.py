"""Renderer-neutral results of the answer engine, shared by the terminal and Discord."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.knowledge import EntryKey, is_entry_kind

AnswerKind = Literal["article", "person", "org", "takeaway"]
Status = Literal["answered", "not_sure", "no_answer"]
Focus = Literal["reason", "role", "when", "takeaway", "story", "summary", "timeline"]
Route = Literal["risk", "latest"]


@dataclass(frozen=True)
class EntryRef:
    """A pointer to a knowledge entry, enough to show it as a link or a choice."""

    kind: AnswerKind
    id: str
    title: str
    url: str | None = None


def shown_entry_key(kind: str, entry_id: str) -> EntryKey | None:
    """The knowledge entry behind an answer's kind and id (a takeaway's article)."""
    if kind == "takeaway" or "#" in entry_id:
        return EntryKey("article", entry_id.split("#", 1)[0])
    return EntryKey(kind, entry_id) if is_entry_kind(kind) else None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True)
class Dated:
    """A date with what it is the date of: ``Dated("Resigned", "2026-03-07")``."""

    label: str
    date: str  # a partial ISO date: '2026-03-07', '2026-03' or '2026'


@dataclass(frozen=True)
class Step:
    """One dated step of a story told as a timeline."""

    date: str
    text: str


@dataclass(frozen=True)
class Freshness:
    """How old the newest fact behind an answer is, against the engine's clock.

    ``caveat`` is set when the question asks about the present ('still', 'now',
    'currently', 'latest') and that fact is over 30 days old.
    """

    as_of: str
    days: int
    caveat: bool = False


@dataclass(frozen=True)
class Answer:
    """Everything a renderer needs to show one entry, short (the answer) and full ("More").

    ``lead`` is the part of the entry that answers the question, in whole sentences;
    ``summary`` is the entry's full summary.  For a ``takeaway`` answer, ``id`` is
    ``"<article id>#<takeaway id>"``, ``lead`` the takeaway and ``url`` its article's URL.
    ``sources`` are best first: an answer shows the first three.
    """

    kind: AnswerKind
    id: str
    title: str
    url: str | None
    summary: str
    lead: str = ""
    focus: Focus = "summary"
    dates: tuple[Dated, ...] = ()  # labelled, the one that matters for the question first
    freshness: Freshness | None = None
    role: str | None = None  # a person's role line, when the lead does not already say it
    roles: tuple[str, ...] = ()  # every role, ended ones marked ended
    subtitle: str | None = None  # outlet and author, a person's role, …
    sources: tuple[Link, ...] = ()
    people: tuple[EntryRef, ...] = ()
    orgs: tuple[EntryRef, ...] = ()
    takeaways: tuple[str, ...] = ()
    related: tuple[EntryRef, ...] = ()
    timeline: tuple[Step, ...] = ()
    timeline_shown: tuple[Step, ...] = ()  # the steps the short answer lists
    quote: str | None = None
    departure: str | None = None  # a person's departure, labelled, with the reason
    undated: str | None = None  # why a story has no date
    article: EntryRef | None = None  # for takeaways: the article it belongs to

    @property
    def date(self) -> str | None:
        """The main date (a story's, a person's departure), unlabelled."""
        return self.dates[0].date if self.dates else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LatestItem:
    title: str
    url: str
    date: str
    outlet: str


@dataclass(frozen=True)
class Latest:
    """The newest dated stories, and the span of dates the knowledge covers."""

    items: tuple[LatestItem, ...]
    first: str | None  # the oldest story's date
    last: str | None  # the newest story's date
    undated: int = 0  # stories left out because they have no date


@dataclass(frozen=True)
class Result:
    """The engine's reply to one question.

    ``status`` is ``answered`` only when the best entry is confident and clearly
    ahead of the runner-up; ``not_sure`` carries suggestions instead; ``no_answer``
    means the question looks out of scope (suggestions may still be offered).
    ``route`` names a feature that serves the question better than an entry:
    ``"risk"`` (the quiz) or ``"latest"`` (the newest stories, in ``latest``).
    """

    question: str
    status: Status
    answer: Answer | None
    confidence: float
    suggestions: tuple[EntryRef, ...] = field(default=())
    # The entry a follow-up was read against (the previous answer's), when it was used.
    context_used: EntryRef | None = None
    route: Route | None = None
    latest: Latest | None = None

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    def to_json(self) -> dict[str, Any]:
        """The ``labwire ask --json`` shape; ``text`` is exactly what Discord shows."""
        # Imported here: the renderer reads these types, so it cannot be imported above.
        from bot.search.render import reply_text

        answer = None
        if self.answer is not None and self.answered:
            answer = {
                "kind": self.answer.kind,
                "id": self.answer.id,
                "title": self.answer.title,
                "url": self.answer.url,
                "summary": self.answer.summary,
                "sources": [link.url for link in self.answer.sources],
            }
        freshness = self.answer.freshness if self.answer is not None else None
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": answer,
            "text": reply_text(self),
            "as_of": freshness.as_of if freshness is not None and self.answered else None,
            "confidence": round(self.confidence, 4),
            "suggestions": [
                {"kind": s.kind, "id": s.id, "title": s.title, "url": s.url}
                for s in self.suggestions
            ],
            "context": None if self.context_used is None else {
                "kind": self.context_used.kind, "id": self.context_used.id,
                "title": self.context_used.title},
            "route": None if self.route is None else f"/{self.route}",
        }
