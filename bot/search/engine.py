"""The answer engine facade: one immutable index per knowledge base."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.folding import fold
from bot.knowledge import EntryKey, EntryKind, KnowledgeBase
from bot.search.answers import build_answer, entry_ref, latest_stories, ref
from bot.search.compose import wants_latest
from bot.search.dates import Clock, utc_now
from bot.search.index import Index
from bot.search.learned import Models, ModelSet, shipped_models
from bot.search.matcher import Analysis, Match, Matcher
from bot.search.routes import QUIZ_ID, QuizRoute
from bot.search.semantic import Embedder, EmbeddingCache, SemanticIndex, load_embedder
from bot.search.types import Answer, AnswerKind, EntryRef, Result

log = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
SUGGEST_COVERAGE = 0.25
NO_ANSWER_SUGGEST_COVERAGE = 0.45
SUGGEST_COSINE = 0.55  # ...or that mean much the same
LATEST_COUNT = 5


class Engine:
    """Answers questions from one knowledge base. Build a new Engine to reload.

    ``semantic=False`` is the lexical-only path (also the fallback when the
    embedding model cannot load).  ``cache_path`` is the on-disk embedding cache
    (next to the database), so a reload or restart embeds only changed texts.
    ``models`` and ``embedder`` replace the shipped ones (evaluation, tests).
    ``clock`` tells the time answers count their age against (tests set it).
    """

    def __init__(self, kb: KnowledgeBase, *, semantic: bool = True,
                 cache_path: Path | None = None, models: ModelSet | None = None,
                 embedder: Embedder | None = None, clock: Clock = utc_now) -> None:
        started = time.perf_counter()
        self.kb = kb
        self.clock = clock
        self.index = Index(kb)
        model_set = models or shipped_models()
        if semantic and embedder is None:
            embedder = load_embedder(model_set.pooling)
        semantic_index = None
        cache = EmbeddingCache(cache_path) if semantic and embedder is not None else None
        if semantic and embedder is not None:
            semantic_index = SemanticIndex([d.texts for d in self.index.docs], embedder, cache)
        self.semantic = semantic_index is not None
        self.models: Models = model_set.for_path(self.semantic)
        self.matcher = Matcher(self.index, semantic_index)
        self.route = QuizRoute(kb.quizzes.get(QUIZ_ID), embedder if self.semantic else None,
                               cache)
        if cache is not None:
            cache.save()
        self._completions = self._build_completions()
        log.debug("engine built", extra={"entries": len(self.index), "semantic": self.semantic,
                                         "seconds": round(time.perf_counter() - started, 3)})

    def ask(self, question: str, context: EntryKey | None = None) -> Result:
        """Answer ``question``; ``context`` is the entry the previous answer was about,
        used to read a follow-up ('so did they win in court?')."""
        if wants_latest(question):
            latest = latest_stories(self.kb, LATEST_COUNT)
            return Result(question, "answered", None, 1.0, route="latest", latest=latest)
        return self.result_for(question, self.matcher.analyse(question, context))

    def result_for(self, question: str, analysis: Analysis,
                   models: Models | None = None) -> Result:
        """The reply for an analysed question (evaluation swaps in other ``models``)."""
        match = self.matcher.decide(analysis, models or self.models)
        if self._routes_to_quiz(analysis, match):
            return Result(question, "no_answer", None, match.confidence, (), None, "risk")
        return self._result(question, match)

    def explain(self, question: str, context: EntryKey | None = None) -> Match:
        """The raw ranking, for evaluation and debugging."""
        return self.matcher.match(question, self.models, context)

    def _routes_to_quiz(self, analysis: Analysis, match: Match) -> bool:
        best_cosine = max((e.cosine for e in analysis.evidence), default=0.0)
        if not self.semantic and match.status == "answered":
            return False
        return self.route.applies(list(analysis.terms), analysis.query_vector, best_cosine)

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
            if len(suggestions) == MAX_SUGGESTIONS:
                break
            fair = candidate.coverage >= floor or candidate.cosine >= SUGGEST_COSINE
            if not fair or candidate.doc.id in skip:
                continue
            r = ref(self.kb, candidate.doc.kind, candidate.doc.id)
            if r is not None:
                suggestions.append(r)
        context = None
        if match.context is not None:
            context = ref(self.kb, match.context.kind, match.context.id)
        return Result(question, match.status, answer, match.confidence, tuple(suggestions),
                      context)

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
