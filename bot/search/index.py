"""An immutable inverted index over every knowledge entry, built once per model.

Each entry becomes one document with weighted fields (a name counts more than a
word in a summary).  Terms are weighted by rarity (IDF) at query time, so words
every story shares ('openai', 'ai') cannot decide a match, while a rare name can.
Postings are numpy arrays: scoring a question is a handful of vectorised adds,
which keeps latency flat as the knowledge base grows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from bot.knowledge import Article, EntryKey, EntryKind, KnowledgeBase, Org, Person
from bot.search.answers import person_org_ids
from bot.search.sentences import split_sentences
from bot.search.text import content_terms

# How much one field containing a term says about the entry.
FIELD_WEIGHTS = {
    "name": 3.0,
    "title": 2.2,
    "question": 2.0,
    "tag": 1.2,
    "takeaway": 1.0,
    "summary": 0.8,
    # A person's or lab's summary digests many stories; each story tells its own best.
    "profile": 0.5,
    "role": 0.8,
    "linked": 0.6,
    "outlet": 0.4,
}
SATURATION = 1.5  # weight at which a term's evidence is half of its maximum
# Texts embedded per entry for the semantic signal: a title or name, the curated
# questions, the summary's first sentences, roles and takeaways (each its own vector).
SUMMARY_SENTENCES = 4
MAX_EMBEDDED_QUESTIONS = 6
MAX_EMBEDDED_TAKEAWAYS = 5


@dataclass(frozen=True)
class Doc:
    kind: EntryKind
    id: str
    title: str
    date: str | None
    names: tuple[str, ...]  # content terms of the name/title and each alias, joined
    phrases: tuple[str, ...]  # content terms of the title and each question, joined
    links: frozenset[EntryKey]  # entries this one is about or mentions
    texts: tuple[str, ...] = ()  # what the semantic signal embeds for this entry

    @property
    def key(self) -> EntryKey:
        return EntryKey(self.kind, self.id)


def _joined(text: str) -> str:
    return " ".join(_terms(text))


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[str, ...]:
    # Curated text: no Discord markup to strip.  Cached because a title or a
    # question is both indexed and kept for fuzzy re-ranking.
    return tuple(content_terms(text, markup=False))


def _article_fields(kb: KnowledgeBase, a: Article) -> tuple[Doc, list[tuple[str, str]]]:
    linked = [kb.people[p].name for p in a.people if p in kb.people]
    linked += [kb.orgs[o].name for o in a.orgs if o in kb.orgs]
    # Fields of one kind count once per term, so they can be tokenized together;
    # only questions are kept apart (several phrasings sharing a word count more).
    fields = [("title", a.title), ("summary", a.summary), ("outlet", a.outlet),
              ("takeaway", "\n".join(t.text for t in a.takeaways)),
              ("tag", " ".join(a.tags).replace("-", " ")), ("linked", "\n".join(linked))]
    fields += [("question", q) for q in a.questions]
    links = {EntryKey("person", p) for p in a.people} | {EntryKey("org", o) for o in a.orgs}
    links |= {EntryKey("article", r) for r in a.related}
    texts = (a.title, *a.questions[:MAX_EMBEDDED_QUESTIONS],
             *split_sentences(a.summary)[:SUMMARY_SENTENCES],
             *(t.text for t in a.takeaways[:MAX_EMBEDDED_TAKEAWAYS]))
    doc = Doc("article", a.id, a.title, a.story_date, (_joined(a.title),),
              tuple(_joined(x) for x in (a.title, *a.questions)), frozenset(links),
              _distinct(texts))
    return doc, fields


def _entity_fields(kind: EntryKind, e: Person | Org, mentioned_in: Iterable[EntryKey]) -> tuple[
    Doc, list[tuple[str, str]]
]:
    fields = [("name", "\n".join((e.name, *e.aliases))), ("profile", e.summary),
              ("tag", " ".join(e.tags).replace("-", " "))]
    fields += [("question", q) for q in e.questions]
    date = None
    texts = [", ".join((e.name, *e.aliases)), *e.questions[:MAX_EMBEDDED_QUESTIONS],
             *split_sentences(e.summary)[:SUMMARY_SENTENCES]]
    if isinstance(e, Person):
        roles = [f"{r.title} {r.org}" for r in e.roles]
        texts += [f"{e.name}, {r.title} at {r.org}" for r in e.roles]
        if e.departure is not None:
            roles.append(e.departure.reason)
            date = e.departure.date
            texts.append(f"{e.name} left: {e.departure.reason}")
        fields.append(("role", "\n".join(roles)))
    names = tuple(n for n in (_joined(x) for x in (e.name, *e.aliases)) if n)
    doc = Doc(kind, e.id, e.name, date, names,
              tuple(_joined(q) for q in e.questions), frozenset(mentioned_in),
              _distinct(texts))
    return doc, fields


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in texts if t and t.strip()))


class Index:
    """Documents, an IDF table and numpy postings; immutable after construction."""

    def __init__(self, kb: KnowledgeBase) -> None:
        docs: list[Doc] = []
        mentions: dict[EntryKey, set[EntryKey]] = defaultdict(set)
        for a in kb.articles.values():
            for p in a.people:
                mentions[EntryKey("person", p)].add(EntryKey("article", a.id))
            for o in a.orgs:
                mentions[EntryKey("org", o)].add(EntryKey("article", a.id))
        sources: list[tuple[Doc, list[tuple[str, str]]]] = [
            _article_fields(kb, a) for a in kb.articles.values()
        ]
        # People and orgs named in the same story are related: when both rank high,
        # either may be the right answer, so one does not cast doubt on the other.
        for a in kb.articles.values():
            cast = [EntryKey("person", p) for p in a.people] + [EntryKey("org", o) for o in a.orgs]
            for key in cast:
                mentions[key].update(cast)
        for person in kb.people.values():  # and so are people and their employers
            for org_id in person_org_ids(kb, person):
                mentions[EntryKey("person", person.id)].add(EntryKey("org", org_id))
                mentions[EntryKey("org", org_id)].add(EntryKey("person", person.id))
        sources += [_entity_fields("person", p, mentions[EntryKey("person", p.id)])
                    for p in kb.people.values()]
        sources += [_entity_fields("org", o, mentions[EntryKey("org", o.id)])
                    for o in kb.orgs.values()]
        evidence = _Evidence()
        for doc_index, (doc, fields) in enumerate(sources):
            docs.append(doc)
            evidence.add(doc_index, fields)
        self.docs: tuple[Doc, ...] = tuple(docs)
        self._build_postings(evidence)

    def _build_postings(self, evidence: _Evidence) -> None:
        # All (term, entry, weight) triples go through numpy at once: sorted by
        # (term, entry), weights of the same pair summed, then each term's postings
        # are two slices (views) of the same two arrays.
        n_docs = max(len(self.docs), 1)
        vocab = {t: i for i, t in enumerate(dict.fromkeys(evidence.terms))}
        term_ids = np.fromiter(map(vocab.__getitem__, evidence.terms), dtype=np.int64,
                               count=len(evidence.terms))
        pair = term_ids * n_docs + np.asarray(evidence.docs, dtype=np.int64)
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        starts = np.flatnonzero(np.concatenate(([True], pair[1:] != pair[:-1])))
        summed = np.add.reduceat(np.asarray(evidence.weights, dtype=np.float32)[order], starts)
        unique = pair[starts]
        docs_sorted = (unique % n_docs).astype(np.int32)
        weights_sorted = (summed / (summed + SATURATION)).astype(np.float32)
        counts = np.bincount(unique // n_docs, minlength=len(vocab))
        bounds = np.concatenate(([0], np.cumsum(counts))).tolist()
        self.postings: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = {
            t: (docs_sorted[bounds[i]:bounds[i + 1]], weights_sorted[bounds[i]:bounds[i + 1]])
            for t, i in vocab.items()
        }
        n = max(len(self.docs), 1)
        self.df = {t: int(counts[i]) for t, i in vocab.items()}
        self.idf = {t: _idf(n, df) for t, df in self.df.items()}
        self.unknown_idf = _idf(n, 0)
        # Typo candidates bucketed by first letter and length: small lists to scan.
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for term in vocab:
            if term.isalpha():
                buckets[(term[0], len(term))].append(term)
        self.vocab_by_initial = {k: tuple(sorted(v)) for k, v in buckets.items()}
        # Words of people's and organisations' names and aliases, by length: the
        # only words a short typo ('ilia', 'yan') may be corrected to.
        by_length: dict[int, set[str]] = defaultdict(set)
        for doc in self.docs:
            if doc.kind != "article":
                for name in doc.names:
                    for term in name.split():
                        if term.isalpha() and len(term) >= 3:
                            by_length[len(term)].add(term)
        self.name_terms_by_length = {k: tuple(sorted(v)) for k, v in by_length.items()}
        self.name_terms = frozenset(t for doc in self.docs if doc.kind != "article"
                                    for name in doc.names for t in name.split())

    def __len__(self) -> int:
        return len(self.docs)


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


class _Evidence:
    """Flat lists of (term, entry, field weight), filled with C-level extends.

    Each field kind counts once per term (a word repeated in a summary is no
    stronger); questions count up to twice, since several phrasings sharing a
    word is real evidence.  Weights of one (term, entry) pair are summed later.
    """

    def __init__(self) -> None:
        self.terms: list[str] = []
        self.docs: list[int] = []
        self.weights: list[float] = []

    def add(self, doc_index: int, fields: list[tuple[str, str]]) -> None:
        question_hits: Counter[str] = Counter()
        for field, text in fields:
            # Titles, questions and names were just tokenized for the Doc (cached);
            # summaries are read once, so skip the cache for them.
            cached = field in ("title", "question", "name")
            terms = set(_terms(text) if cached else content_terms(text, markup=False))
            if field == "question":
                question_hits.update(terms)
            else:
                self._extend(doc_index, terms, [FIELD_WEIGHTS[field]] * len(terms))
        weight = FIELD_WEIGHTS["question"]
        self._extend(doc_index, question_hits,
                     [weight * min(hits, 2) for hits in question_hits.values()])

    def _extend(self, doc_index: int, terms: Iterable[str], weights: list[float]) -> None:
        self.terms.extend(terms)
        self.weights.extend(weights)
        self.docs.extend([doc_index] * len(weights))
