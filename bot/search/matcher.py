"""Rank knowledge entries for a question and decide whether to answer.

Two stages.  :meth:`Matcher.analyse` gathers evidence per candidate entry:
- ``lexical``: rarity-weighted evidence for each question term, stronger when the
  term sits in a name or title than in a summary (see ``index.FIELD_WEIGHTS``);
- ``coverage``: the share of the question's information (IDF mass) the entry
  explains; words the knowledge base has never seen count against it;
- ``similarity``: fuzzy similarity of the whole question to the entry's names,
  title and curated questions (catches short, typo'd or verbatim asks);
- ``cosine``: the best cosine between the question's sentence embedding and one
  of the entry's texts (meaning, when the words differ: see ``semantic``).
:meth:`Matcher.decide` then fuses lexical score and cosine with a weighted sum,
re-ranks the fused top 5 with a learned model (kind x question shape, "is this
entity named in the question"), and a second learned model decides whether the
winner is worth answering or only suggesting (``learned``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.folding import fold
from bot.knowledge import EntryKey
from bot.search.english import common_terms
from bot.search.index import SATURATION, Doc, Index
from bot.search.learned import (
    DECISION_FEATURES,
    RERANK_FEATURES,
    Models,
    shape_kind_features,
    vector,
)
from bot.search.semantic import SemanticIndex, Vectors
from bot.search.shapes import Shape, question_shape
from bot.search.text import MAX_QUERY_CHARS, content_terms, strip_markup

Status = Literal["answered", "not_sure", "no_answer"]

CANDIDATES = 40  # lexical candidates
SEMANTIC_CANDIDATES = 10  # added from the embedding ranking
RERANKED = 15  # lexical leaders that get the (costly) fuzzy similarity
RERANK_TOP = 5  # the learned re-ranker reorders this many
STRONG_FIELD = 3.0 / (3.0 + SATURATION)  # saturated weight of a name match
NUMBER_UNKNOWN_FACTOR = 0.3  # an unknown number says less than an unknown word
COMMON_FACTOR = 0.4  # an everyday English word ('deleting', 'list') says less than a name
# ...and one the knowledge base never uses ('hype', 'friend') about as much as a
# word most entries share: chatty wording must not sink an on-topic question.
COMMON_UNKNOWN_FACTOR = 0.15
RARE_DF = 2  # a spelling in at most this many entries may be a typo itself
MAX_VARIANTS = 3
TYPO_CUTOFF = 80.0  # rapidfuzz ratio for correcting an unknown word to any index term
SHORT_WHO_TERMS = 3  # 'who is mira murati': the question is little more than a name
ENTITY_UNNAMED = 0.8  # people and orgs answer questions that name them or ask 'who'
CONTEXT_BONUS = 0.15  # entries about the context's people and orgs
AMBIGUOUS_TERMS = 2  # 'who is daniel': a question this short naming two entries


@dataclass(frozen=True)
class Evidence:
    """What the matcher knows about one candidate entry for one question."""

    doc: Doc
    base: float  # the lexical score (terms, coverage, fuzzy similarity, shape)
    coverage: float
    lexical: float
    similarity: float
    cosine: float
    named: float
    lexical_rank: int
    semantic_rank: int
    context: float = 0.0  # bonus for being about the follow-up's context
    # Share of the question's words other than names that this entry matches:
    # 'how old is jan leike' names him, but nothing here says how old he is.
    residual: float = 1.0


@dataclass(frozen=True)
class Analysis:
    """Everything :meth:`Matcher.decide` needs; computed once per question."""

    shape: Shape
    evidence: tuple[Evidence, ...]
    n_terms: int
    unknown_share: float
    unknown_names: int
    unknown_capitalised: int
    corrections: tuple[tuple[str, str], ...] = ()
    context: Doc | None = None
    ambiguous: tuple[Doc, ...] = ()  # entries a short question names equally
    terms: tuple[str, ...] = ()
    query_vector: Vectors | None = None


@dataclass(frozen=True)
class Candidate:
    doc: Doc
    score: float  # the fused score
    coverage: float
    lexical: float
    similarity: float
    cosine: float = 0.0


@dataclass(frozen=True)
class Match:
    status: Status
    confidence: float
    candidates: tuple[Candidate, ...]
    shape: Shape
    corrections: tuple[tuple[str, str], ...] = ()
    context: Doc | None = None

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class _Term:
    term: str
    idf: float
    trust: float  # 1.0 exact, lower for a typo correction


@dataclass(frozen=True)
class _Group:
    """One question word: its information and the index spellings that match it."""

    information: float
    variants: tuple[_Term, ...]


@dataclass(frozen=True)
class _Resolved:
    groups: list[_Group]
    mass: float
    unknown_mass: float
    unknown_names: int
    corrections: list[tuple[str, str]]
    unknown_words: int = 0  # unknown words of two letters or more


class Matcher:
    def __init__(self, index: Index, semantic: SemanticIndex | None = None) -> None:
        self.index = index
        self.semantic = semantic
        self._position = {doc.key: i for i, doc in enumerate(index.docs)}
        common_terms()  # load the word list now, not during someone's first question

    def doc(self, key: EntryKey) -> Doc | None:
        i = self._position.get(key)
        return None if i is None else self.index.docs[i]

    def match(self, question: str, models: Models, context: EntryKey | None = None) -> Match:
        return self.decide(self.analyse(question, context), models)

    # -- evidence -------------------------------------------------------------------

    def analyse(self, question: str, context: EntryKey | None = None) -> Analysis:
        text = strip_markup(question)[:MAX_QUERY_CHARS]
        shape = question_shape(fold(text))
        terms = list(dict.fromkeys(content_terms(text)))
        if not terms or not len(self.index):
            return Analysis(shape, (), len(terms), 1.0, 0, 0)
        resolved = self._resolve(terms)
        query_terms = {t.term for g in resolved.groups for t in g.variants}
        context_doc = self.doc(context) if context is not None else None
        if context_doc is not None and self._names_an_entry(query_terms):
            context_doc = None  # a question that names its own subject needs no context
        groups, mass = resolved.groups, resolved.mass
        lexical, covered = self._term_evidence(groups)
        residual = self._residual(resolved)
        query_vector = self._embed(text, context_doc)
        cosines = self._cosines(query_vector, lexical)
        evidence = self._evidence(lexical / max(mass * STRONG_FIELD, 1e-9),
                                  covered / max(mass, 1e-9), cosines, query_terms,
                                  " ".join(terms), shape, len(resolved.groups), context_doc,
                                  residual)
        return Analysis(
            shape, evidence, len(terms), resolved.unknown_mass / max(resolved.mass, 1e-9),
            resolved.unknown_names, _unknown_capitalised(question, self.index),
            tuple(resolved.corrections), context_doc,
            self._ambiguous(evidence, len(terms)), tuple(terms), query_vector,
        )

    def _resolve(self, terms: list[str]) -> _Resolved:
        """Map each question term to index terms (itself and close spellings) and total
        the question's information; unknown words add to it without matching anything."""
        groups: list[_Group] = []
        corrections: list[tuple[str, str]] = []
        mass = unknown_mass = 0.0
        unknown_names = unknown_words = 0
        common = common_terms()
        for term in terms:
            idf = self.index.idf.get(term)
            group = [_Term(term, idf, 1.0)] if idf is not None else []
            # A rare known spelling may itself be a typo ('kalinowsky' in one
            # question): also look for its well-attested neighbours.  Everyday
            # English is never 'corrected' ('recent' is not a typo of 'revenue').
            if (idf is None or self.index.df[term] <= RARE_DF) and term not in common:
                group += [_Term(v, self.index.idf[v], trust) for v, trust in self._variants(term)]
            if group:
                # A word's information is that of its best-attested spelling, so a
                # one-off misspelling in some question does not outweigh the name;
                # everyday English says less than a name or a term of art.
                everyday = term in common or group[0].term in common
                information = min(t.idf for t in group) * (COMMON_FACTOR if everyday else 1.0)
                groups.append(_Group(information, tuple(group)))
                mass += information
                if idf is None:
                    corrections.append((term, group[0].term))
            elif len(term) > 1:  # an unknown single letter says nothing
                weight = self.index.unknown_idf * _unknown_weight(term)
                mass += weight
                unknown_mass += weight
                unknown_names += weight >= self.index.unknown_idf
                unknown_words += 1
        return _Resolved(groups, mass, unknown_mass, unknown_names, corrections, unknown_words)

    def _variants(self, term: str) -> list[tuple[str, float]]:
        """Close spellings of ``term`` in the index, best first, with a trust 0.6-1.0."""
        if len(term) < 3 or not term.isalpha():
            return []
        found = dict(self._name_variants(term))
        if len(term) >= 4:
            # People rarely mistype the first letter; requiring it keeps 'might' from
            # becoming 'fight' while 'leiky' still finds 'leike'.
            for length in range(len(term) - 2, len(term) + 3):
                bucket = self.index.vocab_by_initial.get((term[0], length))
                if bucket:
                    hits = process.extract(term, bucket, scorer=fuzz.ratio,
                                           score_cutoff=TYPO_CUTOFF, limit=MAX_VARIANTS)
                    for hit, score, _ in hits:
                        trust = 0.6 + 0.4 * (float(score) - TYPO_CUTOFF) / (100 - TYPO_CUTOFF)
                        if hit != term and trust > found.get(hit, 0.0):
                            found[hit] = trust
        ranked = sorted(found.items(), key=lambda v: (-v[1], v[0]))
        return ranked[:MAX_VARIANTS]

    def _name_variants(self, term: str) -> list[tuple[str, float]]:
        """Name words within Damerau-Levenshtein 1 ('ilia' -> 'ilya', 'yan' -> 'yann'),
        or 2 for words of six letters or more ('sutskevar' -> 'sutskever')."""
        limit = 1 if len(term) <= 5 else 2
        out: list[tuple[str, float]] = []
        for length in range(len(term) - limit, len(term) + limit + 1):
            bucket = self.index.name_terms_by_length.get(length)
            if not bucket:
                continue
            for hit, distance, _ in process.extract(
                    term, bucket, scorer=DamerauLevenshtein.distance, score_cutoff=limit,
                    limit=MAX_VARIANTS):
                if hit != term:
                    out.append((hit, 0.85 if distance <= 1 else 0.7))
        return out

    def _names_an_entry(self, query_terms: set[str]) -> bool:
        """Does the question name a person or organisation in full (one of its names)?"""
        for term in query_terms:
            ids, _ = self.index.postings.get(term, (np.zeros(0, np.int32), None))
            for i in ids[:64]:
                doc = self.index.docs[int(i)]
                if doc.kind != "article" and _named(query_terms, doc) >= 1.0:
                    return True
        return False

    def context_names(self, context: Doc) -> list[str]:
        """Who a follow-up is about: the context's people and orgs (or itself, for
        a person or org).  Not a story's headline: its words would only lead back
        to the story the user has just read."""
        if context.kind != "article":
            return [context.title]
        cast = (self.doc(k) for k in sorted(context.links, key=str) if k.kind != "article")
        return [d.title for d in cast if d is not None]

    def _term_evidence(self, groups: list[_Group]) -> tuple[npt.NDArray[np.float32],
                                                            npt.NDArray[np.float32]]:
        n = len(self.index)
        lexical = np.zeros(n, dtype=np.float32)
        covered = np.zeros(n, dtype=np.float32)
        for group in groups:
            # Per entry, a question term counts once: through its best spelling.
            best_lex = np.zeros(n, dtype=np.float32)
            best_cov = np.zeros(n, dtype=np.float32)
            for t in group.variants:
                ids, weights = self.index.postings[t.term]
                evidence = group.information * t.trust
                best_lex[ids] = np.maximum(best_lex[ids], evidence * weights)
                best_cov[ids] = np.maximum(best_cov[ids], evidence)
            lexical += best_lex
            covered += best_cov
        return lexical, covered

    def _embed(self, text: str, context: Doc | None) -> Vectors | None:
        if self.semantic is None:
            return None
        # A follow-up is read with its context's names in front:
        # 'Anthropic, Pentagon: so did they win in court?'
        if context is not None:
            text = f"{', '.join(self.context_names(context))}: {text}"
        return self.semantic.embedder.embed_one(text)

    def _residual(self, resolved: _Resolved) -> npt.NDArray[np.float32] | None:
        """Per entry, the share of the question's non-name words it matches (None: the
        question is nothing but names, so every entry explains all of the rest)."""
        names = self.index.name_terms
        rest = [g for g in resolved.groups if g.variants[0].term not in names]
        total = len(rest) + resolved.unknown_words
        if not total:
            return None
        hits = np.zeros(len(self.index), dtype=np.float32)
        for group in rest:
            matched = np.zeros(len(self.index), dtype=bool)
            for t in group.variants:
                matched[self.index.postings[t.term][0]] = True
            hits += matched
        result: npt.NDArray[np.float32] = hits / np.float32(total)
        return result

    def _cosines(self, query: Vectors | None,
                 lexical: npt.NDArray[np.float32]) -> dict[int, float]:
        if self.semantic is None or query is None:
            return {}
        docs, sims = self.semantic.cosines(query, _top(lexical, CANDIDATES))
        return dict(zip(docs.tolist(), sims.tolist(), strict=True))

    def _evidence(self, lex: npt.NDArray[np.float32], cov: npt.NDArray[np.float32],
                  cosines: dict[int, float], query_terms: set[str], query: str, shape: Shape,
                  n_groups: int, context: Doc | None,
                  residual: npt.NDArray[np.float32] | None) -> tuple[Evidence, ...]:
        lexical_top = [int(i) for i in _top(lex, CANDIDATES) if lex[i] > 0]
        lexical_top.sort(key=lambda i: -float(lex[i]))
        semantic_top = sorted(cosines, key=lambda i: -cosines[i])
        pool = list(dict.fromkeys(lexical_top + semantic_top[:SEMANTIC_CANDIDATES]))
        lexical_rank = {i: r for r, i in enumerate(lexical_top)}
        semantic_rank = {i: r for r, i in enumerate(semantic_top)}
        context_keys = _about(context) if context is not None else frozenset()
        rows = []
        for i in pool:
            doc = self.index.docs[i]
            named = _named(query_terms, doc)
            score = 0.5 * min(float(lex[i]), 1.25) + 0.3 * float(cov[i])
            score += _name_bonus(doc, named, shape, n_groups)
            rows.append((score, i, doc, named))
        # Fuzzy similarity is the costly feature: only the lexical leaders and the
        # best few by meaning can still change places because of it.
        rows.sort(key=lambda r: -r[0])
        fuzzy = {r[1] for r in rows[:RERANKED]} | set(semantic_top[:RERANK_TOP])
        out = []
        for score, i, doc, named in rows:
            sim = _similarity(query, doc) if i in fuzzy else 0.0
            base = (score + 0.2 * sim) * _shape_boost(shape, doc, named)
            about = context_keys & (doc.links | {doc.key})
            bonus = CONTEXT_BONUS if about and context is not None and doc != context else 0.0
            out.append(Evidence(doc, base, float(cov[i]), float(lex[i]), sim,
                                cosines.get(i, 0.0), named, lexical_rank.get(i, CANDIDATES),
                                semantic_rank.get(i, len(semantic_top)), bonus,
                                1.0 if residual is None else float(residual[i])))
        return tuple(out)

    def _ambiguous(self, evidence: tuple[Evidence, ...], n_terms: int) -> tuple[Doc, ...]:
        """Entries of one kind that a very short question names equally and in part:
        'who is daniel' with two Daniels.  Empty when one entry is named in full."""
        if n_terms > AMBIGUOUS_TERMS:
            return ()
        partly = [e for e in evidence if e.doc.kind != "article" and 0 < e.named < 1.0]
        if any(e.named >= 1.0 for e in evidence) or len(partly) < 2:
            return ()
        top = max(e.named for e in partly)
        return tuple(e.doc for e in partly if e.named == top)

    # -- decision -------------------------------------------------------------------

    def decide(self, analysis: Analysis, models: Models) -> Match:
        ranked = fused_ranking(analysis, models.fusion_weight)
        if not ranked:
            return Match("no_answer", 0.0, (), analysis.shape, analysis.corrections,
                         analysis.context)
        rows = rerank_rows(analysis, ranked)
        probabilities = models.reranker.probabilities(rows)
        head = sorted(range(len(rows)), key=lambda i: (-probabilities[i], i))
        order = [ranked[i] for i in head] + list(ranked[len(rows):])
        features = decision_row(analysis, order, float(probabilities[head[0]]))
        confidence = models.decision.probability(features)
        best = order[0][0]
        name_only_who = (analysis.shape.who and analysis.n_terms <= SHORT_WHO_TERMS
                         and best.doc.kind == "article")
        if analysis.ambiguous:
            status: Status = "not_sure"
            tied = {d.key for d in analysis.ambiguous}
            order.sort(key=lambda pair: pair[0].doc.key not in tied)
            confidence = min(confidence, models.answer_at * 0.99)
        elif confidence >= models.answer_at and not name_only_who:
            status = "answered"
        elif confidence >= models.suggest_at or name_only_who:
            status = "not_sure"
        else:
            status = "no_answer"
        candidates = tuple(
            Candidate(e.doc, fused, e.coverage, e.lexical, e.similarity, e.cosine)
            for e, fused in order
        )
        return Match(status, confidence, candidates, analysis.shape, analysis.corrections,
                     analysis.context)


def fused_ranking(analysis: Analysis, weight: float) -> list[tuple[Evidence, float]]:
    """Candidates by lexical score plus ``weight`` x cosine (plus the context bonus)."""
    fused = [(e, e.base + weight * max(e.cosine, 0.0) + e.context) for e in analysis.evidence]
    fused.sort(key=lambda pair: (-pair[1], str(pair[0].doc.key)))
    return fused


def rerank_rows(analysis: Analysis,
                ranked: list[tuple[Evidence, float]]) -> npt.NDArray[np.float64]:
    """Re-ranker features for the fused top candidates, one row each."""
    head = ranked[:RERANK_TOP]
    top_fused = head[0][1]
    top_cosine = max((e.cosine for e, _ in ranked), default=0.0)
    named_keys = {e.doc.key for e, _ in ranked if e.doc.kind != "article" and e.named >= 1.0}
    rows = []
    for rank, (e, fused) in enumerate(head):
        values = {
            "fused": fused, "fused_gap": top_fused - fused, "lexical": min(e.lexical, 1.5),
            "coverage": e.coverage, "similarity": e.similarity, "cosine": e.cosine,
            "cosine_gap": top_cosine - e.cosine, "named": e.named, "rank": float(rank),
            "lexical_rank": 1.0 / (1 + e.lexical_rank),
            "semantic_rank": 1.0 / (1 + e.semantic_rank),
            "article_names_named": float(e.doc.kind == "article"
                                         and bool(named_keys & e.doc.links)),
            "context": e.context, "residual": e.residual,
            **shape_kind_features(analysis.shape, e.doc.kind, e.named, analysis.n_terms),
        }
        rows.append(vector(values, RERANK_FEATURES))
    return np.stack(rows)


def decision_row(analysis: Analysis, order: list[tuple[Evidence, float]],
                 rerank: float) -> npt.NDArray[np.float64]:
    """Decision features about the chosen candidate and the question."""
    best, fused = order[0]
    rival = next(((e, f) for e, f in order[1:] if not _related(best.doc, e.doc)), None)
    margin = 1.0 if rival is None else (fused - rival[1]) / max(fused, 1e-9)
    cos_rival = max((e.cosine for e, _ in order[1:] if not _related(best.doc, e.doc)),
                    default=0.0)
    lexical_top = min(analysis.evidence, key=lambda e: e.lexical_rank)
    semantic_top = min(analysis.evidence, key=lambda e: e.semantic_rank)
    agreement = lexical_top.doc == semantic_top.doc or _related(lexical_top.doc,
                                                                semantic_top.doc)
    values = {
        "rerank": rerank, "fused": fused, "fused_margin": max(-1.0, margin),
        "lexical": min(best.lexical, 1.5), "coverage": best.coverage,
        "similarity": best.similarity, "cosine": best.cosine,
        "cosine_margin": best.cosine - cos_rival, "agreement": float(agreement),
        "confidence": _confidence(fused, best.coverage, margin),
        "unknown_share": analysis.unknown_share,
        "unknown_names": float(min(analysis.unknown_names, 3)),
        "unknown_capitalised": float(min(analysis.unknown_capitalised, 3)),
        "log_terms": math.log1p(analysis.n_terms),
        "corrections": float(len(analysis.corrections)), "named": best.named,
        "residual": best.residual,
        # 'how old is jan leike': the name matches, what is asked about it does not.
        "named_uncovered": best.named * (1.0 - best.residual),
        "entity": float(best.doc.kind != "article"), "who": float(analysis.shape.who),
    }
    return vector(values, DECISION_FEATURES)


def _top(values: npt.NDArray[np.float32], k: int) -> npt.NDArray[np.int64]:
    k = min(k, len(values))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k == len(values):
        return np.arange(len(values), dtype=np.int64)
    return np.argpartition(-values, k - 1)[:k].astype(np.int64)


def _unknown_weight(term: str) -> float:
    """How much an unknown word says the question is about something else."""
    if not term.isalpha():
        return NUMBER_UNKNOWN_FACTOR
    return COMMON_UNKNOWN_FACTOR if term in common_terms() else 1.0


def _unknown_capitalised(question: str, index: Index) -> int:
    """Capitalised words inside the question that the knowledge base never uses:
    'Hugging Face', 'Perplexity' — names of things we have no entry for."""
    words = strip_markup(question)[:MAX_QUERY_CHARS].split()
    count = 0
    for word in words[1:]:
        letters = word.strip(".,!?;:'\"()")
        if len(letters) > 1 and letters[0].isupper() and not letters.isupper():
            terms = content_terms(letters)
            count += bool(terms) and all(t not in index.idf for t in terms)
    return count


def _confidence(fused: float, coverage: float, margin: float) -> float:
    """Score, coverage and lead squashed into 0..1 (the old rule's confidence)."""
    base = min(1.0, fused) * min(1.0, coverage / 0.8)
    return max(0.0, min(1.0, base * (0.75 + 0.25 * min(1.0, max(margin, 0.0) * 3))))


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


def _about(context: Doc) -> frozenset[EntryKey]:
    """The entries a follow-up to ``context`` is likely about: its people and orgs."""
    people_orgs = {k for k in context.links if k.kind != "article"}
    if context.kind != "article":
        people_orgs.add(context.key)
    return frozenset(people_orgs)


def _related(a: Doc, b: Doc) -> bool:
    return b.key in a.links or a.key in b.links

