"""/ask end to end: the real bot against the fake Discord."""

from __future__ import annotations

from bot.discord.client import LabwireBot
from bot.storage.question_log import SQLiteQuestionLog
from tests.fake_discord import FakeDiscord, components_of
from tests.fake_discord.sample_kb import ARTICLES, KALINOWSKI_ARTICLE

KALINOWSKI = next(a for a in ARTICLES if a["id"] == KALINOWSKI_ARTICLE)


async def test_ask_posts_a_public_answer_card_with_sources_and_buttons(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await fake.invoke_slash("ask", {"question": "why did Kalinowski quit?"})
    reply = await handle.response()

    assert reply.callback_type == 4
    assert not reply.ephemeral
    embed = reply.embeds[0]
    assert embed["title"] == KALINOWSKI["title"]
    assert embed["url"] == KALINOWSKI["url"]
    assert "Kalinowski" in embed["description"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Date"] == KALINOWSKI["published"]
    assert "Caitlin Kalinowski" in fields["People"]
    assert KALINOWSKI["sources"][0] in fields["Sources"]
    labels = [c.get("label") or c["emoji"]["name"] for c in components_of(reply.data)]
    assert labels == ["Key takeaways", "Related", "👍", "👎"]
    assert reply.data["allowed_mentions"] == {"parse": []}


async def test_ask_identifies_with_minimal_intents_and_syncs_commands(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    assert fake.identify is not None
    intents = fake.identify["intents"]
    guilds, guild_messages, message_content = 1 << 0, 1 << 9, 1 << 15
    assert intents == guilds | guild_messages
    assert not intents & message_content
    synced = {c["name"] for c in fake.commands[None]}
    assert {"ask", "article", "person", "org", "takeaways", "latest", "help"} <= synced


async def test_answered_question_is_logged_with_the_answer_message(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    handle = await fake.invoke_slash("ask", {"question": "why did Kalinowski quit?"})
    await handle.response()
    assert await fake.wait(bot.tracker.finished(int(handle.id)), 5, "the ask") == "answered"

    rows = await bot.db.fetchall("SELECT * FROM question_log")
    assert len(rows) == 1
    row = rows[0]
    assert row["question"] == "why did Kalinowski quit?"
    assert row["answered"] == 1 and row["status"] == "answered"
    assert row["entry_id"] == KALINOWSKI_ARTICLE
    assert str(row["message_id"]) == handle.original_message_id
    assert str(row["user_id"]) == fake.user("alice").id
    assert isinstance(bot.questions, SQLiteQuestionLog)
