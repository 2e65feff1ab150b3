"""Choose what answers *this* question from an entry's sentences.

An entry offers candidate sentences: its summary, a person's departure reason
and roles, a story's takeaways.  Each is scored by how much of the question it
covers (question words weighted by how rare they are among the candidates,
with a few concepts joined: 'quit' finds 'resigned', 'runs' finds 'CEO') plus
a prior from the question's shape:

- "why did X leave/quit"  -> the departure reason;
- "who runs/leads X"      -> the matching role; "who is X" -> the opening definition;
- "when did X leave"      -> the departure with its date; other "when" -> dated sentences;
- "why does it matter"    -> the takeaway asked for;
- anything else           -> the story's most relevant sentences.

The best candidate leads, then at most two supporting sentences that are also
relevant, while the lead stays within about 350 characters.  Only whole
sentences are used.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from bot.folding import fold
from bot.search.shapes import Shape, question_shape
from bot.search.text import content_terms

LEAD_MAX = 350
MAX_SUPPORTING = 2
# Sentences of our own making (a role line, a dated departure) answer a question
# outright or not at all: they lead, never support.
LEAD_ONLY = frozenset({"role", "departure"})

Source = Literal["summary", "reason", "role", "departure", "takeaway"]
Focus = Literal["reason", "role", "when", "takeaway", "story", "summary", "timeline"]


def _concepts(groups: dict[str, str]) -> dict[str, str]:
    """Every stemmed spelling of a concept's words -> the concept's name."""
    return {term: name for name, text in groups.items()
            for term in content_terms(text, markup=False)}


# Words that mean the same thing for picking a sentence ('quit' and 'resigned').
CONCEPTS = _concepts({
    "~leave": "leave left leaving quit quits quitting resign resigned resignation exit exits "
              "exited depart departed departure fired ousted walked",
    "~court": "court courts judge injunction sued sues lawsuit suit ruling ruled appeal "
              "appeals legal win won circuit",
    "~lead": "ceo runs run running lead leads led head heads boss president charge",
    "~job": "work works working worked job jobs employer employed",
    "~found": "founded cofounded co-founded founder founders",
    "~money": "raise raised raising funding round valuation valued worth invest invested",
    "~deal": "deal deals contract contracts agreement agreements",
    "~ban": "ban banned blacklist blacklisted designation designated label labelled",
})
_NOW = re.compile(r"\b(still|now|currently|current|latest|anymore|today|these days|yet)\b")
_TIMELINE = re.compile(
    r"\b(timeline|sequence|chronolog\w*|unfold\w*|step by step|start to finish|"
    r"from the start|what happened|how did .* (go|end|unfold)|where does .* stand)\b"
)
_HAPPENED = re.compile(r"\bwhat (happened|happens|is happening|went on)\b")
_DATED = re.compile(
    r"\b(19|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b \d",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Question:
    """What a question asks for, read once."""

    text: str
    terms: tuple[str, ...]
    shape: Shape
    leave: bool  # asks about someone leaving
    happened: bool  # 'what happened to/with X'
    now: bool  # 'still', 'now', 'currently', 'latest': wants the present state
    timeline: bool  # asks how a story unfolded

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def read_question(text: str | None) -> Question:
    text = text or ""
    folded = fold(text)
    terms = tuple(_concept(t) for t in content_terms(text))
    return Question(
        text=text, terms=terms, shape=question_shape(folded),
        leave="~leave" in terms, now=bool(_NOW.search(folded)),
        happened=bool(_HAPPENED.search(folded)),
        timeline=bool(_TIMELINE.search(" ".join(re.sub(r"[^\w\s]", " ", folded).split()))),
    )


def _concept(term: str) -> str:
    return CONCEPTS.get(term, term)


@dataclass(frozen=True)
class Candidate:
    """One sentence an answer could use."""

    text: str
    source: Source
    order: int  # position in the entry, to keep supporting sentences in reading order
    prior: float = 0.0  # how well its kind fits the question's shape
    terms: frozenset[str] = field(default=frozenset())


def candidate(text: str, source: Source, order: int, prior: float = 0.0,
              concepts: Iterable[str] = ()) -> Candidate:
    """A sentence and its terms; ``concepts`` are what it is about without saying so
    (a role line is about someone's job)."""
    return Candidate(text, source, order, prior, sentence_terms(text) | frozenset(concepts))


@lru_cache(maxsize=16384)
def sentence_terms(text: str) -> frozenset[str]:
    """A curated sentence's terms, concepts joined; cached, as entries repeat per question."""
    return frozenset(_concept(t) for t in content_terms(text, markup=False))


@dataclass(frozen=True)
class Choice:
    focus: Focus
    sentences: tuple[Candidate, ...]

    @property
    def lead(self) -> str:
        return " ".join(c.text for c in self.sentences)

    def uses(self, source: Source) -> bool:
        return any(c.source == source for c in self.sentences)


def choose(question: Question, candidates: Sequence[Candidate], *,
           ignore: Iterable[str] = (), limit: int = LEAD_MAX,
           max_supporting: int = MAX_SUPPORTING, any_support: bool = False,
           ) -> tuple[Candidate, ...]:
    """The lead sentence and up to ``max_supporting`` relevant supporting ones, within
    ``limit``: the lead first, the others in reading order.

    ``ignore`` are terms that say nothing here (the entry's own name).  With
    ``any_support``, supporting sentences need not share a word with the question
    (the steps of a timeline), only rank next.
    """
    if not candidates:
        return ()
    ignored = {_concept(t) for t in ignore}
    wanted = [t for t in dict.fromkeys(question.terms) if t not in ignored]
    weights = _rarity(wanted, candidates)
    scored = sorted(
        ((_relevance(c, weights), c) for c in candidates),
        key=lambda pair: (-(pair[0] + pair[1].prior), pair[1].order),
    )
    best = scored[0][1]
    if not weights:  # nothing to match beyond the name: the lead, then what follows it
        any_support = True
        scored = [(0.0, c) for c in sorted(candidates, key=lambda c: c.order)
                  if c.order > best.order and c.source == best.source]
    else:
        scored = scored[1:]
    chosen = [best]
    length = len(best.text)
    for relevance, other in scored:
        if len(chosen) > max_supporting or (relevance <= 0 and not any_support):
            break
        if length + 1 + len(other.text) > limit or _repeats(other, chosen):
            continue
        if other.source in LEAD_ONLY:
            continue
        chosen.append(other)
        length += 1 + len(other.text)
    lead, supporting = chosen[0], sorted(chosen[1:], key=lambda c: c.order)
    return (lead, *supporting)


def _rarity(terms: Sequence[str], candidates: Sequence[Candidate]) -> dict[str, float]:
    """A question word found in few candidates says more than one found in all."""
    counts = Counter(t for c in candidates for t in c.terms if t in terms)
    n = len(candidates)
    return {t: math.log(1 + n / counts[t]) for t in terms if counts[t]}


def _relevance(c: Candidate, weights: dict[str, float]) -> float:
    return sum(w for t, w in weights.items() if t in c.terms)


def _repeats(other: Candidate, chosen: Sequence[Candidate]) -> bool:
    """A sentence that says little beyond what is already chosen (a takeaway restating
    the summary) is not support."""
    seen = frozenset().union(*(c.terms for c in chosen))
    return bool(other.terms) and len(other.terms - seen) < 0.3 * len(other.terms)


def is_dated(text: str) -> bool:
    return bool(_DATED.search(text))


# Words a request for the newest stories is made of, and nothing else.
_LATEST_WORDS = frozenset({"latest", "newest", "recent", "new", "news", "headlines", "updates"})
_FILLER_TEXT = """what whats is are the any some ai lab labs in on give me show most top today
todays this week stories story update happening going there been has have please pls tell us
of recently lately"""
_LATEST_FILLER = frozenset(_FILLER_TEXT.split())


def wants_latest(question: str) -> bool:
    """'latest news', 'what's new?', 'any recent stories': asks for the newest stories,
    about nothing in particular."""
    words = set(re.findall(r"[a-z]+", fold(question)))
    return bool(words & _LATEST_WORDS) and words <= _LATEST_WORDS | _LATEST_FILLER
