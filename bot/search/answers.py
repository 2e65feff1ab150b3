"""Build renderer-neutral answers from knowledge entries."""

from __future__ import annotations

import re

from bot.folding import fold
from bot.knowledge import (
    Article,
    Entry,
    EntryKey,
    EntryKind,
    KnowledgeBase,
    Org,
    Person,
    Takeaway,
)
from bot.search.types import Answer, AnswerKind, EntryRef, Link

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'“(])")
MAX_SUMMARY_SENTENCES = 3


def short_summary(text: str, sentences: int = MAX_SUMMARY_SENTENCES) -> str:
    """The first few sentences of ``text``: answers stay short in chat."""
    parts = _SENTENCE_END.split(text.strip())
    return " ".join(parts[:sentences])


def _host(url: str) -> str:
    host = url.split("/")[2] if url.count("/") >= 2 else url
    return host.removeprefix("www.")


def find_takeaway(kb: KnowledgeBase, entry_id: str) -> tuple[Article, Takeaway] | None:
    """The article and takeaway for an ``"<article id>#<takeaway id>"`` id."""
    article_id, _, takeaway_id = entry_id.partition("#")
    article = kb.articles.get(article_id)
    if article is None:
        return None
    takeaway = next((t for t in article.takeaways if t.id == takeaway_id), None)
    return (article, takeaway) if takeaway is not None else None


def ref(kb: KnowledgeBase, kind: AnswerKind, entry_id: str) -> EntryRef | None:
    """An :class:`EntryRef` for an entry id, or None when it does not exist."""
    if kind == "takeaway":
        found = find_takeaway(kb, entry_id)
        if found is None:
            return None
        article, takeaway = found
        return EntryRef("takeaway", entry_id, takeaway.text, article.url)
    entry = kb.get(EntryKey(kind, entry_id))
    if entry is None:
        return None
    return entry_ref(entry)


def entry_ref(entry: Entry) -> EntryRef:
    if isinstance(entry, Article):
        return EntryRef("article", entry.id, entry.title, entry.url)
    kind: EntryKind = "person" if isinstance(entry, Person) else "org"
    return EntryRef(kind, entry.id, entry.name, next(iter(entry.links_best_first), None))


def build_answer(kb: KnowledgeBase, kind: AnswerKind, entry_id: str) -> Answer | None:
    """The full answer card for one entry (article, person, org or takeaway)."""
    if kind == "article":
        article = kb.articles.get(entry_id)
        return _article_answer(kb, article) if article else None
    if kind == "person":
        person = kb.people.get(entry_id)
        return _person_answer(kb, person) if person else None
    if kind == "org":
        org = kb.orgs.get(entry_id)
        return _org_answer(kb, org) if org else None
    return _takeaway_answer(kb, entry_id)


def _refs(kb: KnowledgeBase, kind: AnswerKind, ids: tuple[str, ...]) -> tuple[EntryRef, ...]:
    found = (ref(kb, kind, i) for i in ids)
    return tuple(r for r in found if r is not None)


def articles_mentioning(kb: KnowledgeBase, key: EntryKey) -> list[Article]:
    """Articles that list this person or org, newest first."""
    return [kb.articles[i] for i in kb.mentions.get(key, ())]


def _article_answer(kb: KnowledgeBase, article: Article) -> Answer:
    subtitle = article.outlet + (f", {article.author}" if article.author else "")
    return Answer(
        kind="article",
        id=article.id,
        title=article.title,
        url=article.url,
        summary=short_summary(article.summary),
        date=article.story_date,
        subtitle=subtitle,
        sources=tuple(Link(_host(u), u) for u in (article.url, *article.sources)),
        people=_refs(kb, "person", article.people),
        orgs=_refs(kb, "org", article.orgs),
        takeaways=tuple(t.text for t in article.takeaways),
        related=_refs(kb, "article", article.related),
    )


def _person_answer(kb: KnowledgeBase, person: Person) -> Answer:
    role = person.roles[-1] if person.roles else None
    stories = articles_mentioning(kb, EntryKey("person", person.id))
    departure = person.departure
    takeaways: tuple[str, ...] = ()
    if departure is not None:
        left = kb.orgs.get(departure.from_)
        when = f" ({departure.date})" if departure.date else ""
        takeaways = (f"Left {left.name if left else departure.from_}{when}: {departure.reason}",)
    return Answer(
        kind="person",
        id=person.id,
        title=person.name,
        url=next(iter(person.links_best_first), None),
        summary=short_summary(person.summary),
        date=departure.date if departure else None,
        subtitle=f"{role.title}, {role.org}" if role else None,
        sources=tuple(Link(_host(u), u) for u in person.links_best_first),
        orgs=_refs(kb, "org", person_org_ids(kb, person)),
        takeaways=takeaways,
        related=tuple(entry_ref(a) for a in stories[:5]),
        quote=departure.quote if departure else None,
    )


def person_org_ids(kb: KnowledgeBase, person: Person) -> tuple[str, ...]:
    """Organisations the person worked for (roles, departure), not every org in their
    stories: a researcher is not 'at' the Pentagon because a story mentions both."""
    by_name = kb.org_ids_by_name
    found = [by_name.get(fold(r.org)) or by_name.get(r.org) for r in person.roles]
    if person.departure is not None:
        found.append(person.departure.from_)
    return tuple(dict.fromkeys(o for o in found if o is not None and o in kb.orgs))


def _org_answer(kb: KnowledgeBase, org: Org) -> Answer:
    stories = articles_mentioning(kb, EntryKey("org", org.id))
    return Answer(
        kind="org",
        id=org.id,
        title=org.name,
        url=next(iter(org.links_best_first), None),
        summary=short_summary(org.summary),
        subtitle=", ".join(org.aliases[:3]) or None,
        sources=tuple(Link(_host(u), u) for u in org.links_best_first),
        people=_refs(kb, "person", tuple(dict.fromkeys(p for a in stories for p in a.people))[:6]),
        related=tuple(entry_ref(a) for a in stories[:5]),
    )


def _takeaway_answer(kb: KnowledgeBase, entry_id: str) -> Answer | None:
    found = find_takeaway(kb, entry_id)
    if found is None:
        return None
    article, takeaway = found
    base = _article_answer(kb, article)
    return Answer(
        kind="takeaway",
        id=entry_id,
        title=article.title,
        url=article.url,
        summary=takeaway.text,
        date=article.story_date,
        subtitle=base.subtitle,
        sources=base.sources,
        people=base.people,
        orgs=base.orgs,
        takeaways=base.takeaways,
        related=base.related,
        article=entry_ref(article),
    )
