"""Renderer-neutral results of the answer engine, shared by the terminal and Discord."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.knowledge import EntryKey, is_entry_kind

AnswerKind = Literal["article", "person", "org", "takeaway"]
Status = Literal["answered", "not_sure", "no_answer"]
Route = Literal["risk"]


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
class Answer:
    """Everything a renderer needs to show one entry.

    For a ``takeaway`` answer, ``id`` is ``"<article id>#<takeaway id>"``,
    ``summary`` is the takeaway text and ``url`` its article's URL.
    """

    kind: AnswerKind
    id: str
    title: str
    url: str | None
    summary: str
    date: str | None = None
    subtitle: str | None = None  # outlet and author, a person's role, …
    sources: tuple[Link, ...] = ()
    people: tuple[EntryRef, ...] = ()
    orgs: tuple[EntryRef, ...] = ()
    takeaways: tuple[str, ...] = ()
    related: tuple[EntryRef, ...] = ()
    quote: str | None = None
    article: EntryRef | None = None  # for takeaways: the article it belongs to

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Result:
    """The engine's reply to one question.

    ``status`` is ``answered`` only when the best entry is confident and clearly
    ahead of the runner-up; ``not_sure`` carries suggestions instead; ``no_answer``
    means the question looks out of scope (suggestions may still be offered).
    """

    question: str
    status: Status
    answer: Answer | None
    confidence: float
    suggestions: tuple[EntryRef, ...] = field(default=())
    # The entry a follow-up was read against (the previous answer's), when it was used.
    context_used: EntryRef | None = None
    # Where the question is better served than by a news entry: "risk" is the quiz.
    route: Route | None = None

    @property
    def answered(self) -> bool:
        return self.status == "answered"

    def to_json(self) -> dict[str, Any]:
        """The ``labwire ask --json`` shape."""
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
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": answer,
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
