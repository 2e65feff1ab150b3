"""How current the knowledge is: the newest story, stories per month, and a staleness note.

Pure functions over the loaded knowledge base, shared by ``labwire kb stats``,
``/kb stats`` (which draws the per-month counts as a chart) and the weekly
briefing's preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase
from bot.knowledge.loader import ARTICLES_DIR
from bot.storage.moderation import RevisionStore

MONTHS_SHOWN = 12
STALE_AFTER_DAYS = 30


@dataclass(frozen=True)
class Freshness:
    newest_date: str | None  # as written in the entry: '2026-03-07', '2026-03' or '2026'
    newest_title: str | None
    age_days: int | None  # days from newest_date (its first day, if partial) to today
    per_month: tuple[tuple[str, int], ...]  # ('2026-03', 4), oldest month first
    undated: int  # stories with no date (not in per_month)


def parse_partial_date(text: str) -> dt.date | None:
    """'2026-03-07' -> that day; '2026-03' -> 1 March; '2026' -> 1 January; else None."""
    parts = text.split("-")
    try:
        numbers = [int(p) for p in parts]
        month, day = [*numbers[1:], 1, 1][:2]
        return dt.date(numbers[0], month, day)
    except (ValueError, IndexError):
        return None


def month_keys(today: dt.date, months: int = MONTHS_SHOWN) -> list[str]:
    """'YYYY-MM' for the ``months`` months ending with ``today``'s month, oldest first."""
    keys = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return keys[::-1]


def knowledge_freshness(
    kb: KnowledgeBase, today: dt.date, months: int = MONTHS_SHOWN
) -> Freshness:
    counts = dict.fromkeys(month_keys(today, months), 0)
    undated = 0
    for article in kb.articles.values():
        date = article.story_date  # published, else when the event happened
        if not date:
            undated += 1
            continue
        if date[:7] in counts:
            counts[date[:7]] += 1
    newest = next((a for a in kb.newest_articles(1) if a.story_date), None)
    newest_date = newest.story_date if newest else None
    newest_day = parse_partial_date(newest_date) if newest_date else None
    return Freshness(
        newest_date=newest_date,
        newest_title=newest.title if newest else None,
        age_days=(today - newest_day).days if newest_day else None,
        per_month=tuple(counts.items()),
        undated=undated,
    )


def stale_note(
    last_added: dt.datetime | None, now: dt.datetime, days: int = STALE_AFTER_DAYS
) -> str | None:
    """A sentence for moderators when no story was added for over ``days`` days, else None.

    ``last_added`` is when an article was last added to the knowledge base (from
    the audit trail), not a story's publication date: adding an older story still
    counts as keeping the knowledge current.
    """
    if last_added is None:
        return None
    idle = (now - last_added).days
    if idle <= days:
        return None
    return (f"Nothing new has been added for {idle} days (last on "
            f"{last_added:%Y-%m-%d}). Drafting from a link takes two minutes: `/kb draft`.")


async def last_article_added(revisions: RevisionStore, scan: int = 500) -> dt.datetime | None:
    """When an article file last appeared (upload, published draft or on disk), or None."""
    for revision in await revisions.history(limit=scan):
        added = not revision.before_text and bool(revision.after_text)
        if added and revision.file.startswith(f"{ARTICLES_DIR}/"):
            return revision.created_at
    return None


def bar_chart_lines(per_month: tuple[tuple[str, int], ...], width: int = 30) -> list[str]:
    """Text bars for a terminal: '2026-03  ████████ 8'."""
    peak = max((n for _, n in per_month), default=0)
    lines = []
    for month, count in per_month:
        bar = "█" * (round(width * count / peak) if peak else 0)
        if count and not bar:
            bar = "▏"
        lines.append(f"{month}  {bar} {count}".rstrip())
    return lines
