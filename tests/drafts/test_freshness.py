"""Staleness you can see: newest story, stories per month, the 30-day note."""

from __future__ import annotations

import datetime as dt

from bot.drafts.freshness import (
    bar_chart_lines,
    knowledge_freshness,
    month_keys,
    parse_partial_date,
    stale_note,
)
from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Article, Takeaway


def article(article_id: str, published: str | None) -> Article:
    return Article(id=article_id, title=f"Story {article_id}", url="https://example.com/a",
                   outlet="Example", published=published, summary="A summary.",
                   takeaways=(Takeaway(id="t", text="A takeaway."),))


def kb_of(*dates: str | None) -> KnowledgeBase:
    return KnowledgeBase(articles={f"a{i}": article(f"a{i}", d) for i, d in enumerate(dates)})


def test_twelve_months_end_with_the_current_one() -> None:
    keys = month_keys(dt.date(2026, 3, 10))
    assert keys[0] == "2025-04" and keys[-1] == "2026-03" and len(keys) == 12


def test_stories_are_counted_per_month_and_the_newest_is_named() -> None:
    kb = kb_of("2026-03-09", "2026-03-01", "2026-02", "2025-03-31", "2026", None)
    fresh = knowledge_freshness(kb, dt.date(2026, 3, 10))
    counts = dict(fresh.per_month)
    assert counts["2026-03"] == 2 and counts["2026-02"] == 1 and counts["2025-04"] == 0
    assert "2025-03" not in counts  # 13 months ago
    assert sum(counts.values()) == 3  # the year-only date has no month
    assert fresh.newest_date == "2026-03-09" and fresh.age_days == 1
    assert fresh.newest_title == "Story a0"
    assert fresh.undated == 1


def test_an_empty_knowledge_base_has_no_newest_story() -> None:
    fresh = knowledge_freshness(KnowledgeBase(), dt.date(2026, 3, 10))
    assert fresh.newest_date is None and fresh.age_days is None
    assert all(n == 0 for _, n in fresh.per_month)


def test_partial_dates_count_from_their_first_day() -> None:
    assert parse_partial_date("2026-03") == dt.date(2026, 3, 1)
    assert parse_partial_date("2026") == dt.date(2026, 1, 1)
    assert parse_partial_date("soon") is None


def test_the_stale_note_appears_after_30_days_without_an_addition() -> None:
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    assert stale_note(now - dt.timedelta(days=30), now) is None
    note = stale_note(now - dt.timedelta(days=45), now)
    assert note is not None and "45 days" in note and "2026-03-17" in note
    assert stale_note(None, now) is None


def test_bars_are_scaled_to_the_busiest_month() -> None:
    lines = bar_chart_lines((("2026-01", 0), ("2026-02", 1), ("2026-03", 4)), width=8)
    assert lines == ["2026-01   0", "2026-02  ██ 1", "2026-03  ████████ 4"]
