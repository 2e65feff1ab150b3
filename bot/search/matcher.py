"""Rank knowledge entries for a question and decide whether to answer.

Scoring, per candidate entry:
- ``lexical``: rarity-weighted evidence for each question term, stronger when the
  term sits in a name or title than in a summary (see ``index.FIELD_WEIGHTS``);
- ``coverage``: the share of the question's information (IDF mass) the entry
  explains; words the knowledge base has never seen count against it, which is
  how 'who is the ceo of hugging face' is recognised as out of scope;
- ``similarity``: fuzzy similarity of the whole question to the entry's name,
  aliases, title and curated questions (catches short, typo'd or verbatim asks);
- a small boost for the question's shape ('who…' prefers people and orgs).
The engine answers only when the best entry clears a confidence threshold and
beats the best *unrelated* runner-up by a margin: a person and a story about
that person agreeing is not doubt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz import fuzz, process

from bot.folding import fold
from bot.search.english import common_terms
from bot.search.index import SATURATION, Doc, Index
from bot.search.shapes import Shape, question_shape
from bot.search.text import MAX_QUERY_CHARS, content_terms, strip_markup

Status = Literal["answered", "not_sure", "no_answer"]

CANDIDATES = 40
STRONG_FIELD = 3.0 / (3.0 + SATURATION)  # saturated weight of a name match
NUMBER_UNKNOWN_FACTOR = 0.3  # an unknown number says less than an unknown word
COMMON_FACTOR = 0.4  # an everyday English word ('deleting', 'list') says less than a name
# ...and one the knowledge base never uses ('hype', 'friend') about as much as a
# word most entries share: chatty wording must not sink an on-topic question.
COMMON_UNKNOWN_FACTOR = 0.15
RARE_DF = 2  # a spelling in at most this many entries may be a typo itself
MAX_VARIANTS = 3
RERANKED = 15
SHORT_WHO_TERMS = 3  # 'who is mira murati': the question is little more than a name
ENTITY_UNNAMED = 0.8  # people and orgs answer questions that name them or ask 'who'


@dataclass(frozen=True)
class Thresholds:
    answer: float = 0.25  # confidence needed to answer directly
    margin: float = 0.12  # relative lead over the best unrelated runner-up
    min_coverage: float = 0.45  # share of the question the entry must explain
    suggest: float = 0.18  # below this, 'no answer'
    typo_cutoff: float = 80.0  # rapidfuzz ratio for correcting an unknown word


@dataclass(frozen=True)
class Candidate:
    doc: Doc
    score: float
    coverage: float
    lexical: float
    similarity: float


@dataclass(frozen=True)
class Match:
    status: Status
    confidence: float
    candidates: tuple[Candidate, ...]
    shape: Shape
    corrections: tuple[tuple[str, str], ...] = ()

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class _Group:
    """One question word: its information and the index spellings that match it."""

    information: float
    variants: tuple[_Term, ...]


@dataclass(frozen=True)
class _Term:
    term: str
    idf: float
    trust: float  # 1.0 exact, lower for a typo correction


class Matcher:
    def __init__(self, index: Index, thresholds: Thresholds | None = None) -> None:
        self.index = index
        self.thresholds = thresholds or Thresholds()
        common_terms()  # load the word list now, not during someone's first question

    def match(self, question: str) -> Match:
        text = strip_markup(question)[:MAX_QUERY_CHARS]
        shape = question_shape(fold(text))
        terms = list(dict.fromkeys(content_terms(text)))
        if not terms or not len(self.index):
            return Match("no_answer", 0.0, (), shape)
        groups, mass, corrections = self._resolve(terms)
        candidates = self._rank(groups, mass, " ".join(terms), shape)
        return self._decide(candidates, shape, tuple(corrections), len(terms))

    def _resolve(self, terms: list[str]) -> tuple[list[_Group], float,
                                                  list[tuple[str, str]]]:
        """Map each question term to index terms (itself and close spellings) and total
        the question's information; unknown words add to it without matching anything."""
        groups: list[_Group] = []
        corrections: list[tuple[str, str]] = []
        mass = 0.0
        for term in terms:
            idf = self.index.idf.get(term)
            group = [_Term(term, idf, 1.0)] if idf is not None else []
            # A rare known spelling may itself be a typo ('kalinowsky' in one
            # question): also look for its well-attested neighbours.
            if idf is None or self.index.df[term] <= RARE_DF:
                group += [_Term(v, self.index.idf[v], trust)
                          for v, trust in self._variants(term)]
            if group:
                # A word's information is that of its best-attested spelling, so a
                # one-off misspelling in some question does not outweigh the name;
                # everyday English says less than a name or a term of art.
                everyday = term in common_terms() or group[0].term in common_terms()
                information = min(t.idf for t in group) * (COMMON_FACTOR if everyday else 1.0)
                groups.append(_Group(information, tuple(group)))
                mass += information
                if idf is None:
                    corrections.append((term, group[0].term))
            else:
                mass += self.index.unknown_idf * _unknown_weight(term)
        return groups, mass, corrections

    def _variants(self, term: str) -> list[tuple[str, float]]:
        """Close spellings of ``term`` in the index, best first, with a trust 0.6-1.0."""
        if len(term) < 4 or not term.isalpha():
            return []
        # People rarely mistype the first letter; requiring it keeps 'might' from
        # becoming 'fight' while 'leiky' still finds 'leike'.
        cutoff = self.thresholds.typo_cutoff
        found: list[tuple[str, float]] = []
        for length in range(len(term) - 2, len(term) + 3):
            bucket = self.index.vocab_by_initial.get((term[0], length))
            if bucket:
                hits = process.extract(term, bucket, scorer=fuzz.ratio, score_cutoff=cutoff,
                                       limit=MAX_VARIANTS)
                found += [(h[0], float(h[1])) for h in hits if h[0] != term]
        found.sort(key=lambda v: -v[1])
        return [(v, 0.6 + 0.4 * (score - cutoff) / (100 - cutoff))
                for v, score in found[:MAX_VARIANTS]]

    def _rank(self, groups: list[_Group], mass: float, query: str,
              shape: Shape) -> list[Candidate]:
        if not groups:
            return []
        n = len(self.index)
        lexical = np.zeros(n, dtype=np.float32)
        covered = np.zeros(n, dtype=np.float32)
        for group in groups:
            # Per entry, a question term counts once: through its best spelling.
            best_lex = np.zeros(n, dtype=np.float32)
            best_cov = np.zeros(n, dtype=np.float32)
            information = group.information
            for t in group.variants:
                ids, weights = self.index.postings[t.term]
                evidence = information * t.trust
                best_lex[ids] = np.maximum(best_lex[ids], evidence * weights)
                best_cov[ids] = np.maximum(best_cov[ids], evidence)
            lexical += best_lex
            covered += best_cov
        query_terms = {t.term for group in groups for t in group.variants}
        k = min(CANDIDATES, n)
        top = np.argpartition(-lexical, k - 1)[:k] if k < n else np.arange(n)
        prelim = []
        for i in top:
            if lexical[i] <= 0:
                continue
            doc = self.index.docs[int(i)]
            lex = float(lexical[i]) / (mass * STRONG_FIELD)
            cov = float(covered[i]) / mass
            named = _named(query_terms, doc)
            score = 0.5 * min(lex, 1.25) + 0.3 * cov
            score += _name_bonus(doc, named, shape, len(groups))
            prelim.append((score, doc, lex, cov, named))
        # Fuzzy similarity is the costly feature (0.2 of the score at most): only the
        # leaders can still change places because of it.
        prelim.sort(key=lambda p: -p[0])
        out = []
        for score, doc, lex, cov, named in prelim[:RERANKED]:
            sim = _similarity(query, doc)
            final = (score + 0.2 * sim) * _shape_boost(shape, doc, named)
            out.append(Candidate(doc, final, cov, lex, sim))
        out.sort(key=lambda c: (-c.score, c.doc.key))
        return out

    def _decide(self, candidates: list[Candidate], shape: Shape,
                corrections: tuple[tuple[str, str], ...], n_terms: int) -> Match:
        if not candidates:
            return Match("no_answer", 0.0, (), shape, corrections)
        best = candidates[0]
        rival = next((c for c in candidates[1:] if not _related(best.doc, c.doc)), None)
        margin = 1.0 if rival is None else (best.score - rival.score) / best.score
        confidence = _confidence(best, margin)
        t = self.thresholds
        # 'who is <name>' asks for a person: a story that merely mentions the name is
        # worth suggesting, not presenting as the answer.
        name_only_who = shape.who and n_terms <= SHORT_WHO_TERMS and best.doc.kind == "article"
        if (confidence >= t.answer and margin >= t.margin and best.coverage >= t.min_coverage
                and not name_only_who):
            status: Status = "answered"
        elif confidence >= t.suggest:
            status = "not_sure"
        else:
            status = "no_answer"
        return Match(status, confidence, tuple(candidates), shape, corrections)


def _unknown_weight(term: str) -> float:
    """How much an unknown word says the question is about something else."""
    if not term.isalpha():
        return NUMBER_UNKNOWN_FACTOR
    return COMMON_UNKNOWN_FACTOR if term in common_terms() else 1.0


def _confidence(best: Candidate, margin: float) -> float:
    """Squash score, coverage and lead into 0..1; coverage gates everything."""
    base = min(1.0, best.score) * min(1.0, best.coverage / 0.8)
    return max(0.0, min(1.0, base * (0.75 + 0.25 * min(1.0, margin * 3))))


def _similarity(query: str, doc: Doc) -> float:
    names = max((fuzz.token_sort_ratio(query, n) for n in doc.names), default=0.0)
    phrases = max((fuzz.token_sort_ratio(query, p) * 0.9 for p in doc.phrases if p),
                  default=0.0)
    if len(query.split()) <= 3:  # short questions are usually a name or a headline
        names = max(names, max((fuzz.ratio(query, n) for n in doc.names), default=0.0))
    return max(names, phrases) / 100.0


def _named(query_terms: set[str], doc: Doc) -> float:
    """1.0 when the question names this entry (all words of one of its names/aliases)."""
    best = 0.0
    for name in doc.names if doc.kind != "article" else ():
        terms = name.split()
        if terms:
            best = max(best, sum(t in query_terms for t in terms) / len(terms))
    return best if best >= 0.5 else 0.0


def _name_bonus(doc: Doc, named: float, shape: Shape, query_terms: int) -> float:
    """Naming a person is strong evidence; naming a lab in a longer question is
    usually context ('why did openai…'), unless the question is short or asks what
    or who it is.  In 'who led X' or 'which lab did Y before X', X is context."""
    if not named:
        return 0.0
    if shape.who and not shape.who_is:
        return 0.05 * named
    if doc.kind == "person" or shape.who_is or query_terms <= 2:
        return 0.25 * named
    return 0.1 * named


def _shape_boost(shape: Shape, doc: Doc, named: float) -> float:
    boost = 1.0
    entity = doc.kind in ("person", "org")
    if entity and not named and not shape.who:
        boost *= ENTITY_UNNAMED  # a question that neither names nor asks for one
    if shape.who:
        boost *= (1.1 + 0.1 * named * shape.who_is) if entity else 0.92
    if shape.why:
        boost *= 1.08 if doc.kind == "article" or doc.date else 0.92
    if shape.when:
        boost *= 1.08 if doc.kind == "article" and doc.date else 0.95
    if shape.takeaway:
        boost *= 1.1 if doc.kind == "article" else 0.9
    return boost


def _related(a: Doc, b: Doc) -> bool:
    return b.key in a.links or a.key in b.links
