"""/kb stats: questions asked and answered, feedback, the most answered entries."""

from __future__ import annotations

from bot.discord.bot import LabwireBot
from tests.discord.helpers import MISSED_QUESTION, ask_as, run_command
from tests.fake_discord import FakeDiscord


async def test_stats_count_questions_answers_and_votes(
    fake: FakeDiscord, bot: LabwireBot
) -> None:
    await ask_as(fake, "why did Kalinowski quit?", "alice")
    _, _, leike = await ask_as(fake, "why did Jan Leike leave OpenAI?", "bob")
    await ask_as(fake, MISSED_QUESTION, "carol")
    up = await fake.click(leike, "lw:up:a:2024-05-17-jan-leike-leaves-openai", user="dave")
    await up.response()

    handle = await run_command(fake, "kb stats", {"days": 7})
    reply = await handle.response()
    assert reply.ephemeral
    fields = {f["name"]: f["value"] for f in reply.embeds[0]["fields"]}

    assert fields["Knowledge"] == "3 articles, 3 people, 3 orgs"
    assert fields["Questions"] == "3 asked, 2 answered (67%)"
    assert fields["Feedback"] == "1 👍 / 0 👎 (100% positive)"
    assert "1× OpenAI's Robotics Lead Quits Over Pentagon Deal" in fields["Most answered"]
