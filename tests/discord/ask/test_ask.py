"""/ask end to end: the real bot against the fake Discord."""

from __future__ import annotations

import logging
import re

import pytest

from bot.discord.bot import LabwireBot
from bot.discord.limits import QUESTION_MAX
from bot.discord.text import strip_mentions
from bot.search.types import EntryRef, Result
from tests.discord.conftest import ErrorLog, ScriptedEngine, StartBot
from tests.discord.helpers import button_with, component, embed_text
from tests.fake_discord import FakeDiscord, InteractionHandle, components_of
from tests.fake_discord.sample_kb import (
    ARTICLES,
    KALINOWSKI_ARTICLE,
    LECUN_ARTICLE,
    LEIKE_ARTICLE,
)

KALINOWSKI = next(a for a in ARTICLES if a["id"] == KALINOWSKI_ARTICLE)
LEIKE = next(a for a in ARTICLES if a["id"] == LEIKE_ARTICLE)
LECUN = next(a for a in ARTICLES if a["id"] == LECUN_ARTICLE)
NO_PINGS = {"parse": []}


async def ask(fake: FakeDiscord, question: str, **kwargs: object) -> InteractionHandle:
    return await fake.invoke_slash("ask", {"question": question}, **kwargs)


async def finished(fake: FakeDiscord, bot: LabwireBot, handle: InteractionHandle) -> str:
    """The bot's outcome for this interaction, once it has completely finished."""
    outcome: str = await fake.wait(bot.tracker.finished(int(handle.id)), 10, "the interaction")
    return outcome


async def test_ask_posts_a_public_answer_card_with_sources_and_buttons(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply = await (await ask(fake, "why did Kalinowski quit?")).response()

    assert reply.callback_type == 4
    assert not reply.ephemeral
    embed = reply.embeds[0]
    assert embed["title"] == KALINOWSKI["title"]
    assert embed["url"] == KALINOWSKI["url"]
    assert "Kalinowski" in embed["description"]
    assert "A fourth sentence" not in embed["description"], "the answer, not the whole story"
    assert "Published 7 Mar 2026" in embed["description"], "dates are labelled"
    assert KALINOWSKI["sources"][0] in embed["description"]
    labels = [c.get("label") or c["emoji"]["name"] for c in components_of(reply.data)]
    assert labels == ["More", "Key takeaways", "Related", "👍", "👎"]
    assert reply.data["allowed_mentions"] == NO_PINGS


async def test_bot_identifies_with_minimal_intents_and_syncs_every_command(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    assert fake.identify is not None
    guilds, guild_messages, message_content = 1 << 0, 1 << 9, 1 << 15
    assert fake.identify["intents"] == guilds | guild_messages
    assert not fake.identify["intents"] & message_content
    synced = {c["name"]: c for c in fake.commands[None]}
    assert {"ask", "article", "person", "org", "takeaways", "latest", "risk", "help"} <= set(synced)
    autocompleted = {o["name"]: o.get("autocomplete") for o in synced["person"]["options"]}
    assert autocompleted == {"name": True}


async def test_dev_guilds_get_commands_synced_to_them_instantly(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    await start_bot(dev_guild_ids=frozenset({int(fake.guild.id)}))
    assert "ask" in {c["name"] for c in fake.commands[fake.guild.id]}
    assert None not in fake.commands, "no global sync while developing"


async def test_answered_question_is_logged_with_the_answer_message(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await ask(fake, "why did Kalinowski quit?")
    assert await finished(fake, bot, handle) == "answered"

    rows = await bot.services.db.fetchall("SELECT * FROM question_log")
    assert len(rows) == 1
    row = rows[0]
    assert row["question"] == "why did Kalinowski quit?"
    assert row["source"] == "slash" and row["status"] == "answered" and row["answered"] == 1
    assert row["entry_id"] == KALINOWSKI_ARTICLE
    assert str(row["message_id"]) == handle.original_message_id
    assert str(row["user_id"]) == fake.user("alice").id
    assert str(row["channel_id"]) == fake.channel("general")["id"]


async def test_a_typo_still_finds_the_story(fake: FakeDiscord, bot: LabwireBot) -> None:
    reply = await (await ask(fake, "why did Kalinowsky quitt?")).response()
    assert not reply.ephemeral
    assert reply.embeds[0]["title"] == KALINOWSKI["title"]


async def test_out_of_scope_question_gets_a_friendly_private_reply_and_is_queued(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await ask(fake, "what is the best pizza recipe?")
    reply = await handle.response()

    assert reply.ephemeral
    assert "don't have an answer" in embed_text(reply)
    assert "moderators" in embed_text(reply)
    assert reply.data["allowed_mentions"] == NO_PINGS
    assert await finished(fake, bot, handle) == "no_answer"
    row = await bot.services.db.fetchone("SELECT status, answered, message_id FROM question_log")
    assert row is not None and tuple(row) == ("no_answer", 0, None)


def not_sure(bot: LabwireBot, question: str) -> Result:
    """A low-confidence result: LeCun as the best guess, two other stories suggested."""
    engine = bot.services.knowledge.engine
    best = engine.answer_for("article", LECUN_ARTICLE)
    return Result(question, "not_sure", best, 0.4, (
        EntryRef("article", LEIKE_ARTICLE, LEIKE["title"], LEIKE["url"]),
        EntryRef("article", KALINOWSKI_ARTICLE, KALINOWSKI["title"], KALINOWSKI["url"]),
    ))


async def test_did_you_mean_offers_three_choices_and_answers_publicly_when_picked(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    question = "who is leaving?"
    engine.scripts[question] = not_sure(bot, question)
    handle = await ask(fake, question)
    offer = await handle.response()

    assert offer.ephemeral
    assert "Did you mean" in embed_text(offer)
    select = component(offer, "ask:pick")
    assert [o["label"] for o in select["options"]] == [LECUN["title"], LEIKE["title"],
                                                       KALINOWSKI["title"]]
    await finished(fake, bot, handle)

    leike_value = select["options"][1]["value"]
    pick = await fake.click(handle.original_message, "ask:pick", values=[leike_value])
    answer = await pick.response()
    assert answer.callback_type == 4 and not answer.ephemeral
    assert answer.embeds[0]["title"] == LEIKE["title"]
    assert question in answer.embeds[0]["footer"]["text"]

    edit = await handle.edit()  # the private offer is closed, pointing at the answer
    assert all(c.get("disabled") for c in components_of(edit.data))
    assert "Answered in the channel" in embed_text(edit)
    assert await finished(fake, bot, pick) == "answered"
    row = await bot.services.db.fetchone("SELECT answered, entry_id, message_id FROM question_log")
    assert row is not None
    assert (row["answered"], row["entry_id"]) == (1, LEIKE_ARTICLE)
    assert str(row["message_id"]) == pick.original_message_id


async def test_someone_else_cannot_pick_from_your_suggestions(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    question = "who is leaving?"
    engine.scripts[question] = not_sure(bot, question)
    handle = await ask(fake, question, user="alice")
    offer = await handle.response()
    value = component(offer, "ask:pick")["options"][0]["value"]

    intruder = await fake.click(handle.original_message, "ask:pick", values=[value], user="bob")
    refusal = await intruder.response()
    assert refusal.ephemeral
    assert "/ask" in embed_text(refusal)
    assert await finished(fake, bot, intruder) == "refused:not_owner"
    assert not any(not c.ephemeral for c in intruder.calls), "nothing was posted publicly"


async def test_unpicked_suggestions_expire_and_disable(
    fake: FakeDiscord, start_bot: StartBot, engine: ScriptedEngine
) -> None:
    bot = await start_bot(view_timeout=0.2)
    question = "who is leaving?"
    engine.scripts[question] = not_sure(bot, question)
    handle = await ask(fake, question)
    await handle.response()

    expired = await handle.edit()
    assert all(c.get("disabled") for c in components_of(expired.data))
    assert "expired" in expired.content


async def test_feedback_is_one_vote_per_user_and_can_be_changed(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await ask(fake, "why did Kalinowski quit?")
    answer = await handle.response()
    up, down = button_with(answer, "👍"), button_with(answer, "👎")
    message = handle.original_message

    replies = []
    for user, button in (("alice", up), ("alice", up), ("alice", down), ("bob", up)):
        click = await fake.click(message, button, user=user)
        replies.append(await click.response())
        await finished(fake, bot, click)

    assert all(r.ephemeral for r in replies)
    texts = [embed_text(r) for r in replies]
    assert "recorded" in texts[0] and "already" in texts[1] and "Changed" in texts[2]
    assert "recorded" in texts[3]
    votes = await bot.services.db.fetchall("SELECT user_id, vote FROM feedback ORDER BY user_id")
    assert {(str(r["user_id"]), r["vote"]) for r in votes} == {
        (fake.user("alice").id, -1), (fake.user("bob").id, 1)}


async def test_takeaways_and_related_buttons_answer_privately(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await ask(fake, "why did Kalinowski quit?")
    answer = await handle.response()

    takeaways_click = await fake.click(handle.original_message,
                                       button_with(answer, "Key takeaways"), user="bob")
    takeaways = await takeaways_click.response()
    assert takeaways.ephemeral
    for takeaway in KALINOWSKI["takeaways"]:
        assert takeaway["text"] in embed_text(takeaways)

    related = await (await fake.click(handle.original_message,
                                      button_with(answer, "Related"))).response()
    assert related.ephemeral
    assert LEIKE["title"] in embed_text(related)


async def test_cooldown_tells_the_user_privately(fake: FakeDiscord, bot: LabwireBot) -> None:
    channels = ["general", "questions", "random", "general"]
    replies = [await (await ask(fake, "why did Kalinowski quit?", channel=c)).response()
               for c in channels]
    assert [r.ephemeral for r in replies[:3]] == [False, False, False]
    assert replies[3].ephemeral
    assert "asking quickly" in embed_text(replies[3])
    other = await (await ask(fake, "why did Kalinowski quit?", user="bob",
                             channel="general")).response()
    assert "asking quickly" not in embed_text(other), "the cooldown is per user"


async def test_same_answer_is_not_posted_twice_in_a_channel_within_a_minute(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    first = await ask(fake, "why did Kalinowski quit?", user="alice")
    await first.response()
    second = await (await ask(fake, "why did Kalinowski quit?",
                              user="bob")).response()

    assert second.ephemeral
    assert first.original_message_id is not None
    assert re.search(rf"/channels/{fake.guild.id}/\d+/{first.original_message_id}",
                     embed_text(second))
    elsewhere = await (await ask(fake, "why did Kalinowski quit?", user="bob",
                                 channel="random")).response()
    assert not elsewhere.ephemeral, "another channel gets its own answer"


async def test_user_text_is_escaped_and_cut_to_fit(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine
) -> None:
    question = "**why** did Kalinowski quit? @everyone <@&123456789012345678> " + "x" * 280
    asked = strip_mentions(question)[:QUESTION_MAX]  # what the engine sees: no mentions, cut
    engine.scripts[asked] = Result(asked, "answered",
                                   engine.answer_for("article", KALINOWSKI_ARTICLE), 0.9)
    reply = await (await ask(fake, question)).response()

    footer = reply.embeds[0]["footer"]["text"]
    assert "\\*\\*why\\*\\*" in footer
    assert "@everyone" not in footer
    assert len(footer) < 300 and "…" in footer
    assert reply.data["allowed_mentions"] == NO_PINGS


async def test_a_failing_command_gives_an_error_id_and_the_bot_keeps_working(
    fake: FakeDiscord, bot: LabwireBot, engine: ScriptedEngine, error_log: ErrorLog
) -> None:
    engine.scripts["explode"] = RuntimeError("engine exploded")
    with error_log.expect("interaction failed"):
        handle = await ask(fake, "explode")
        reply = await handle.response()
        assert await finished(fake, bot, handle) == "error"

    assert reply.ephemeral
    shown = re.search(r"error id `([0-9a-f]{8})`", embed_text(reply))
    assert shown, embed_text(reply)
    logged = [r for r in error_log.records if getattr(r, "error_id", None) == shown.group(1)]
    assert len(logged) == 1 and logged[0].exc_info is not None
    assert "engine exploded" in str(logged[0].exc_info[1])

    after = await (await ask(fake, "why did Kalinowski quit?")).response()
    assert not after.ephemeral


async def test_each_interaction_logs_one_line_without_the_question(
    fake: FakeDiscord, bot: LabwireBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.discord.tracking")
    handle = await ask(fake, "why did Kalinowski quit?")
    await finished(fake, bot, handle)

    lines = [r for r in caplog.records if r.name == "bot.discord.tracking"]
    assert len(lines) == 1
    line = lines[0]
    assert (getattr(line, "command", None), getattr(line, "outcome", None)) == ("ask", "answered")
    assert isinstance(getattr(line, "latency_ms", None), float)
    assert "Kalinowski" not in line.getMessage()
