"""/help lists every registered command, from the command tree itself."""

from __future__ import annotations

from bot.discord.bot import LabwireBot
from tests.discord.helpers import embed_text
from tests.fake_discord import FakeDiscord
from tests.fake_discord.sample_kb import ARTICLES


async def test_help_explains_the_commands_privately(fake: FakeDiscord, bot: LabwireBot) -> None:
    reply = await (await fake.invoke_slash("help")).response()
    assert reply.ephemeral
    text = embed_text(reply)
    for command in ("/ask question", "/article title", "/person name", "/org name",
                    "/takeaways article", "/latest [count]", "/risk [show]", "/help",
                    "/privacy forget-me", "/privacy export-me"):
        assert command in text
    assert "/kb" in text and "/briefing" in text, "named once, for moderators"
    assert "/kb upload" not in text, "moderator subcommands are not listed to members"
    assert f"{len(ARTICLES)} stories" in text


async def test_help_says_what_span_of_news_the_notes_cover(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    reply = await (await fake.invoke_slash("help")).response()
    assert "My notes cover stories from May 2024 to Mar 2026." in embed_text(reply)
