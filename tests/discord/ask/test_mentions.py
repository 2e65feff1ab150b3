"""@mentions and plain questions in ask channels: replies to the asker's message."""

from __future__ import annotations

from bot.discord.bot import LabwireBot
from tests.discord.conftest import StartBot
from tests.discord.helpers import embed_text, is_reply, reply_to
from tests.fake_discord import FakeDiscord, RecordedCall
from tests.fake_discord.sample_kb import ARTICLES, KALINOWSKI_ARTICLE

KALINOWSKI = next(a for a in ARTICLES if a["id"] == KALINOWSKI_ARTICLE)


def replies_to(fake: FakeDiscord, message: dict[str, object]) -> list[RecordedCall]:
    return [c for c in fake.calls if is_reply(c, message)]


async def test_mention_gets_the_same_answer_as_a_reply(fake: FakeDiscord, bot: LabwireBot) -> None:
    message = await fake.post_user_message("why did Kalinowski quit?", mention_bot=True)
    reply = await reply_to(fake, message)

    assert reply.path == f"/channels/{fake.channel('general')['id']}/messages"
    assert reply.embeds[0]["title"] == KALINOWSKI["title"]
    assert reply.data["allowed_mentions"]["parse"] == []
    assert reply.data["allowed_mentions"].get("replied_user") is False
    assert len(reply.components) == 1, "the answer buttons come with it"
    assert await fake.wait(bot.tracker.finished(int(message["id"])), 5, "mention") == "answered"
    row = await bot.services.db.fetchone("SELECT source, answered, message_id FROM question_log")
    assert row is not None
    assert (row["source"], row["answered"]) == ("mention", 1)
    assert str(row["message_id"]) == reply.response["id"]


async def test_mention_with_everyone_is_answered_without_pinging_anyone(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    message = await fake.post_user_message("@everyone why did Kalinowski quit?",
                                           mention_bot=True, mention_everyone=True)
    reply = await reply_to(fake, message)

    assert reply.embeds[0]["title"] == KALINOWSKI["title"]
    assert "@everyone" not in embed_text(reply)
    assert reply.data["allowed_mentions"]["parse"] == []


async def test_bots_everyone_pings_and_plain_chatter_are_ignored(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    robot = fake.add_user("otherbot", bot=True)
    ignored = [
        await fake.post_user_message("why did Kalinowski quit?", user=robot, mention_bot=True),
        await fake.post_user_message("@everyone why did Kalinowski quit?", mention_everyone=True),
        await fake.post_user_message("why did Kalinowski quit?"),  # not an ask channel
    ]
    # Messages are handled in order, so once this one is answered the others were seen.
    barrier = await fake.post_user_message("is Yann LeCun leaving Meta?", mention_bot=True)
    await reply_to(fake, barrier)

    for message in ignored:
        assert not replies_to(fake, message)


async def test_plain_questions_in_ask_channels_need_and_request_message_content(
    fake: FakeDiscord, start_bot: StartBot
) -> None:
    questions = int(fake.channel("questions")["id"])
    bot = await start_bot(ask_channel_ids=frozenset({questions}))
    assert fake.identify is not None and fake.identify["intents"] & (1 << 15)

    chatter = await fake.post_user_message("lol nice weather today", channel="questions")
    asked = await fake.post_user_message("why did Kalinowski quit?", channel="questions")
    reply = await reply_to(fake, asked)

    assert reply.embeds[0]["title"] == KALINOWSKI["title"]
    assert not replies_to(fake, chatter), "chatter without an answer gets no reply"
    assert await fake.wait(bot.tracker.finished(int(chatter["id"])), 5, "chatter") == "ignored"
    rows = await bot.services.db.fetchall("SELECT source FROM question_log")
    sources = {r["source"] for r in rows}
    assert sources == {"channel"}


async def test_mention_cooldown_is_said_once_then_quiet(fake: FakeDiscord, bot: LabwireBot) -> None:
    channels = ["general", "questions", "random"]
    for channel in channels:
        message = await fake.post_user_message("why did Kalinowski quit?", channel=channel,
                                               mention_bot=True)
        await reply_to(fake, message)
    too_fast = await fake.post_user_message("is Yann LeCun leaving Meta?", mention_bot=True)
    notice = await reply_to(fake, too_fast)
    assert "asking quickly" in embed_text(notice)

    again = await fake.post_user_message("is Yann LeCun leaving Meta?", mention_bot=True)
    assert await fake.wait(bot.tracker.finished(int(again["id"])), 5, "again") == "cooldown"
    assert not replies_to(fake, again)


async def test_second_mention_of_the_same_answer_links_to_the_first(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    first = await fake.post_user_message("why did Kalinowski quit?", mention_bot=True)
    answer = await reply_to(fake, first)
    second = await fake.post_user_message("why did Kalinowski quit?", user="bob",
                                          mention_bot=True)
    link = await reply_to(fake, second)

    assert not link.embeds[0].get("title")
    assert answer.response["id"] in embed_text(link)


async def test_mention_without_an_answer_replies_kindly(fake: FakeDiscord, bot: LabwireBot) -> None:
    message = await fake.post_user_message("what is the best pizza recipe?", mention_bot=True)
    reply = await reply_to(fake, message)
    assert "don't have an answer" in embed_text(reply)

    bare = await fake.post_user_message("", mention_bot=True)
    hint = await reply_to(fake, bare)
    assert "/help" in embed_text(hint)
