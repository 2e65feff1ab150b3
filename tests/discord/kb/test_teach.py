"""/kb unanswered with its Teach flow, and /kb teach: the bot learns from what it missed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.discord.bot import LabwireBot
from tests.discord.helpers import (
    MISSED_QUESTION,
    ask_as,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord, find_component
from tests.fake_discord.sample_kb import KALINOWSKI_ARTICLE

KALINOWSKI_TITLE = "OpenAI's Robotics Lead Quits Over Pentagon Deal"


async def test_teach_from_the_queue_and_the_next_asker_gets_the_answer(
    fake: FakeDiscord, bot: LabwireBot, knowledge_dir: Path
) -> None:
    first = await ask_as(fake, MISSED_QUESTION, "alice")
    assert first[0] != KALINOWSKI_TITLE and first[1]  # not answered: an ephemeral reply
    await ask_as(fake, "Who walked away from OpenAI in protest?", "bob")
    _, _, leike = await ask_as(fake, "why did Jan Leike leave OpenAI?", "carol")
    vote = await fake.click(leike, "lw:down:a:2024-05-17-jan-leike-leaves-openai",
                            user="carol")
    await vote.response()

    queue = await run_command(fake, "kb unanswered")
    listing = await queue.response()
    text = embed_text(listing)
    assert listing.ephemeral
    assert "“Who walked away from OpenAI in protest?” — 2×" in text
    assert "“why did Jan Leike leave OpenAI?” — 1×" in text and "1 👎" in text

    stranger = await fake.click(queue.original_message, "kb:teach:group", values=["0"],
                                user="bob")
    refusal = await stranger.response()
    assert refusal.ephemeral and "belongs to the moderator who opened it" in embed_text(refusal)

    picked = await fake.click(queue.original_message, "kb:teach:group", values=["0"])
    step = await picked.response()
    assert step.callback_type == 7
    entry_select = find_component(queue.original_message, "kb:teach:entry")
    assert entry_select is not None
    values = [o["value"] for o in entry_select["options"]]
    assert f"a:{KALINOWSKI_ARTICLE}" in values

    chosen = await fake.click(queue.original_message, "kb:teach:entry",
                              values=[f"a:{KALINOWSKI_ARTICLE}"])
    assert (await chosen.response()).callback_type == 6
    result = embed_text(await chosen.edit())
    assert f"Taught: {KALINOWSKI_TITLE}" in result
    assert re.search(r'^\+\s*- "Who walked away from OpenAI in protest\?"$', result, re.M)

    data = yaml.safe_load((knowledge_dir / "articles" / f"{KALINOWSKI_ARTICLE}.yaml").read_text())
    assert data["questions"][-1] == "Who walked away from OpenAI in protest?"
    title, ephemeral, _ = await ask_as(fake, MISSED_QUESTION, "dave")
    assert (title, ephemeral) == (KALINOWSKI_TITLE, False)  # answered publicly now


async def test_teach_command_and_duplicate(fake: FakeDiscord, bot: LabwireBot) -> None:
    handle = await run_command(fake, "kb teach", {"entry": "p:jan-leike",
                                                  "question": "who ran superalignment"})
    await handle.response()
    assert "Updated: Jan Leike" in embed_text(await handle.followup())
    assert bot.services.knowledge.kb.people["jan-leike"].questions == ("who ran superalignment",)
    again = await run_command(fake, "kb teach", {"entry": "p:jan-leike",
                                                 "question": "Who ran superalignment"})
    await again.response()
    assert "already listed" in embed_text(await again.followup())


async def test_empty_queue_says_so(fake: FakeDiscord, bot: LabwireBot) -> None:
    handle = await run_command(fake, "kb unanswered", {"days": 3})
    assert "No unanswered questions in the last 3 days." in embed_text(await handle.response())
