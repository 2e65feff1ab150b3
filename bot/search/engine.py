"""The answer engine facade: one immutable index per knowledge base.

(First version: a plain fuzzy matcher; the ranked, calibrated matcher replaces it.)
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.knowledge import EntryKind, KnowledgeBase
from bot.search.answers import build_answer, entry_ref
from bot.search.types import Answer, AnswerKind, EntryRef, Result

MAX_QUESTION_CHARS = 500


class Engine:
    """Answers questions from one knowledge base. Build a new Engine to reload."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._choices: list[tuple[str, EntryRef]] = []
        for kind, table in (("article", kb.articles), ("person", kb.people), ("org", kb.orgs)):
            for entry in table.values():
                r = entry_ref(kind, entry)  # type: ignore[arg-type]
                names = [r.title, *getattr(entry, "aliases", ()), *entry.questions]
                self._choices.extend((n, r) for n in names)

    def ask(self, question: str) -> Result:
        text = " ".join(question.split())[:MAX_QUESTION_CHARS]
        if not text:
            return Result(question, "no_answer", None, 0.0)
        hits = process.extract(text, [c[0] for c in self._choices], scorer=fuzz.WRatio, limit=5)
        if not hits or hits[0][1] < 60:
            return Result(question, "no_answer", None, 0.0)
        best = self._choices[hits[0][2]][1]
        answer = self.answer_for(best.kind, best.id)
        return Result(question, "answered", answer, hits[0][1] / 100)

    def answer_for(self, kind: AnswerKind, entry_id: str) -> Answer | None:
        return build_answer(self.kb, kind, entry_id)

    def complete(self, kind: EntryKind, text: str, limit: int = 25) -> list[EntryRef]:
        """Autocomplete choices for ``kind``: one per entry, aliases folded in."""
        table = {"article": self.kb.articles, "person": self.kb.people, "org": self.kb.orgs}[kind]
        refs = [entry_ref(kind, e) for e in table.values()]  # type: ignore[arg-type]
        if not text.strip():
            return sorted(refs, key=lambda r: r.title)[:limit]
        scored = process.extract(text, [r.title for r in refs], scorer=fuzz.WRatio, limit=limit)
        return [refs[i] for _, _, i in scored]
