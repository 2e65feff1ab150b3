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

from bot.knowledge import Article, KnowledgeBase, Org, Person
from bot.search.text import content_terms, fold

# How much one field containing a term says about the entry.
FIELD_WEIGHTS = {
    "name": 3.0,
    "title": 2.2,
    "question": 2.0,
    "tag": 1.2,
    "takeaway": 1.0,
    "summary": 0.8,
    "role": 0.8,
    "linked": 0.6,
    "outlet": 0.4,
}
SATURATION = 1.5  # weight at which a term's evidence is half of its maximum


@dataclass(frozen=True)
class Doc:
    kind: str  # "article" | "person" | "org"
    id: str
    title: str
    date: str | None
    names: tuple[str, ...]  # content terms of the name/title and each alias, joined
    phrases: tuple[str, ...]  # content terms of the title and each question, joined
    links: frozenset[str]  # "kind:id" of entries this one is about or mentions

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


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
    links = {f"person:{p}" for p in a.people} | {f"org:{o}" for o in a.orgs}
    links |= {f"article:{r}" for r in a.related}
    doc = Doc("article", a.id, a.title, a.published, (_joined(a.title),),
              tuple(_joined(x) for x in (a.title, *a.questions)), frozenset(links))
    return doc, fields


def _entity_fields(kind: str, e: Person | Org, mentioned_in: Iterable[str]) -> tuple[
    Doc, list[tuple[str, str]]
]:
    fields = [("name", "\n".join((e.name, *e.aliases))), ("summary", e.summary),
              ("tag", " ".join(e.tags).replace("-", " "))]
    fields += [("question", q) for q in e.questions]
    date = None
    if isinstance(e, Person):
        fields += [("role", f"{r.title} {r.org}") for r in e.roles]
        if e.departure is not None:
            fields.append(("role", e.departure.reason))
            date = e.departure.date
    names = tuple(n for n in (_joined(x) for x in (e.name, *e.aliases)) if n)
    doc = Doc(kind, e.id, e.name, date, names,
              tuple(_joined(q) for q in e.questions), frozenset(mentioned_in))
    return doc, fields


class Index:
    """Documents, an IDF table and numpy postings; immutable after construction."""

    def __init__(self, kb: KnowledgeBase) -> None:
        docs: list[Doc] = []
        weighted: list[dict[str, float]] = []
        mentions: dict[str, set[str]] = defaultdict(set)
        for a in kb.articles.values():
            for p in a.people:
                mentions[f"person:{p}"].add(f"article:{a.id}")
            for o in a.orgs:
                mentions[f"org:{o}"].add(f"article:{a.id}")
        sources: list[tuple[Doc, list[tuple[str, str]]]] = [
            _article_fields(kb, a) for a in kb.articles.values()
        ]
        # People and orgs named in the same story are related: when both rank high,
        # either may be the right answer, so one does not cast doubt on the other.
        for a in kb.articles.values():
            cast = [f"person:{p}" for p in a.people] + [f"org:{o}" for o in a.orgs]
            for key in cast:
                mentions[key].update(cast)
        sources += [_entity_fields("person", p, mentions[f"person:{p.id}"])
                    for p in kb.people.values()]
        sources += [_entity_fields("org", o, mentions[f"org:{o.id}"]) for o in kb.orgs.values()]
        for doc, fields in sources:
            docs.append(doc)
            weighted.append(_term_weights(fields))
        self.docs: tuple[Doc, ...] = tuple(docs)
        self.by_key = {d.key: i for i, d in enumerate(self.docs)}
        self._build_postings(weighted)

    def _build_postings(self, weighted: list[dict[str, float]]) -> None:
        # Flat (term, doc, weight) triples sorted by term once with numpy; each
        # term's postings are then two slices (views) of the same two arrays.
        vocab: dict[str, int] = {}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        raw: list[float] = []
        for doc_index, terms in enumerate(weighted):
            term_ids.extend([vocab.setdefault(t, len(vocab)) for t in terms])
            doc_ids.extend([doc_index] * len(terms))
            raw.extend(terms.values())
        tids = np.asarray(term_ids, dtype=np.int32)
        order = np.argsort(tids, kind="stable")
        docs_sorted = np.asarray(doc_ids, dtype=np.int32)[order]
        w = np.asarray(raw, dtype=np.float32)[order]
        weights_sorted = w / (w + SATURATION)
        counts = np.bincount(tids, minlength=len(vocab))
        bounds = np.concatenate(([0], np.cumsum(counts)))
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

    def __len__(self) -> int:
        return len(self.docs)


def _idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def _term_weights(fields: list[tuple[str, str]]) -> dict[str, float]:
    """Each field counts once per term (a word repeated in a summary is no stronger);
    questions count up to twice, since several phrasings sharing a word is real evidence."""
    by_field: dict[str, set[str]] = defaultdict(set)
    question_hits: Counter[str] = Counter()
    for field, text in fields:
        if field == "question":
            question_hits.update(set(_terms(text)))
        else:
            by_field[field].update(_terms(text))
    out: dict[str, float] = {}
    for field, terms in by_field.items():
        weight = FIELD_WEIGHTS[field]
        for term in terms:
            out[term] = out.get(term, 0.0) + weight
    question_weight = FIELD_WEIGHTS["question"]
    for term, hits in question_hits.items():
        out[term] = out.get(term, 0.0) + question_weight * min(hits, 2)
    return out


def folded_phrase(text: str) -> str:
    return " ".join(fold(text).split())
