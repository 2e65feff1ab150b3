"""LABWIRE_WATCH=1: changed files are picked up without a command, by the /kb reload rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.fake_discord import FakeDiscord
from tests.moderation.discord_helpers import (  # noqa: F401 - the *_fixture names
    ZURICH_ARTICLE,
    ZURICH_ID,
    ZURICH_QUESTION,
    ZURICH_TITLE,
    ModBots,
    embed_text,
    mod_bot_fixture,
    mod_bots_fixture,
    run_command,
)


async def test_a_file_dropped_on_disk_is_answered_and_recorded(
    fake: FakeDiscord, mod_bots: ModBots, knowledge_dir: Path
) -> None:
    bot = await mod_bots.start(env={"LABWIRE_WATCH": "1", "LABWIRE_WATCH_POLL_SECONDS": "0.01"})
    cog: Any = bot.get_cog("KnowledgeAdmin")
    await fake.wait(cog.watch_ready.wait(), 10, "the watcher to start")

    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(ZURICH_ARTICLE)
    await fake.wait(cog.wait_for_watch_reloads(1), 10, "a reload after the file change")

    handle = await fake.invoke_slash("ask", {"question": ZURICH_QUESTION})
    assert (await handle.response()).embeds[0]["title"] == ZURICH_TITLE
    history = await run_command(fake, "kb history", {"entry": f"a:{ZURICH_ID}"})
    listed = embed_text(await history.response())
    assert "external" in listed and "on disk" in listed

    # A broken save is ignored until fixed: the bot keeps answering.
    path = knowledge_dir / "articles" / f"{ZURICH_ID}.yaml"
    path.write_text(ZURICH_ARTICLE.replace("url:", "link:"))
    await fake.wait(cog.wait_for_watch_reloads(2), 10, "a refused reload")
    assert ZURICH_ID in bot.service.kb.articles
    again = await fake.invoke_slash("ask", {"question": ZURICH_QUESTION}, user="bob",
                                    channel="random")
    assert (await again.response()).embeds[0]["title"] == ZURICH_TITLE


async def test_entry_autocomplete_lists_all_kinds(
    fake: FakeDiscord, mod_bots: ModBots
) -> None:
    await mod_bots.start()
    handle = await run_command(fake, "kb download", {"entry": "leike"}, interaction_type=4,
                               focused="entry")
    reply = await handle.response()
    assert reply.callback_type == 8
    names = [c["name"] for c in reply.data["choices"]]
    assert "Jan Leike (person)" in names
    assert any(n.startswith("Jan Leike Leaves OpenAI") and n.endswith("(article)")
               for n in names)
    assert all(len(n) <= 100 for n in names) and len(names) <= 25
