"""The weekly briefing: what changed since the last one, and when the next one is due.

Pure functions over the subscription row and the revision log.  Changes are
taken from ``kb_revisions``, which includes 'external' rows for edits made on
disk (detected by content hash at each reload).  File modification times are
deliberately not used: a fresh checkout or a backup restore sets every mtime to
"now" and would announce the whole knowledge base as new.

Scheduling: a briefing slot is a weekday and hour in UTC.  A guild is due when
the most recent slot is later than the time its last briefing was handled (or
it subscribed); handling it stores that time.  A bot that was down over a slot
catches up once on restart, and one that restarts right after posting finds the
slot already handled, so a restart neither skips nor doubles a briefing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.knowledge import Article, EntryKey, KnowledgeBase
from bot.knowledge.loader import ARTICLES_DIR
from bot.storage.moderation import BriefingSubscription, Revision

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WEEKDAY = 0  # Monday
DEFAULT_HOUR = 9  # 09:00 UTC
FIRST_BRIEFING_LOOKBACK = dt.timedelta(days=7)
MAX_ITEMS = 15
SUMMARY_CHARS = 140


@dataclass(frozen=True)
class BriefingItem:
    article: Article
    change: Literal["added", "updated"]
    at: dt.datetime


def latest_slot(now: dt.datetime, weekday: int, hour: int) -> dt.datetime:
    """The most recent ``weekday`` at ``hour``:00 UTC that is not after ``now``."""
    now = now.astimezone(dt.UTC)
    days_back = (now.weekday() - weekday) % 7
    slot = (now - dt.timedelta(days=days_back)).replace(hour=hour, minute=0, second=0,
                                                         microsecond=0)
    return slot if slot <= now else slot - dt.timedelta(days=7)


def next_slot(now: dt.datetime, weekday: int, hour: int) -> dt.datetime:
    """The first slot strictly after ``now``."""
    return latest_slot(now, weekday, hour) + dt.timedelta(days=7)


def handled_until(subscription: BriefingSubscription) -> dt.datetime:
    return subscription.last_sent_at or subscription.subscribed_at


def is_due(subscription: BriefingSubscription, now: dt.datetime) -> bool:
    """A slot has passed that this guild's briefing has not handled yet."""
    slot = latest_slot(now, subscription.weekday, subscription.hour)
    return slot > handled_until(subscription)


def next_run(subscription: BriefingSubscription, now: dt.datetime) -> dt.datetime:
    if is_due(subscription, now):
        return now
    return next_slot(now, subscription.weekday, subscription.hour)


def covers_since(subscription: BriefingSubscription) -> dt.datetime:
    """Changes after this time go into the next briefing; the first one looks back a week."""
    if subscription.last_sent_at is not None:
        return subscription.last_sent_at
    return subscription.subscribed_at - FIRST_BRIEFING_LOOKBACK


def changed_articles(
    kb: KnowledgeBase, revisions: Iterable[Revision], since: dt.datetime
) -> list[BriefingItem]:
    """Articles (still in the knowledge base) added or updated after ``since``.

    Taught questions are not news, so 'teach' revisions are left out.  An article
    both added and edited in the window counts as added; a file that held an article
    under an id it has since left (``previous_ids``) counts for the article it became,
    so a rename is an update, not a new story.
    """
    first: dict[str, Revision] = {}
    last: dict[str, Revision] = {}
    for revision in sorted(revisions, key=lambda r: r.id):
        if revision.created_at <= since or revision.kind == "teach":
            continue
        if not revision.file.startswith(f"{ARTICLES_DIR}/"):
            continue
        file_id = revision.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        current = kb.resolve(EntryKey("article", file_id))
        if current is None:  # removed again, or not loadable: nothing to announce
            continue
        first.setdefault(current.id, revision)
        last[current.id] = revision
    items = []
    for article_id, revision in first.items():
        article = kb.articles[article_id]
        change: Literal["added", "updated"] = "added" if not revision.before_text else "updated"
        items.append(BriefingItem(article, change, last[article_id].created_at))
    return sorted(items, key=lambda i: (i.change != "added", -i.at.timestamp(), i.article.title))


def one_line(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence, or a word-boundary cut with an ellipsis."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    if 0 < end < limit:
        return flat[:end + 1]
    if len(flat) <= limit:
        return flat
    return flat[:limit - 1].rsplit(" ", 1)[0] + "…"


def briefing_lines(items: list[BriefingItem], limit: int = MAX_ITEMS) -> list[str]:
    """Markdown lines: a linked title, what changed, one line of summary."""
    lines = [f"**[{item.article.title}]({item.article.url})** ({item.change})\n"
             f"{one_line(item.article.summary)}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"…and {len(items) - limit} more.")
    return lines
