"""Questions better served by a feature than by a news entry.

"will ai replace my job" is not news: the risk quiz (``/risk``) answers it.  A
question goes to the quiz when it says what the quiz's own title says, in
meaning (sentence-embedding cosine to the title) or, on the lexical path, in
words (the title's terms make up the question), and no entry answers it better.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bot.search.semantic import Embedder, EmbeddingCache, Vectors
from bot.search.text import content_terms

QUIZ_ID = "risk"
ROUTE_COSINE = 0.6  # cosine to the quiz title that reads as the same question
ROUTE_LEAD = 0.05  # ...and closer than the best entry's text by this much
ROUTE_TERM_SHARE = 0.75  # lexical path: share of the question's words from the title
MIN_TITLE_TERMS = 2


class QuizRoute:
    """Decides whether a question asks for the risk quiz rather than for news."""

    def __init__(self, quiz: Any, embedder: Embedder | None,
                 cache: EmbeddingCache | None = None) -> None:
        title = str(getattr(quiz, "title", "") or "") if quiz is not None else ""
        self.available = bool(title)
        self.terms = frozenset(content_terms(title, markup=False))
        self.vector: Vectors | None = None
        if self.available and embedder is not None:
            self.vector = embedder.embed([title], cache)[0]

    def applies(self, question_terms: list[str], question_vector: Vectors | None,
                best_entry_cosine: float) -> bool:
        if not self.available or not question_terms:
            return False
        if self.vector is not None and question_vector is not None:
            cosine = float(np.dot(self.vector, question_vector))
            return cosine >= ROUTE_COSINE and cosine >= best_entry_cosine + ROUTE_LEAD
        shared = sum(t in self.terms for t in question_terms)
        return shared >= MIN_TITLE_TERMS and shared / len(question_terms) >= ROUTE_TERM_SHARE
