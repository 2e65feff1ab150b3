"""The answer engine facade: one immutable index per knowledge base."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from bot.folding import fold
from bot.knowledge import EntryKey, EntryKind, KnowledgeBase
from bot.search.answers import build_answer, entry_ref, latest_stories, ref
from bot.search.compose import wants_latest
from bot.search.dates import Clock, utc_now
from bot.search.index import Index
from bot.search.matcher import Match, Matcher, Thresholds
from bot.search.types import Answer, AnswerKind, EntryRef, Result

MAX_SUGGESTIONS = 3
SUGGEST_COVERAGE = 0.25
NO_ANSWER_SUGGEST_COVERAGE = 0.45
LATEST_COUNT = 5


class Engine:
    """Answers questions from one knowledge base. Build a new Engine to reload.

    ``clock`` tells the time answers count their age against (tests set it).
    """

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds | None = None, *,
                 clock: Clock = utc_now) -> None:
        self.kb = kb
        self.clock = clock
        self.index = Index(kb)
        self.matcher = Matcher(self.index, thresholds)
        self._completions = self._build_completions()

    def ask(self, question: str, context: EntryKey | None = None) -> Result:
        """Answer ``question``; ``context`` is the entry the previous answer was about
        (a follow-up's), which the matcher may use."""
        if wants_latest(question):
            latest = latest_stories(self.kb, LATEST_COUNT)
            return Result(question, "answered", None, 1.0, route="latest", latest=latest)
        match = self.matcher.match(question)
        return self._result(question, match)

    def explain(self, question: str) -> Match:
        """The raw ranking, for evaluation and debugging."""
        return self.matcher.match(question)

    def _result(self, question: str, match: Match) -> Result:
        best = match.best
        answer = None
        if best is not None and match.status != "no_answer":
            answer = self._answer(best.doc.key, question, match)
        skip = {answer.id} if answer is not None and match.status == "answered" else set()
        suggestions: list[EntryRef] = []
        # With no answer, only suggest entries that explain a fair part of the question:
        # 'best pizza in naples' should not suggest a Pentagon story.
        floor = SUGGEST_COVERAGE if match.status == "not_sure" else NO_ANSWER_SUGGEST_COVERAGE
        for candidate in match.candidates:
            if len(suggestions) == MAX_SUGGESTIONS or candidate.coverage < floor:
                break
            if candidate.doc.id in skip:
                continue
            r = ref(self.kb, candidate.doc.kind, candidate.doc.id)
            if r is not None:
                suggestions.append(r)
        return Result(question, match.status, answer, match.confidence, tuple(suggestions))

    def _answer(self, key: EntryKey, question: str, match: Match) -> Answer | None:
        if key.kind == "article" and match.shape.explicit_takeaways:
            takeaway = self._best_takeaway(key.id, question)
            if takeaway is not None:
                return self._build("takeaway", f"{key.id}#{takeaway}", question)
        return self._build(key.kind, key.id, question)

    def _build(self, kind: AnswerKind, entry_id: str, question: str | None) -> Answer | None:
        return build_answer(self.kb, kind, entry_id, question=question,
                            today=self.clock().date())

    def _best_takeaway(self, article_id: str, question: str) -> str | None:
        article = self.kb.articles.get(article_id)
        if article is None or not article.takeaways:
            return None
        texts = [t.text for t in article.takeaways]
        hit = process.extractOne(question, texts, scorer=fuzz.token_set_ratio)
        return article.takeaways[hit[2]].id if hit else article.takeaways[0].id

    def answer_for(self, kind: AnswerKind, entry_id: str,
                   question: str | None = None) -> Answer | None:
        """The answer card for one entry (a picked suggestion, ``/person``, "More")."""
        return self._build(kind, entry_id, question)

    def _build_completions(self) -> dict[str, list[tuple[str, EntryRef]]]:
        """Per kind, every name and alias (folded) pointing at its entry's ref."""
        out: dict[str, list[tuple[str, EntryRef]]] = {"article": [], "person": [], "org": []}
        for key in self.kb.entry_keys():
            entry = self.kb.get(key)
            if entry is None:
                continue
            r = entry_ref(entry)
            for name in (r.title, *getattr(entry, "aliases", ()), entry.id):
                out[key.kind].append((fold(name), r))
        return out

    def complete(self, kind: EntryKind, text: str, limit: int = 25) -> list[EntryRef]:
        """Autocomplete choices for ``kind``: one per entry, aliases folded in."""
        pairs = self._completions[kind]
        query = fold(text).strip()
        if not query:
            refs = {r.id: r for _, r in pairs}
            return sorted(refs.values(), key=lambda r: r.title)[:limit]
        scored: dict[str, tuple[float, EntryRef]] = {}
        for name, r in pairs:
            score = 100.0 if name.startswith(query) else fuzz.partial_ratio(query, name)
            if score >= 60 and score > scored.get(r.id, (-1.0, r))[0]:
                scored[r.id] = (score, r)
        ranked = sorted(scored.values(), key=lambda s: (-s[0], s[1].title))
        return [r for _, r in ranked[:limit]]
