"""Dates as users read them: labelled formats and ages."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.search.dates import age_days, age_words, format_date, month_year, newest, oldest


@pytest.mark.parametrize(("value", "shown"), [
    ("2026-03-07", "7 Mar 2026"), ("2026-03", "Mar 2026"), ("2026", "2026"),
    ("2025-12-31", "31 Dec 2025"),
])
def test_partial_dates_read_as_people_write_them(value: str, shown: str) -> None:
    assert format_date(value) == shown


def test_coverage_is_stated_to_the_month() -> None:
    assert month_year("2026-04-28") == "Apr 2026"


@pytest.mark.parametrize(("days", "words"), [
    (0, "today"), (1, "yesterday"), (5, "5 days ago"), (20, "3 weeks ago"),
    (217, "7 months ago"), (365, "12 months ago"), (800, "2 years ago"),
])
def test_ages_read_in_the_unit_that_fits(days: int, words: str) -> None:
    assert age_words(days) == words


def test_a_partial_date_counts_from_its_first_day_and_never_from_the_future() -> None:
    assert age_days("2026-03", dt.date(2026, 3, 31)) == 30
    assert age_days("2026-04-28", dt.date(2026, 12, 1)) == 217
    assert age_days("2027", dt.date(2026, 12, 1)) == 0


def test_newest_and_oldest_compare_partial_dates_by_their_start() -> None:
    dates = ["2025-11", None, "2026-02-27", "2024", "2026-02"]
    assert newest(dates) == "2026-02-27"
    assert oldest(dates) == "2024"
    assert newest([None]) is None
