"""Build renderer-neutral answers from knowledge entries.

:func:`build_answer` makes one :class:`~bot.search.types.Answer` for an entry:
the short answer to the question (``lead``, chosen by :mod:`bot.search.compose`),
its labelled dates and age, and the full entry for "More".  Without a question
(a card picked by name) the lead is the entry's opening.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
from bot.knowledge.schema import Departure, Role
from bot.search.compose import (
    LEAD_MAX,
    Candidate,
    Question,
    candidate,
    choose,
    is_dated,
    read_question,
)
from bot.search.dates import STALE_AFTER_DAYS, age_days, format_date, newest, utc_now
from bot.search.sentences import split_sentences
from bot.search.text import content_terms
from bot.search.types import (
    Answer,
    AnswerKind,
    Dated,
    EntryRef,
    Focus,
    Freshness,
    Latest,
    LatestItem,
    Link,
    Step,
)

RELATED_MAX = 5
PEOPLE_MAX = 6
TIMELINE_BUDGET = 420  # characters of dated steps a timeline answer lists before "More"
TIMELINE_STEPS_MAX = 4
# How much one shared person, organisation or tag makes two entries related.
SHARED_WEIGHTS = {"person": 3, "org": 2, "tag": 1, "curated": 2}
_PRONOUN = re.compile(r"\b(she|he)\b", re.IGNORECASE)
_RESIGNED = re.compile(r"\b(resign\w*|quit\w*)\b", re.IGNORECASE)


def _host(url: str) -> str:
    host = url.split("/")[2] if url.count("/") >= 2 else url
    return host.removeprefix("www.")


def _links(urls: Iterable[str]) -> tuple[Link, ...]:
    return tuple(Link(_host(u), u) for u in dict.fromkeys(urls))


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


def build_answer(kb: KnowledgeBase, kind: AnswerKind, entry_id: str, *,
                 question: str | None = None, today: dt.date | None = None) -> Answer | None:
    """The answer for one entry (article, person, org or takeaway), focused on ``question``.

    ``today`` is the date ages are counted to (default: today, UTC).
    """
    composer = Composer(kb, today or utc_now().date(), read_question(question))
    return composer.answer(kind, entry_id)


def person_org_ids(kb: KnowledgeBase, person: Person) -> tuple[str, ...]:
    """Organisations the person worked for (roles, departure), not every org in their
    stories: a researcher is not 'at' the Pentagon because a story mentions both."""
    found = [_org_id(kb, r.org) for r in person.roles]
    if person.departure is not None:
        found.append(person.departure.from_)
    return tuple(dict.fromkeys(o for o in found if o is not None and o in kb.orgs))


def _org_id(kb: KnowledgeBase, name: str) -> str | None:
    by_name = kb.org_ids_by_name
    return by_name.get(fold(name)) or by_name.get(name)


def org_name(kb: KnowledgeBase, name_or_id: str) -> str:
    """A role's free-text org (an id or a name) as people read it."""
    org = kb.orgs.get(_org_id(kb, name_or_id) or "")
    return org.name if org is not None else name_or_id


def articles_mentioning(kb: KnowledgeBase, key: EntryKey) -> list[Article]:
    """Articles that list this person or org, newest first."""
    return [kb.articles[i] for i in kb.mentions.get(key, ())]


# --------------------------------------------------------------------------- related


@dataclass(frozen=True)
class _Ties:
    people: frozenset[str]
    orgs: frozenset[str]
    tags: frozenset[str]
    curated: frozenset[str] = frozenset()


def related_articles(kb: KnowledgeBase, ties: _Ties, *, skip: str | None = None,
                     limit: int = RELATED_MAX) -> tuple[EntryRef, ...]:
    """Stories ranked by shared people, organisations and tags (and a moderator's own
    ``related`` list), then newest first.  Only stories sharing something are scored,
    found through the knowledge base's indexes, so this stays cheap as it grows."""
    candidates = set(ties.curated)
    keys = [EntryKey("person", p) for p in ties.people] + [EntryKey("org", o) for o in ties.orgs]
    for key in keys:
        candidates.update(kb.mentions.get(key, ()))
    for tag in ties.tags:
        candidates.update(kb.tagged.get(tag, ()))
    candidates.discard(skip or "")
    scored = []
    for article_id in candidates:
        article = kb.articles.get(article_id)
        if article is None:
            continue
        score = (SHARED_WEIGHTS["person"] * len(ties.people.intersection(article.people))
                 + SHARED_WEIGHTS["org"] * len(ties.orgs.intersection(article.orgs))
                 + SHARED_WEIGHTS["tag"] * len(ties.tags.intersection(article.tags))
                 + SHARED_WEIGHTS["curated"] * (article.id in ties.curated))
        scored.append((score, _ascending(article.story_date), article.id))
    best = heapq.nlargest(limit, scored)  # highest score, then newest, then by id
    return tuple(entry_ref(kb.articles[article_id]) for _, _, article_id in best)


def _descending(date: str) -> tuple[int, ...]:
    """Sort key that puts later (partial) dates first and undated last."""
    return tuple(-int(p) for p in date.split("-")) if date else (1,)


def latest_stories(kb: KnowledgeBase, count: int = 5) -> Latest:
    """The ``count`` newest dated stories; undated ones are left out, not put last."""
    dated = [a for a in kb.articles.values() if a.story_date]
    dated.sort(key=lambda a: (_descending(a.story_date or ""), a.title))
    dates = [a.story_date for a in dated]
    return Latest(
        items=tuple(LatestItem(a.title, a.url, a.story_date or "", a.outlet)
                    for a in dated[:max(count, 0)]),
        first=min(dates, key=_ascending) if dates else None,
        last=dates[0] if dates else None,
        undated=len(kb.articles) - len(dated),
    )


def _ascending(date: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in (date or "0").split("-"))


# --------------------------------------------------------------------------- composing


class Composer:
    """Builds answers from one knowledge base, for one question, on one day."""

    def __init__(self, kb: KnowledgeBase, today: dt.date, question: Question) -> None:
        self.kb = kb
        self.today = today
        self.q = question

    def answer(self, kind: AnswerKind, entry_id: str) -> Answer | None:
        if kind == "article":
            article = self.kb.articles.get(entry_id)
            return self.article(article) if article else None
        if kind == "person":
            person = self.kb.people.get(entry_id)
            return self.person(person) if person else None
        if kind == "org":
            org = self.kb.orgs.get(entry_id)
            return self.org(org) if org else None
        found = find_takeaway(self.kb, entry_id)
        return self.takeaway(*found) if found else None

    # ------------------------------------------------------------------ shared parts

    def _refs(self, kind: AnswerKind, ids: Iterable[str]) -> tuple[EntryRef, ...]:
        found = (ref(self.kb, kind, i) for i in ids)
        return tuple(r for r in found if r is not None)

    def _freshness(self, *dates: str | None) -> Freshness | None:
        as_of = newest(dates) or self.kb.knowledge_as_of
        if as_of is None:
            return None
        days = age_days(as_of, self.today)
        return Freshness(as_of, days, caveat=self.q.now and days > STALE_AFTER_DAYS)

    def _summary_candidates(self, text: str, *, opening_bonus: float) -> list[Candidate]:
        return [candidate(s, "summary", i, prior=_position_prior(i) + (opening_bonus if i == 0
                                                                        else 0.0))
                for i, s in enumerate(_sentences(text))]

    def _pick(self, candidates: Sequence[Candidate], ignore: Iterable[str] = (),
              limit: int = LEAD_MAX, max_supporting: int = 2) -> tuple[Candidate, ...]:
        if self.q.empty:  # a card picked by name: the opening, as much as fits
            opening = [c for c in candidates if c.source == "summary"]
            return _fit(opening or list(candidates), limit)
        return choose(self.q, candidates, ignore=ignore, limit=limit,
                      max_supporting=max_supporting)

    # ------------------------------------------------------------------ articles

    def article(self, article: Article) -> Answer:
        q = self.q
        candidates = self._summary_candidates(article.summary, opening_bonus=0.5)
        if q.shape.when:
            candidates = [_with_prior(c, c.prior + 1.0) if is_dated(c.text) else c
                          for c in candidates]
        if q.shape.takeaway or q.shape.explicit_takeaways:
            start = len(candidates)
            candidates += [candidate(t.text, "takeaway", start + i, prior=2.5)
                           for i, t in enumerate(article.takeaways)]
        steps = tuple(Step(s.date, s.text) for s in article.timeline)
        shown: tuple[Step, ...] = ()
        focus: Focus
        if steps and not q.empty:
            shown = self._timeline_steps(steps)
            chosen: tuple[Candidate, ...] = ()
            focus = "timeline"
        else:
            chosen = self._pick(candidates)
            focus = _focus_of(chosen, q.shape.when)
        return Answer(
            kind="article", id=article.id, title=article.title, url=article.url,
            summary=article.summary, lead=_lead(chosen), focus=focus,
            dates=_article_dates(article, event_first=q.shape.when),
            freshness=self._freshness(article.as_of, article.story_date,
                                      *(s.date for s in steps)),
            subtitle=article.outlet + (f", {article.author}" if article.author else ""),
            sources=_links((article.url, *article.sources)),
            people=self._refs("person", article.people),
            orgs=self._refs("org", article.orgs),
            takeaways=tuple(t.text for t in article.takeaways),
            related=related_articles(self.kb, _Ties(
                frozenset(article.people), frozenset(article.orgs), frozenset(article.tags),
                frozenset(article.related)), skip=article.id),
            timeline=steps, timeline_shown=shown, undated=article.undated,
        )

    def _timeline_steps(self, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        """The steps a timeline answer lists: where it started and where it stands, and
        the steps the question is about, in date order, within the budget."""
        last = len(steps) - 1
        candidates = [candidate(s.text, "summary", i, prior=1.0 if i == last else 0.0)
                      for i, s in enumerate(steps)]
        if self.q.timeline:  # the whole story asked for: where it started and where it stands
            ends = [c for c in candidates if c.order in (0, last)]
            rest = [c for c in candidates if c.order not in (0, last)]
            chosen = [*ends, *rest]
            kept = _fit_in_any_order(chosen, TIMELINE_BUDGET, TIMELINE_STEPS_MAX)
        else:
            kept = choose(self.q, candidates, limit=TIMELINE_BUDGET,
                          max_supporting=TIMELINE_STEPS_MAX - 1, any_support=True)
        return tuple(steps[c.order] for c in sorted(kept, key=lambda c: c.order))

    def takeaway(self, article: Article, takeaway: Takeaway) -> Answer:
        base = self.article(article)
        return Answer(
            kind="takeaway", id=f"{article.id}#{takeaway.id}", title=article.title,
            url=article.url, summary=article.summary, lead=takeaway.text, focus="takeaway",
            dates=base.dates, freshness=base.freshness, subtitle=base.subtitle,
            sources=base.sources, people=base.people, orgs=base.orgs,
            takeaways=base.takeaways, related=base.related, timeline=base.timeline,
            undated=base.undated, article=entry_ref(article),
        )

    # ------------------------------------------------------------------ people

    def person(self, person: Person) -> Answer:
        q = self.q
        departure = person.departure
        candidates = self._summary_candidates(person.summary, opening_bonus=(
            2.0 if q.shape.who_is else 0.0))
        roles = sorted(person.roles, key=_role_recency, reverse=True)
        start = len(candidates)
        candidates += [candidate(self._role_sentence(person.name, r), "role", start + i,
                                 prior=self._role_prior(r), concepts=("~job",))
                       for i, r in enumerate(roles)]
        if departure is not None:
            candidates += self._departure_candidates(person, departure, len(candidates))
        chosen = _named_lead(self._pick(candidates, ignore=_name_terms(person.name,
                                                                          person.aliases)),
                             person.name)
        focus = _focus_of(chosen, q.shape.when)
        role = None
        # The role line says where they are; after a departure answer, an ended role
        # only repeats the departure line.
        if roles and not any(c.source == "role" for c in chosen) and not (
                focus in ("reason", "when") and roles[0].is_over):
            role = self.role_line(roles[0])
        dates: tuple[Dated, ...] = ()
        if departure is not None and departure.date:
            dates = (Dated(self._departure_label(departure), departure.date),)
        return Answer(
            kind="person", id=person.id, title=person.name,
            url=next(iter(person.links_best_first), None), summary=person.summary,
            lead=_lead(chosen), focus=focus, dates=dates,
            freshness=self._freshness(person.as_of, *_person_dates(person)),
            role=role, roles=tuple(self.role_line(r) for r in roles),
            subtitle=self.role_line(roles[0]) if roles else None,
            sources=_links(person.links_best_first),
            orgs=self._refs("org", person_org_ids(self.kb, person)),
            related=related_articles(self.kb, _Ties(
                frozenset({person.id}), frozenset(person_org_ids(self.kb, person)),
                frozenset(person.tags))),
            quote=departure.quote if departure else None,
            departure=self._departure_text(departure) if departure else None,
        )

    def _role_prior(self, role: Role) -> float:
        shape = self.q.shape
        prior = 0.5 if not role.is_over else 0.0
        if shape.who and not shape.who_is:
            prior += 2.5  # 'who runs ssi': the role is the answer
        elif self.q.now:
            prior += 1.5  # 'is hegseth still secretary': the role and its age
        return prior

    def _role_sentence(self, name: str, role: Role) -> str:
        """'Ilya Sutskever: CEO at Safe Superintelligence Inc. (SSI), since 3 Jul 2025.'"""
        text = f"{name}: {'formerly ' if role.is_over else ''}{role.title} at " \
               f"{org_name(self.kb, role.org)}"
        span = _span(role)
        return f"{text}, {span}." if span else f"{text}."

    def role_line(self, role: Role) -> str:
        """'CEO, SSI · since 3 Jul 2025'; ended roles say so: '… · Nov 2024 to Mar 2026, ended'."""
        text = f"{role.title}, {org_name(self.kb, role.org)}"
        span = _span(role)
        if role.is_over:
            span = f"{span}, ended" if span else "ended"
        return f"{text} · {span}" if span else text

    def _departure_candidates(self, person: Person, departure: Departure,
                              start: int) -> list[Candidate]:
        q = self.q
        prior = 1.0 if q.leave or q.happened else 0.0
        if q.shape.why:
            prior += 2.0
        sentences = _sentences(departure.reason)
        # The first sentence of a reason is the reason; the rest qualify it.
        found = [candidate(s, "reason", start + i,
                           prior=prior + (1.5 if i == 0 and prior else 0.0))
                 for i, s in enumerate(sentences)]
        if q.shape.when and departure.date:
            # 'when did X leave': the event and its date, in a sentence of our own.
            event = f"{person.name} left {org_name(self.kb, departure.from_)} " \
                    f"{_on(departure.date)}."
            found.append(candidate(event, "departure", start - 1,
                                   prior=4.0 if q.leave else 1.5))
        return found

    def _departure_label(self, departure: Departure) -> str:
        org = org_name(self.kb, departure.from_)
        return f"Resigned from {org}" if _RESIGNED.search(departure.reason) else f"Left {org}"

    def _departure_text(self, departure: Departure) -> str:
        label = self._departure_label(departure)
        when = f" {format_date(departure.date)}" if departure.date else ""
        return f"{label}{when}: {departure.reason}"

    # ------------------------------------------------------------------ organisations

    def org(self, org: Org) -> Answer:
        q = self.q
        stories = articles_mentioning(self.kb, EntryKey("org", org.id))
        candidates = self._summary_candidates(org.summary, opening_bonus=(
            2.0 if q.shape.who_is else 0.5))
        chosen = self._pick(candidates, ignore=_name_terms(org.name, org.aliases))
        newest_story = newest(a.story_date for a in stories)
        people = dict.fromkeys(p for a in stories for p in a.people)
        return Answer(
            kind="org", id=org.id, title=org.name, url=next(iter(org.links_best_first), None),
            summary=org.summary, lead=_lead(chosen), focus=_focus_of(chosen, q.shape.when),
            dates=(Dated("Latest story", newest_story),) if newest_story else (),
            freshness=self._freshness(org.as_of or newest_story),
            subtitle=", ".join(org.aliases[:3]) or None,
            sources=_links(org.links_best_first),
            people=self._refs("person", list(people)[:PEOPLE_MAX]),
            related=related_articles(self.kb, _Ties(
                frozenset(), frozenset({org.id}), frozenset(org.tags))),
        )


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    """A curated text's sentences; cached, as the same entries answer many questions."""
    return tuple(split_sentences(text))


def _position_prior(index: int) -> float:
    """Earlier sentences of a summary carry its point; a slight preference, no more."""
    return 0.3 / (1 + index)


def _with_prior(c: Candidate, prior: float) -> Candidate:
    return Candidate(c.text, c.source, c.order, prior, c.terms)


def _fit(candidates: Sequence[Candidate], limit: int) -> tuple[Candidate, ...]:
    """Leading sentences, in order, as many as fit in ``limit`` (at least one)."""
    taken: list[Candidate] = []
    length = 0
    for c in sorted(candidates, key=lambda c: c.order):
        extra = len(c.text) + (1 if taken else 0)
        if taken and length + extra > limit:
            break
        taken.append(c)
        length += extra
    return tuple(taken)


def _fit_in_any_order(candidates: Sequence[Candidate], limit: int,
                      count: int) -> tuple[Candidate, ...]:
    """The first candidates, in the order given, that fit in ``limit`` (at least one)."""
    taken: list[Candidate] = []
    length = 0
    for c in candidates:
        if len(taken) == count:
            break
        if taken and length + 1 + len(c.text) > limit:
            continue
        taken.append(c)
        length += len(c.text) + (1 if len(taken) > 1 else 0)
    return tuple(taken)


def _lead(chosen: Sequence[Candidate]) -> str:
    return " ".join(c.text for c in chosen)


def _focus_of(chosen: Sequence[Candidate], when: bool) -> Focus:
    if not chosen:
        return "summary"
    source = chosen[0].source
    if source == "departure" or (when and is_dated(chosen[0].text)):
        return "when"
    if source == "reason":
        return "reason"
    if source == "role":
        return "role"
    if source == "takeaway":
        return "takeaway"
    return "story" if chosen[0].order > 0 or len(chosen) > 1 else "summary"


def _span(role: Role) -> str:
    """'Nov 2024 to Mar 2026', 'since 3 Jul 2025', 'until 2024', 'from 2013' or ''."""
    start = format_date(role.from_) if role.from_ else None
    end = format_date(role.to) if role.to else None
    if start and end:
        return f"{start} to {end}"
    if end:
        return f"until {end}"
    if start:
        return f"from {start}" if role.is_over else f"since {start}"
    return ""


def _name_terms(name: str, aliases: Sequence[str]) -> set[str]:
    """Words that only name the entry: its name and one-word aliases ('Kalinowski'), not
    descriptive aliases ('SSI CEO'), whose words a question may really be asking about."""
    texts = [name, *(a for a in aliases if len(a.split()) == 1)]
    return {t for text in texts for t in content_terms(text, markup=False)}


def _named_lead(chosen: tuple[Candidate, ...], name: str) -> tuple[Candidate, ...]:
    """A departure reason that leads is read on its own: name who 'she' is."""
    if not chosen or chosen[0].source != "reason":
        return chosen
    first = chosen[0]
    named = Candidate(_named(first.text, name), first.source, first.order, first.prior,
                      first.terms)
    return (named, *chosen[1:])


def _named(sentence: str, name: str) -> str:
    """'She quit over…' -> 'Caitlin Kalinowski quit over…': the lead is read on its own."""
    surname = name.split()[-1]
    if surname.casefold() in sentence.casefold():
        return sentence
    match = _PRONOUN.search(sentence)
    if match is None:
        return sentence
    return sentence[:match.start()] + name + sentence[match.end():]


def _on(date: str) -> str:
    """'on 7 Mar 2026', 'in Mar 2026', 'in 2026'."""
    return f"{'on' if date.count('-') == 2 else 'in'} {format_date(date)}"


def _article_dates(article: Article, *, event_first: bool) -> tuple[Dated, ...]:
    dates = []
    if article.published:
        dates.append(Dated("Published", article.published))
    if article.event_date and article.event_date != article.published:
        dates.append(Dated("Event", article.event_date))
    if event_first:
        dates.sort(key=lambda d: d.label != "Event")
    return tuple(dates)


def _person_dates(person: Person) -> list[str | None]:
    found: list[str | None] = [person.departure.date if person.departure else None]
    for role in person.roles:
        found += [role.from_, role.to]
    return found


def _role_recency(role: Role) -> tuple[bool, str]:
    """Current roles first, then by the latest date the role carries."""
    return (not role.is_over, role.to or role.from_ or "")

