"""What a member reads in an answer card (issue 13), asked through the fake Discord.

The knowledge base is ``tests/fake_discord/answers_kb.py`` and the engine's clock
says 1 Dec 2026, so "9 months ago" reads the same on every run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.clock import Clock
from bot.discord.bot import LabwireBot
from bot.search.render import reply_text, visible_length
from bot.search.sentences import split_sentences
from tests.discord.conftest import ScriptedEngine
from tests.discord.helpers import button_with, embed_text
from tests.fake_discord import FakeDiscord, RecordedCall
from tests.fake_discord.answers_kb import (
    ARTICLES,
    COURT,
    DESIGNATION,
    KALINOWSKI_REASON,
    KALINOWSKI_STORY,
    KALINOWSKI_URL,
    OPENAI_URL,
    PEOPLE,
    TIMELINE,
    TODAY,
    UNDATED,
    write_answers_knowledge,
)

SHORT_MAX = 600  # characters a member reads before tapping "More"
_LINK = re.compile(r"\]\((https://[^)]+)\)")
STEP = re.compile(r"\*\*\d+ \w{3} \d{4}\*\*", re.MULTILINE)


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    return write_answers_knowledge(tmp_path / "knowledge")


@pytest.fixture
def engine_clock() -> Clock:
    return lambda: TODAY


async def asked(fake: FakeDiscord, question: str,
                user: str = "alice") -> tuple[RecordedCall, dict[str, object]]:
    """The public answer to ``/ask question``, and the message it is on."""
    handle = await fake.invoke_slash("ask", {"question": question}, user=user)
    reply = await handle.response()
    assert not reply.ephemeral, embed_text(reply)
    return reply, handle.original_message


def body(reply: RecordedCall) -> str:
    description: str = reply.embeds[0]["description"]
    return description


async def test_why_did_she_quit_leads_with_the_reason_not_her_biography(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, _ = await asked(fake, "why did kalinowski quit")
    text = body(reply)
    first_sentence = split_sentences(text)[0]
    assert first_sentence == KALINOWSKI_REASON.replace("She", "Caitlin Kalinowski", 1)
    assert "“This was about principle, not people”" in text
    assert visible_length(text) <= SHORT_MAX


async def test_who_runs_ssi_answers_with_the_role_and_its_date(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, _ = await asked(fake, "who runs ssi")
    assert reply.embeds[0]["title"] == "Ilya Sutskever"
    assert body(reply).startswith("Ilya Sutskever: CEO at Safe Superintelligence Inc., "
                                  "since 3 Jul 2025.")


async def test_when_did_he_leave_answers_with_the_event_and_its_date(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, _ = await asked(fake, "when did sutskever leave openai")
    assert body(reply).startswith("Ilya Sutskever left OpenAI on 14 May 2024.")


async def test_who_has_left_over_safety_gets_the_sentence_that_answers_it(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, _ = await asked(fake, "who has left openai over safety")
    assert body(reply).startswith("Safety-related exits include Ilya Sutskever (May 2024) and "
                                  "Caitlin Kalinowski (March 2026).")


async def test_a_timeline_answer_is_a_dated_list_starting_and_ending_where_the_story_does(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, message = await asked(fake, "timeline of the anthropic pentagon dispute")
    assert reply.embeds[0]["title"] == next(a["title"] for a in ARTICLES if a["id"] == TIMELINE)
    steps = [line for line in body(reply).splitlines() if STEP.match(line)]
    assert steps[0].startswith("**24 Feb 2026** Pete Hegseth gave Anthropic an ultimatum")
    assert steps[-1].startswith("**8 Apr 2026** An appeals court")
    assert "1 more step under More" in body(reply)
    assert visible_length(body(reply)) <= SHORT_MAX

    more = await (await fake.click(message, button_with(reply, "More"))).response()
    assert more.ephemeral
    assert "**9 Mar 2026** Anthropic sued in federal court." in more.embeds[0]["description"]
    assert len(STEP.findall(more.embeds[0]["description"])) == 5


async def test_more_shows_the_whole_entry_and_every_source(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply, message = await asked(fake, "why did kalinowski quit")
    person = next(p for p in PEOPLE if p["id"] == "caitlin-kalinowski")
    shown = _LINK.findall(body(reply))
    assert shown == [KALINOWSKI_URL, *person["links"][:2]], "three links, the best first"
    assert "2 more under More" in body(reply)

    more = await (await fake.click(message, button_with(reply, "More"))).response()
    full = more.embeds[0]["description"]
    assert more.ephemeral
    assert person["summary"] in full
    assert _LINK.findall(full)[-5:] == [KALINOWSKI_URL, *person["links"]]
    assert "Head of AR-glasses hardware, Meta · Mar 2022 to 2024, ended" in full


async def test_dates_are_labelled_and_every_answer_says_how_old_it_is(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    person, _ = await asked(fake, "who is caitlin kalinowski")
    assert "Resigned from OpenAI 7 Mar 2026 · as of 9 Mar 2026 (9 months ago)" in body(person)
    assert "**Role:** Head of robotics, OpenAI · Nov 2024 to Mar 2026, ended" in body(person)
    court, _ = await asked(fake, "did anthropic win in court")
    assert "Published 26 Mar 2026 · as of 8 Apr 2026 (8 months ago)" in body(court)
    story = await (await fake.invoke_slash("article", {"title": KALINOWSKI_STORY})).response()
    assert "Event 7 Mar 2026 · as of 7 Mar 2026 (9 months ago)" in body(story)
    undated = await (await fake.invoke_slash("article", {"title": UNDATED})).response()
    assert "Undated · as of 31 Mar 2026 (8 months ago)" in body(undated)
    org = await (await fake.invoke_slash("org", {"name": "openai"})).response()
    assert "Latest story 31 Mar 2026 · as of 31 Mar 2026 (8 months ago)" in body(org)


async def test_asking_if_something_still_holds_warns_when_the_facts_are_old(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    still, _ = await asked(fake, "is hegseth still secretary")
    assert "Secretary of Defense" in body(still)
    assert ("**Heads-up:** My newest fact here is from 27 Feb 2026, 9 months ago; it may have "
            "changed since.") in body(still)
    plain = await (await fake.invoke_slash("person", {"name": "pete-hegseth"})).response()
    assert "Heads-up" not in body(plain), "only a question about now gets the warning"


async def test_cards_link_to_the_curated_page_first(fake: FakeDiscord, bot: LabwireBot) -> None:
    org = await (await fake.invoke_slash("org", {"name": "openai"})).response()
    assert org.embeds[0]["url"] == OPENAI_URL, "not the first mirror among the links"
    assert _LINK.findall(body(org))[0] == OPENAI_URL
    person = await (await fake.invoke_slash("person", {"name": "caitlin-kalinowski"})).response()
    assert person.embeds[0]["url"] == KALINOWSKI_URL
    story = await (await fake.invoke_slash("article", {"title": COURT})).response()
    assert story.embeds[0]["url"] == next(a["url"] for a in ARTICLES if a["id"] == COURT)


async def test_related_ranks_stories_by_what_they_share(fake: FakeDiscord, bot: LabwireBot) -> None:
    reply, message = await asked(fake, "anthropic supply chain risk designation")
    assert reply.embeds[0]["title"] == next(a["title"] for a in ARTICLES if a["id"] == DESIGNATION)
    related = await (await fake.click(message, button_with(reply, "Related"))).response()
    titles = [line for line in related.embeds[0]["description"].splitlines()
              if line.startswith("• ")]
    by_id = {a["id"]: a["title"] for a in ARTICLES}
    # The timeline shares the person, both orgs and a tag; the ruling both orgs, two tags
    # and the moderators' own link; the funding story shares nothing and is not listed.
    assert by_id[TIMELINE] in titles[0] and by_id[COURT] in titles[1]
    assert not any("funding round" in t for t in titles)


async def test_latest_is_numbered_dated_and_states_what_the_notes_cover(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    slash = await (await fake.invoke_slash("latest", {"count": 7})).response()
    asked_latest, _ = await asked(fake, "latest news")
    for reply in (slash, asked_latest):
        heading, *items = body(reply).splitlines()
        assert heading == "**Latest stories** (stories from May 2024 to Apr 2026)"
        assert items[0].startswith("1. 8 Apr 2026 · ")
        assert all(item.startswith(f"{n}. ") for n, item in enumerate(items, 1))
        assert not any("Three labs" in item for item in items), "undated stories are left out"
    assert len(body(slash).splitlines()) == 1 + 6, "seven asked for, six are dated"


async def test_ask_json_text_is_exactly_what_the_card_shows(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    for user, question in (("alice", "why did kalinowski quit"),
                           ("bob", "timeline of the anthropic pentagon dispute"),
                           ("carol", "is hegseth still secretary"), ("alice", "latest news")):
        reply, _ = await asked(fake, question, user)
        assert body(reply) == engine.ask(question).to_json()["text"] == reply_text(
            engine.ask(question))
