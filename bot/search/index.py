"""An immutable inverted index over every knowledge entry, built once per model.

Each entry becomes one document with weighted fields (a name counts more than a
word in a summary).  Terms are weighted by rarity (IDF) at query time, so words
every story shares ('openai', 'ai') cannot decide a match, while a rare name can.
Postings are numpy arrays: scoring a question is a handful of vectorised adds,
which keeps latency flat as the knowledge base grows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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
    return " ".join(content_terms(text))


def _article_fields(kb: KnowledgeBase, a: Article) -> tuple[Doc, list[tuple[str, str]]]:
    linked = [kb.people[p].name for p in a.people if p in kb.people]
    linked += [kb.orgs[o].name for o in a.orgs if o in kb.orgs]
    fields = [("title", a.title), ("summary", a.summary), ("outlet", a.outlet)]
    fields += [("question", q) for q in a.questions]
    fields += [("takeaway", t.text) for t in a.takeaways]
    fields += [("tag", t.replace("-", " ")) for t in a.tags]
    fields += [("linked", n) for n in linked]
    links = {f"person:{p}" for p in a.people} | {f"org:{o}" for o in a.orgs}
    links |= {f"article:{r}" for r in a.related}
    doc = Doc("article", a.id, a.title, a.published, (_joined(a.title),),
              tuple(_joined(x) for x in (a.title, *a.questions)), frozenset(links))
    return doc, fields


def _entity_fields(kind: str, e: Person | Org, mentioned_in: Iterable[str]) -> tuple[
    Doc, list[tuple[str, str]]
]:
    fields = [("name", e.name), ("summary", e.summary)]
    fields += [("name", alias) for alias in e.aliases]
    fields += [("question", q) for q in e.questions]
    fields += [("tag", t.replace("-", " ")) for t in e.tags]
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
        ids: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, list[float]] = defaultdict(list)
        for doc_index, terms in enumerate(weighted):
            for term, weight in terms.items():
                ids[term].append(doc_index)
                weights[term].append(weight / (weight + SATURATION))
        n = max(len(self.docs), 1)
        self.postings: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]] = {
            t: (np.asarray(ids[t], dtype=np.int32), np.asarray(weights[t], dtype=np.float32))
            for t in ids
        }
        self.df = {t: len(v) for t, v in ids.items()}
        self.idf = {t: _idf(n, df) for t, df in self.df.items()}
        self.unknown_idf = _idf(n, 0)
        # Typo candidates bucketed by first letter and length: small lists to scan.
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for term in self.postings:
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
    out: dict[str, float] = defaultdict(float)
    counted: dict[str, set[str]] = defaultdict(set)
    question_hits: dict[str, int] = defaultdict(int)
    for field, text in fields:
        for term in set(content_terms(text)):
            if field == "question":
                if question_hits[term] >= 2:
                    continue
                question_hits[term] += 1
            elif field in counted[term]:
                continue
            counted[term].add(field)
            out[term] += FIELD_WEIGHTS[field]
    return dict(out)


def folded_phrase(text: str) -> str:
    return " ".join(fold(text).split())
