"""Briefing contents come from the revision log; the schedule neither skips nor repeats."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge import EntryKey
from bot.moderation import briefing
from bot.moderation.editor import Actor, KnowledgeEditor
from bot.storage.moderation import BriefingSubscription
from tests.clock import SettableClock as Clock
from tests.moderation.kbfiles import ARTICLE, NEW_ARTICLE

MONDAY_9 = dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC)  # 2026-04-06 is a Monday


def _sub(subscribed: dt.datetime, last: dt.datetime | None = None) -> BriefingSubscription:
    return BriefingSubscription(1, 2, weekday=0, hour=9, subscribed_at=subscribed,
                                last_sent_at=last)


def test_latest_and_next_slot() -> None:
    assert briefing.latest_slot(MONDAY_9, 0, 9) == MONDAY_9
    just_before = MONDAY_9 - dt.timedelta(seconds=1)
    assert briefing.latest_slot(just_before, 0, 9) == MONDAY_9 - dt.timedelta(days=7)
    assert briefing.next_slot(just_before, 0, 9) == MONDAY_9
    assert briefing.next_slot(MONDAY_9, 0, 9) == MONDAY_9 + dt.timedelta(days=7)


def test_due_once_per_slot_and_catches_up_after_downtime() -> None:
    sub = _sub(subscribed=MONDAY_9 - dt.timedelta(days=2))
    assert not briefing.is_due(sub, MONDAY_9 - dt.timedelta(minutes=1))
    assert briefing.is_due(sub, MONDAY_9)
    # Down all Monday: the restart on Tuesday still owes Monday's briefing.
    assert briefing.is_due(sub, MONDAY_9 + dt.timedelta(days=1))
    handled = _sub(sub.subscribed_at, last=MONDAY_9 + dt.timedelta(days=1))
    assert not briefing.is_due(handled, MONDAY_9 + dt.timedelta(days=1, minutes=1))
    assert briefing.next_run(handled, MONDAY_9 + dt.timedelta(days=2)) == \
        MONDAY_9 + dt.timedelta(days=7)


def test_subscribing_after_the_slot_waits_for_the_next_week() -> None:
    sub = _sub(subscribed=MONDAY_9 + dt.timedelta(hours=1))
    assert not briefing.is_due(sub, MONDAY_9 + dt.timedelta(hours=2))
    assert briefing.is_due(sub, MONDAY_9 + dt.timedelta(days=7))


@given(st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1),
                    timezones=st.just(dt.UTC)),
       st.integers(0, 6), st.integers(0, 23), st.integers(15, 600))
def test_polling_every_step_posts_exactly_once_per_week(
    start: dt.datetime, weekday: int, hour: int, step_minutes: int
) -> None:
    """Whatever the polling interval (bot restarts included), one briefing per slot."""
    sub = BriefingSubscription(1, 2, weekday, hour, subscribed_at=start, last_sent_at=None)
    now, sent = start, []
    for _ in range(int(28 * 24 * 60 / step_minutes)):
        now += dt.timedelta(minutes=step_minutes)
        if briefing.is_due(sub, now):
            sent.append(now)
            sub = BriefingSubscription(1, 2, weekday, hour, start, last_sent_at=now)
    slots = {briefing.latest_slot(t, weekday, hour) for t in sent}
    assert len(slots) == len(sent)  # never two for one slot
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert all(g <= dt.timedelta(days=7, minutes=step_minutes) for g in gaps)  # none skipped


async def test_changed_articles_from_uploads_and_disk_edits(
    editor: KnowledgeEditor, clock: Clock
) -> None:
    since = clock.now
    clock.advance(hours=1)
    await editor.upload("z.yaml", NEW_ARTICLE.encode(), Actor(1, "mod"))
    await editor.teach(EntryKey("article", "2026-03-07-kalinowski-quits"),
                       "who quit over the pentagon", Actor(1, "mod"))
    clock.advance(hours=1)
    (editor.root / "articles/2026-03-07-kalinowski-quits.yaml").write_text(
        ARTICLE.replace("Example News", "Example Times"))
    await editor.reload()

    items = briefing.changed_articles(editor.service.kb, await editor.revisions.since(since),
                                      since)

    assert [(i.article.id, i.change) for i in items] == [
        ("2026-04-01-zebra-robotics-deal", "added"), ("2026-03-07-kalinowski-quits", "updated")]
    assert briefing.changed_articles(editor.service.kb, await editor.revisions.since(clock.now),
                                     clock.now) == []
    lines = briefing.briefing_lines(items)
    assert lines[0].startswith(
        "**[Zebra Robotics signs a lunar mining contract]"
        "(https://example.com/news/2026-04-01-zebra-robotics-deal)** (added)")


async def test_only_teaching_is_not_news(editor: KnowledgeEditor, clock: Clock) -> None:
    since = clock.now
    clock.advance(minutes=1)
    await editor.teach(EntryKey("article", "2026-03-07-kalinowski-quits"),
                       "who quit over the pentagon", Actor(1, "m"))
    assert briefing.changed_articles(editor.service.kb, await editor.revisions.since(since),
                                     since) == []


async def test_a_renamed_story_is_an_update_not_news(
    editor: KnowledgeEditor, clock: Clock
) -> None:
    since = clock.now
    clock.advance(minutes=1)
    old = editor.root / "articles/2026-03-07-kalinowski-quits.yaml"
    renamed = ARTICLE.replace("id: 2026-03-07-kalinowski-quits",
                              "id: 2026-03-07-kalinowski-resigns") + \
        "previous_ids: [2026-03-07-kalinowski-quits]\n"
    old.unlink()
    (editor.root / "articles/2026-03-07-kalinowski-resigns.yaml").write_text(renamed)
    assert (await editor.reload()).ok

    items = briefing.changed_articles(editor.service.kb, await editor.revisions.since(since),
                                      since)
    assert [(i.article.id, i.change) for i in items] == [
        ("2026-03-07-kalinowski-resigns", "updated")]


def test_one_line_summary() -> None:
    assert briefing.one_line("First sentence. Second one.") == "First sentence."
    long = "word " * 60
    cut = briefing.one_line(long, 50)
    assert cut.endswith("…") and len(cut) <= 50
