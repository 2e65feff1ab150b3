"""LABWIRE_WATCH=1: changed files are picked up without a command, by the /kb reload rule."""

from __future__ import annotations

from pathlib import Path

from bot.discord.kb.reload import RELOADED_EVENT
from bot.moderation.editor import ReloadReport
from tests.discord.conftest import Bots
from tests.discord.helpers import (
    ZURICH_ARTICLE,
    ZURICH_ID,
    ZURICH_QUESTION,
    ZURICH_TITLE,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord


async def test_a_file_dropped_on_disk_is_answered_and_recorded(
    fake: FakeDiscord, bots: Bots, knowledge_dir: Path
) -> None:
    bot = await bots.start(watch=True, watch_poll_seconds=0.01)  # it watches from the start

    reloaded = bot.wait_for(RELOADED_EVENT)  # listening from here on
    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(ZURICH_ARTICLE)
    report: ReloadReport = await fake.wait(reloaded, 10, "a reload after the file change")
    assert report.ok and [r.file for r in report.external] == [f"articles/{ZURICH_ID}.yaml"]

    handle = await fake.invoke_slash("ask", {"question": ZURICH_QUESTION})
    assert (await handle.response()).embeds[0]["title"] == ZURICH_TITLE
    history = await run_command(fake, "kb history", {"entry": f"a:{ZURICH_ID}"})
    listed = embed_text(await history.response())
    assert "external" in listed and "on disk" in listed

    # A broken save is ignored until fixed: the bot keeps answering.
    path = knowledge_dir / "articles" / f"{ZURICH_ID}.yaml"
    refused = bot.wait_for(RELOADED_EVENT)
    path.write_text(ZURICH_ARTICLE.replace("url:", "link:"))
    assert not (await fake.wait(refused, 10, "a refused reload")).ok
    assert ZURICH_ID in bot.services.knowledge.kb.articles
    again = await fake.invoke_slash("ask", {"question": ZURICH_QUESTION}, user="bob",
                                    channel="random")
    assert (await again.response()).embeds[0]["title"] == ZURICH_TITLE


async def test_entry_autocomplete_lists_all_kinds(
    fake: FakeDiscord, bots: Bots
) -> None:
    await bots.start()
    handle = await run_command(fake, "kb download", {"entry": "leike"}, interaction_type=4,
                               focused="entry")
    reply = await handle.response()
    assert reply.callback_type == 8
    names = [c["name"] for c in reply.data["choices"]]
    assert "Jan Leike (person)" in names
    assert any(n.startswith("Jan Leike Leaves OpenAI") and n.endswith("(article)")
               for n in names)
    assert all(len(n) <= 100 for n in names) and len(names) <= 25
