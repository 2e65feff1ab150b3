"""The immutable in-memory knowledge base that every other layer reads."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from bot.knowledge.schema import Article, Org, Person

EntryKind = Literal["article", "person", "org"]


def normalise_name(text: str) -> str:
    """Fold case and accents so 'Zoë' and 'zoe' count as the same alias."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _frozen(items: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class KnowledgeBase:
    """Articles, people and organisations by id, plus optional quizzes by id.

    ``files`` maps ``"kind:id"`` to the file (relative to the knowledge root) an
    entry was read from, so moderator tools can edit the right file.
    """

    articles: Mapping[str, Article] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    orgs: Mapping[str, Org] = field(default_factory=dict)
    quizzes: Mapping[str, Any] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("articles", "people", "orgs", "quizzes", "files"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def get(self, kind: EntryKind, entry_id: str) -> Article | Person | Org | None:
        if kind == "article":
            return self.articles.get(entry_id)
        if kind == "person":
            return self.people.get(entry_id)
        return self.orgs.get(entry_id)

    def newest_articles(self, count: int = 5) -> list[Article]:
        """Articles with a date, newest first; undated ones last, by title."""
        return sorted(
            self.articles.values(),
            key=lambda a: (a.published is not None, a.published or "", a.title),
            reverse=True,
        )[:count]

    @cached_property
    def mentions(self) -> Mapping[str, tuple[str, ...]]:
        """``"person:id"``/``"org:id"`` -> ids of the articles naming it, newest first."""
        found: dict[str, list[Article]] = {}
        for article in self.articles.values():
            for key in (*(f"person:{p}" for p in article.people),
                        *(f"org:{o}" for o in article.orgs)):
                found.setdefault(key, []).append(article)
        return MappingProxyType({
            key: tuple(a.id for a in sorted(items, key=lambda a: a.published or "",
                                            reverse=True))
            for key, items in found.items()
        })

    @cached_property
    def org_ids_by_name(self) -> Mapping[str, str]:
        """Folded org name, alias or id -> org id, to resolve free-text role orgs."""
        found = {o.id: o.id for o in self.orgs.values()}
        for org in self.orgs.values():
            for name in (org.name, *org.aliases):
                found.setdefault(normalise_name(name), org.id)
        return MappingProxyType(found)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.articles),
            "people": len(self.people),
            "orgs": len(self.orgs),
            "takeaways": sum(len(a.takeaways) for a in self.articles.values()),
            "quizzes": len(self.quizzes),
        }
