"""The unanswered-questions queue and usage stats, computed from the question log.

Questions the bot could not answer (or answered unsure, or got a 👎 on) are
grouped by fuzzy similarity so that "why did kalinowski quit?" and "Why did
Kalinowski quit OpenAI" are one row with a count, the moderator's unit of work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.knowledge import EntryKey
from bot.search import Engine, EntryRef
from bot.search.answers import entry_ref
from bot.search.types import shown_entry_key
from bot.storage.moderation import InsightStore

# WRatio >= 80 joins rewordings and extensions of one question ("why did X quit"
# / "why did X quit OpenAI") but keeps "who left openai" and "who left anthropic"
# apart (73): those need different entries, so they must be taught separately.
GROUP_SIMILARITY = 80
MAX_TEACH_CHOICES = 25


@dataclass(frozen=True)
class AskedQuestion:
    """One logged question that may need a moderator's attention."""

    question: str
    asked_at: dt.datetime
    status: str
    answered: bool
    confidence: float
    entry: EntryKey | None = None  # what the bot matched or the asker picked (as logged)
    downvotes: int = 0
    upvotes: int = 0


@dataclass(frozen=True)
class QuestionGroup:
    question: str  # the wording asked most often
    variants: tuple[str, ...]  # other wordings, most asked first
    count: int
    unanswered: int
    last_asked: dt.datetime
    downvotes: int
    entries: tuple[EntryKey, ...]  # entries the bot matched for these questions, most often first


def _normal(text: str) -> str:
    return " ".join(utils.default_process(text).split())


def group_questions(
    asked: list[AskedQuestion], similarity: int = GROUP_SIMILARITY
) -> list[QuestionGroup]:
    """Cluster similar questions; most asked first, then most recent."""
    by_text: dict[str, list[AskedQuestion]] = {}
    for item in asked:
        key = _normal(item.question)
        if key:
            by_text.setdefault(key, []).append(item)
    # Most-asked wordings seed the groups, so a group is named by its commonest form.
    ordered = sorted(by_text.items(),
                     key=lambda kv: (-len(kv[1]), -max(i.asked_at for i in kv[1]).timestamp()))
    seeds: list[str] = []
    members: list[list[list[AskedQuestion]]] = []
    for key, items in ordered:
        match = process.extractOne(key, seeds, scorer=fuzz.WRatio, score_cutoff=similarity)
        if match is None:
            seeds.append(key)
            members.append([items])
        else:
            members[match[2]].append(items)
    groups = [_group(wordings) for wordings in members]
    return sorted(groups, key=lambda g: (-g.count, -g.last_asked.timestamp()))


def _group(wordings: list[list[AskedQuestion]]) -> QuestionGroup:
    everything = [item for items in wordings for item in items]
    # Show each wording as most recently typed (keeps the asker's capitalisation).
    shown = [max(items, key=lambda i: i.asked_at).question.strip() for items in wordings]
    entries = Counter(i.entry for i in everything if i.entry)
    return QuestionGroup(
        question=shown[0],
        variants=tuple(shown[1:]),
        count=len(everything),
        unanswered=sum(1 for i in everything if not i.answered),
        last_asked=max(i.asked_at for i in everything),
        downvotes=sum(i.downvotes for i in everything),
        entries=tuple(e for e, _ in entries.most_common()),
    )


def teach_candidates(engine: Engine, group: QuestionGroup) -> list[EntryRef]:
    """Entries to offer for 'Teach': the engine's guesses, the entries it matched when the
    question was asked, then titles resembling the question; no duplicates, at most 25."""
    result = engine.ask(group.question)
    refs: list[EntryRef] = []
    if result.answer is not None:
        answer = result.answer
        if answer.kind == "takeaway" and answer.article is not None:
            refs.append(answer.article)
        elif answer.kind != "takeaway":
            refs.append(EntryRef(answer.kind, answer.id, answer.title, answer.url))
    refs.extend(result.suggestions)
    for logged in group.entries:  # logged ids may predate a rename
        key = engine.kb.resolve(logged)
        entry = engine.kb.get(key) if key is not None else None
        if entry is not None:
            refs.append(entry_ref(entry))
    # Then everything whose title resembles the question, so the list is never empty.
    refs.extend(_similar_titles(engine, group.question))
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in refs:
        if ref.kind in ("article", "person", "org") and (ref.kind, ref.id) not in seen:
            seen.add((ref.kind, ref.id))
            unique.append(ref)
    return unique[:MAX_TEACH_CHOICES]


def _similar_titles(engine: Engine, question: str) -> list[EntryRef]:
    kb = engine.kb
    everything = [
        *(EntryRef("article", a.id, a.title, a.url) for a in kb.articles.values()),
        *(EntryRef("person", p.id, p.name) for p in kb.people.values()),
        *(EntryRef("org", o.id, o.name) for o in kb.orgs.values()),
    ]
    best = process.extract(question, [r.title for r in everything], scorer=fuzz.WRatio,
                           processor=utils.default_process, limit=MAX_TEACH_CHOICES)
    return [everything[index] for _, _, index in best]


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    asked: int
    answered: int


@dataclass(frozen=True)
class UsageStats:
    """What the bot was asked and how it did, over a period."""

    since: dt.datetime
    asked: int
    answered: int
    per_day: tuple[DayCount, ...] = ()
    top_entries: tuple[tuple[str, int], ...] = ()  # ('article:x', times answered)
    upvotes: int = 0
    downvotes: int = 0
    knowledge: dict[str, int] = field(default_factory=dict)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    @property
    def feedback_ratio(self) -> float | None:
        """Share of votes that were 👍, or None before anyone voted."""
        votes = self.upvotes + self.downvotes
        return self.upvotes / votes if votes else None


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def render_groups(groups: list[QuestionGroup], limit: int = 20) -> list[str]:
    """Plain-text lines for the terminal (Discord renders its own embed)."""
    lines = []
    for number, group in enumerate(groups[:limit], 1):
        vote = f", {group.downvotes} 👎" if group.downvotes else ""
        lines.append(f"{number:>3}. {group.question}  ({group.count}x, last "
                     f"{group.last_asked:%Y-%m-%d %H:%M} UTC{vote})")
        if group.variants:
            lines.append("       also: " + "; ".join(group.variants[:3]))
        if group.entries:
            lines.append("       bot offered: " + ", ".join(str(e) for e in group.entries[:3]))
    return lines


def render_stats(stats: UsageStats) -> list[str]:
    lines = [f"Questions since {stats.since:%Y-%m-%d}: {stats.asked}, answered "
             f"{stats.answered} ({percent(stats.answered_share)})",
             f"Feedback: {stats.upvotes} 👍 / {stats.downvotes} 👎 "
             f"({percent(stats.feedback_ratio)} positive)"]
    if stats.knowledge:
        lines.append("Knowledge: " + ", ".join(f"{v} {k}" for k, v in stats.knowledge.items()))
    if stats.per_day:
        lines.append("Per day (asked/answered): " + ", ".join(
            f"{d.day:%m-%d} {d.asked}/{d.answered}" for d in stats.per_day))
    if stats.top_entries:
        lines.append("Top entries: " + ", ".join(f"{k} ({n})" for k, n in stats.top_entries))
    return lines


async def unanswered_groups(
    store: InsightStore, since: dt.datetime, guild_id: int | None
) -> list[QuestionGroup]:
    """The moderators' queue: grouped questions needing attention since ``since``."""
    rows = await store.needing_attention(since, guild_id)
    # ~0.1 s for 2 000 rows of CPU work: keep it off the event loop.
    return await asyncio.to_thread(group_questions, [
        AskedQuestion(
            question=r.question, asked_at=r.asked_at, status=r.status, answered=r.answered,
            confidence=r.confidence,
            entry=shown_entry_key(r.entry_kind, r.entry_id) if r.entry_kind and r.entry_id
            else None,
            downvotes=r.downvotes, upvotes=r.upvotes)
        for r in rows])


async def usage_stats(
    store: InsightStore, since: dt.datetime, guild_id: int | None,
    knowledge: dict[str, int] | None = None,
) -> UsageStats:
    row = await store.stats(since, guild_id)
    return UsageStats(
        since=since, asked=row.asked, answered=row.answered,
        per_day=tuple(DayCount(dt.date.fromisoformat(d), a, n) for d, a, n in row.per_day),
        top_entries=tuple(row.top_entries), upvotes=row.upvotes, downvotes=row.downvotes,
        knowledge=dict(knowledge or {}))
