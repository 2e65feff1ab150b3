"""Dates as users read them: labelled, human-formatted, and how old they are.

Knowledge dates are partial ISO strings ('2026-03-07', '2026-03', '2026').  A
partial date counts from its first day when its age is computed, so an answer
never claims to be fresher than it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bot.clock import Clock, utc_now
from bot.yamldocs.fields import date_start

__all__ = ["Clock", "age_days", "age_words", "format_date", "month_year", "newest", "oldest",
           "utc_now"]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS_PER_MONTH = 30.44
STALE_AFTER_DAYS = 30


def format_date(value: str) -> str:
    """'2026-03-07' -> '7 Mar 2026', '2026-03' -> 'Mar 2026', '2026' -> '2026'."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def month_year(value: str) -> str:
    """'2026-03-07' -> 'Mar 2026': coverage is stated to the month."""
    return format_date(value[:7])


def age_days(value: str, today: dt.date) -> int:
    """Days from a (partial) date's first day to ``today``; never negative."""
    return max((today - date_start(value)).days, 0)


def age_words(days: int) -> str:
    """'today', '3 days ago', '5 weeks ago', '7 months ago', '2 years ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    months = round(days / DAYS_PER_MONTH)
    if months < 24:
        return f"{months} months ago"
    return f"{int(days // 365.25)} years ago"


def newest(dates: Iterable[str | None]) -> str | None:
    """The latest of some partial dates (by their first day); None if there are none."""
    present = [d for d in dates if d]
    return max(present, key=lambda d: (date_start(d), len(d))) if present else None


def oldest(dates: Iterable[str | None]) -> str | None:
    present = [d for d in dates if d]
    return min(present, key=lambda d: (date_start(d), len(d))) if present else None
