"""The immutable in-memory knowledge base that every other layer reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal, TypeGuard

from bot.folding import fold
from bot.knowledge.schema import Article, LedgerEntry, Org, Person

EntryKind = Literal["article", "person", "org"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("article", "person", "org")
Entry = Article | Person | Org


def is_entry_kind(text: str) -> TypeGuard[EntryKind]:
    return text in ENTRY_KINDS


@dataclass(frozen=True, order=True)
class EntryKey:
    """One knowledge entry's identity: its kind and id, written ``"kind:id"``.

    The text form is what custom ids, logs, revisions and autocomplete values
    carry; :meth:`parse` is the only place it is read back.
    """

    kind: EntryKind
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, text: str) -> EntryKey:
        """``"person:sam-altman"`` -> ``EntryKey("person", "sam-altman")``; else ValueError."""
        kind, sep, entry_id = text.strip().partition(":")
        if not sep or not entry_id or not is_entry_kind(kind):
            raise ValueError(f"'{text[:120]}' is not an entry key like 'person:sam-altman'")
        return cls(kind, entry_id)

    @classmethod
    def try_parse(cls, text: str | None) -> EntryKey | None:
        """Like :meth:`parse`, but None for anything that is not an entry key."""
        if not text:
            return None
        try:
            return cls.parse(text)
        except ValueError:
            return None


def _frozen(items: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class KnowledgeBase:
    """Articles, people and organisations by id, plus optional quizzes by id.

    ``files`` maps each entry's :class:`EntryKey` to the file (relative to the knowledge root) an
    entry was read from, so moderator tools can edit the right file.  ``knowledge_as_of``
    (from ``knowledge.yaml``) is when the whole knowledge base was last checked against
    its sources; ``ledger`` (from ``sources.yaml``) maps every URL it may cite to where
    that URL came from.
    """

    articles: Mapping[str, Article] = field(default_factory=dict)
    people: Mapping[str, Person] = field(default_factory=dict)
    orgs: Mapping[str, Org] = field(default_factory=dict)
    quizzes: Mapping[str, Any] = field(default_factory=dict)
    files: Mapping[EntryKey, str] = field(default_factory=dict)
    knowledge_as_of: str | None = None
    ledger: Mapping[str, LedgerEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("articles", "people", "orgs", "quizzes", "files", "ledger"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def get(self, key: EntryKey) -> Entry | None:
        if key.kind == "article":
            return self.articles.get(key.id)
        if key.kind == "person":
            return self.people.get(key.id)
        return self.orgs.get(key.id)

    def resolve(self, key: EntryKey) -> EntryKey | None:
        """The entry's current key, also for an id it had before a rename; None if unknown.

        Use it wherever a key comes from outside the model (a button on an old
        message, a logged question, a moderator's typing) before :meth:`get`.
        """
        if self.get(key) is not None:
            return key
        return self.renamed.get(key)

    @cached_property
    def renamed(self) -> Mapping[EntryKey, EntryKey]:
        """Old key (from ``previous_ids``) -> the entry's current key."""
        found: dict[EntryKey, EntryKey] = {}
        for kind, table in self._tables():
            for entry in table.values():
                for old in entry.previous_ids:
                    found.setdefault(EntryKey(kind, old), EntryKey(kind, entry.id))
        return MappingProxyType(found)

    def entry_keys(self) -> list[EntryKey]:
        """Every entry's key: articles, then people, then organisations."""
        return [EntryKey(kind, entry_id) for kind, table in self._tables() for entry_id in table]

    def _tables(self) -> tuple[tuple[EntryKind, Mapping[str, Entry]], ...]:
        return (("article", self.articles), ("person", self.people), ("org", self.orgs))

    def newest_articles(self, count: int = 5) -> list[Article]:
        """Articles with a date (published, else event date), newest first; undated last."""
        return sorted(
            self.articles.values(),
            key=lambda a: (a.story_date is not None, a.story_date or "", a.title),
            reverse=True,
        )[:count]

    @cached_property
    def mentions(self) -> Mapping[EntryKey, tuple[str, ...]]:
        """A person's or org's key -> ids of the articles naming it, newest first."""
        found: dict[EntryKey, list[Article]] = {}
        for article in self.articles.values():
            for key in (*(EntryKey("person", p) for p in article.people),
                        *(EntryKey("org", o) for o in article.orgs)):
                found.setdefault(key, []).append(article)
        return MappingProxyType({
            key: tuple(a.id for a in sorted(items, key=lambda a: a.story_date or "",
                                            reverse=True))
            for key, items in found.items()
        })

    @cached_property
    def tagged(self) -> Mapping[str, tuple[str, ...]]:
        """A tag -> ids of the articles carrying it (for ranking related stories)."""
        found: dict[str, list[str]] = {}
        for article in self.articles.values():
            for tag in article.tags:
                found.setdefault(tag, []).append(article.id)
        return MappingProxyType({tag: tuple(ids) for tag, ids in found.items()})

    @cached_property
    def org_ids_by_name(self) -> Mapping[str, str]:
        """Folded org name, alias or id -> org id, to resolve free-text role orgs."""
        found = {o.id: o.id for o in self.orgs.values()}
        for org in self.orgs.values():
            for name in (org.name, *org.aliases):
                found.setdefault(fold(name), org.id)
        return MappingProxyType(found)

    def counts(self) -> dict[str, int]:
        return {
            "articles": len(self.articles),
            "people": len(self.people),
            "orgs": len(self.orgs),
            "takeaways": sum(len(a.takeaways) for a in self.articles.values()),
            "quizzes": len(self.quizzes),
        }
