"""/article, /person, /org with autocomplete; /takeaways, /latest."""

from __future__ import annotations

from bot.discord.bot import LabwireBot
from tests.discord.helpers import embed_text
from tests.fake_discord import FakeDiscord
from tests.fake_discord.sample_kb import (
    ARTICLES,
    KALINOWSKI_ARTICLE,
    LECUN_ARTICLE,
    ORGS,
    PEOPLE,
)

KALINOWSKI = next(a for a in ARTICLES if a["id"] == KALINOWSKI_ARTICLE)
CAITLIN = next(p for p in PEOPLE if p["id"] == "caitlin-kalinowski")


async def choices(fake: FakeDiscord, command: str, option: str, typed: str) -> list[dict[str, str]]:
    handle = await fake.autocomplete(command, {option: typed}, focused=option)
    reply = await handle.response()
    assert reply.callback_type == 8
    result: list[dict[str, str]] = reply.json["data"]["choices"]
    return result


async def test_person_autocomplete_finds_by_partial_name(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    found = await choices(fake, "person", "name", "kalin")
    assert [c["name"] for c in found] == [CAITLIN["name"]]


async def test_autocomplete_folds_aliases_into_one_choice(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    found = await choices(fake, "org", "name", "Facebook")
    assert [c["name"] for c in found] == ["Meta"]


async def test_empty_autocomplete_lists_entries_within_discord_limits(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    found = await choices(fake, "org", "name", "")
    assert sorted(c["name"] for c in found) == sorted(o["name"] for o in ORGS)
    assert len(found) <= 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in found)


async def test_picking_a_choice_shows_the_public_card(fake: FakeDiscord, bot: LabwireBot) -> None:
    [choice] = await choices(fake, "person", "name", "Caitlin")
    reply = await (await fake.invoke_slash("person", {"name": choice["value"]})).response()

    assert not reply.ephemeral
    card = reply.embeds[0]
    assert card["title"] == CAITLIN["name"]
    assert CAITLIN["summary"] in card["description"]
    assert "Resigned over OpenAI's Pentagon agreement" not in card["description"]
    assert reply.data["allowed_mentions"] == {"parse": []}
    assert reply.components, "cards carry the answer buttons"


async def test_typed_name_without_picking_still_finds_the_entry(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply = await (await fake.invoke_slash("article", {"title": "robotics lead quits"})).response()
    assert reply.embeds[0]["title"] == KALINOWSKI["title"]


async def test_unknown_entry_is_a_private_not_found(fake: FakeDiscord, bot: LabwireBot) -> None:
    reply = await (await fake.invoke_slash("org", {"name": "qqqqzzzz **bold**"})).response()
    assert reply.ephemeral
    assert "no org matching" in embed_text(reply)
    assert "\\*\\*bold\\*\\*" in embed_text(reply)


async def test_takeaways_lists_every_takeaway(fake: FakeDiscord, bot: LabwireBot) -> None:
    [choice] = [c for c in await choices(fake, "takeaways", "article", "Pentagon")
                if c["name"] == KALINOWSKI["title"]]
    reply = await (await fake.invoke_slash("takeaways", {"article": choice["value"]})).response()
    text = embed_text(reply)
    for takeaway in KALINOWSKI["takeaways"]:
        assert takeaway["text"] in text


async def test_latest_lists_the_newest_stories_first(fake: FakeDiscord, bot: LabwireBot) -> None:
    newest = sorted(ARTICLES, key=lambda a: a["published"], reverse=True)
    reply = await (await fake.invoke_slash("latest", {"count": 2})).response()
    heading, *lines = reply.embeds[0]["description"].splitlines()
    assert "stories from May 2024 to Mar 2026" in heading, "it says what the notes cover"
    assert len(lines) == 2
    assert lines[0].startswith("1. 7 Mar 2026") and newest[0]["title"] in lines[0]
    assert lines[1].startswith("2. 11 Nov 2025") and newest[1]["title"] in lines[1]
    assert newest[1]["id"] == LECUN_ARTICLE
