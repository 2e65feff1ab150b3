"""The reply text: the same words in Discord, in ``ask --json`` and in the terminal."""

from __future__ import annotations

from bot.search.render import (
    MARKDOWN,
    PLAIN,
    answer_text,
    coverage_text,
    full_text,
    reply_text,
    visible_length,
)
from bot.search.types import (
    Answer,
    Dated,
    EntryRef,
    Freshness,
    Latest,
    LatestItem,
    Link,
    Result,
    Step,
)

SOURCES = tuple(Link(f"site{i}.example", f"https://site{i}.example/story") for i in range(5))
ANSWER = Answer(
    kind="person", id="ada-lovelace", title="Ada Lovelace", url=SOURCES[0].url,
    summary="Ada Lovelace wrote the first program. She worked with Charles Babbage.",
    lead="Ada Lovelace left the *engine* project over its direction.", focus="reason",
    dates=(Dated("Left Analytical Co", "1843-09-05"),),
    freshness=Freshness("1843-09", 30, caveat=True), role="Writer, Analytical Co · ended",
    roles=("Writer, Analytical Co · ended",), sources=SOURCES, quote="It was about the work",
    departure="Left Analytical Co 5 Sep 1843: she disagreed with the plan.",
)


def test_the_short_answer_is_lead_quote_role_dates_caveat_and_three_sources() -> None:
    text = answer_text(ANSWER)
    assert text.splitlines() == [
        "Ada Lovelace left the \\*engine\\* project over its direction.",
        "“It was about the work”",
        "**Role:** Writer, Analytical Co · ended",
        "Left Analytical Co 5 Sep 1843 · as of Sep 1843 (4 weeks ago)",
        "**Heads-up:** My newest fact here is from Sep 1843, 4 weeks ago; it may have changed "
        "since.",
        "**Sources:** [site0.example](https://site0.example/story) · "
        "[site1.example](https://site1.example/story) · [site2.example](https://site2.example/"
        "story) · 2 more under More",
    ]


def test_a_follow_up_says_what_it_was_read_against_first() -> None:
    text = answer_text(ANSWER, EntryRef("article", "x", "The engine story"))
    assert text.splitlines()[0] == "*about: The engine story*"


def test_visible_length_counts_what_a_reader_sees() -> None:
    assert visible_length("[site0.example](https://site0.example/a/very/long/path) \\*x\\*") == 17
    assert visible_length("**Role:** x") == 7


def test_plain_text_has_no_markdown_and_lists_addresses() -> None:
    text = answer_text(ANSWER, style=PLAIN)
    assert "*" not in text.replace("*engine*", "")
    assert "  https://site2.example/story" in text and "(2 more under More)" in text


def test_the_full_entry_has_everything_the_short_answer_leaves_out() -> None:
    text = full_text(ANSWER, MARKDOWN)
    assert ANSWER.summary in text
    assert "**Departure:** Left Analytical Co 5 Sep 1843" in text
    assert all(s.url in text for s in SOURCES)


def test_a_timeline_answer_shows_its_dated_steps_and_how_many_are_left() -> None:
    steps = (Step("2026-02-24", "It began."), Step("2026-03", "It went on."),
             Step("2026-04-08", "It stood."))
    timeline = Answer(kind="article", id="t", title="T", url=None, summary="S.",
                      focus="timeline", timeline=steps, timeline_shown=(steps[0], steps[2]))
    lines = answer_text(timeline).splitlines()
    assert lines == ["**24 Feb 2026** It began.", "**8 Apr 2026** It stood.",
                     "*1 more step under More*"]


def test_coverage_names_the_first_and_last_months() -> None:
    assert coverage_text("2025-01-28", "2026-04-08") == "stories from Jan 2025 to Apr 2026"
    assert coverage_text("2026-04-01", "2026-04-08") == "stories from Apr 2026"
    assert coverage_text(None, None) == "no dated stories yet"


def test_reply_text_covers_every_kind_of_reply() -> None:
    risk = Result("will ai replace my job", "no_answer", None, 0.0, route="risk")
    assert "/risk" in reply_text(risk)
    latest = Latest((LatestItem("A", "https://a.example/", "2026-04-08", "A news"),),
                    "2025-01-28", "2026-04-08")
    assert reply_text(Result("latest news", "answered", None, 1.0, route="latest",
                             latest=latest)).splitlines() == [
        "**Latest stories** (stories from Jan 2025 to Apr 2026)",
        "1. 8 Apr 2026 · [A](https://a.example/)"]
    unsure = Result("who is daniel", "not_sure", None, 0.3, suggestions=(
        EntryRef("person", "daniel-gross", "Daniel Gross"),
        EntryRef("person", "daniel-levy", "Daniel Levy")))
    assert reply_text(unsure).splitlines()[1:] == ["1. Daniel Gross (person)",
                                                   "2. Daniel Levy (person)"]
    nothing = Result("best pizza", "no_answer", None, 0.0)
    assert reply_text(nothing).startswith("I don't have an answer for that yet")
    answered = Result("why did ada leave", "answered", ANSWER, 0.9)
    assert reply_text(answered) == answer_text(ANSWER)
