"""/briefing: subscribe, preview, the weekly post, no double post across a restart, off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import discord

from bot.discord.bot import LabwireBot
from bot.discord.briefing.poster import CHECKED_EVENT, BriefingPoster
from tests.clock import SettableClock
from tests.discord.conftest import Bots
from tests.discord.helpers import (
    ZURICH_ARTICLE,
    ZURICH_ID,
    ZURICH_TITLE,
    embed_text,
    run_command,
)
from tests.fake_discord import FakeDiscord

FRIDAY = dt.datetime(2026, 4, 3, 12, 0, tzinfo=dt.UTC)
MONDAY_9 = dt.datetime(2026, 4, 6, 9, 0, tzinfo=dt.UTC)


def _channel(fake: FakeDiscord, name: str) -> tuple[tuple[str, str], dict[str, Any]]:
    channel = fake.channel(name)
    resolved = {**channel, "permissions": str(discord.Permissions.all().value)}
    return ("channel", channel["id"]), {"channels": {channel["id"]: resolved}}


def _posts(fake: FakeDiscord, channel_id: str, after: int = 0) -> list[Any]:
    return [c for c in fake.calls[after:]
            if c.method == "POST" and c.path == f"/channels/{channel_id}/messages"]


async def _subscribe(fake: FakeDiscord, channel: str = "random") -> str:
    value, resolved = _channel(fake, channel)
    handle = await run_command(fake, "briefing channel", {"channel": value}, resolved=resolved)
    return embed_text(await handle.response())


def _poster(bot: LabwireBot) -> BriefingPoster:
    poster = getattr(bot.get_cog("Briefing"), "poster", None)
    assert isinstance(poster, BriefingPoster)
    return poster


async def test_weekly_briefing_posts_once_across_a_restart(
    fake: FakeDiscord, bots: Bots, knowledge_dir: Path
) -> None:
    clock = SettableClock(FRIDAY)
    first = await bots.start(clock=clock, restartable=True)
    reply = await _subscribe(fake)
    channel_id = fake.channel("random")["id"]
    assert (f"Every Monday at 09:00 UTC in <#{channel_id}>; next check 2026-04-06 09:00 UTC"
            in reply)

    clock.advance(hours=1)  # a curator adds a story on disk; /kb reload picks it up
    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(ZURICH_ARTICLE)
    reload = await run_command(fake, "kb reload")
    await reload.response()
    await reload.followup()
    assert await _poster(first).run_due(MONDAY_9 - dt.timedelta(minutes=1)) == 0  # not yet

    clock.now = MONDAY_9 + dt.timedelta(minutes=1)
    assert await _poster(first).run_due(clock.now) == 1
    posted = await fake.wait_for_channel_message(channel_id)
    text = embed_text(posted)
    assert f"[{ZURICH_TITLE}](https://example-news.com/blog/{ZURICH_ID})** (added)" in text
    assert "1 new, 0 updated since" in text
    assert posted.data["allowed_mentions"] == {"parse": []}

    await bots.stop(first)  # the restart
    second = await bots.start(clock=clock)
    mark = fake.mark()
    clock.advance(minutes=1)
    assert await _poster(second).run_due(clock.now) == 0
    assert _posts(fake, channel_id, mark) == []

    # A quiet week posts nothing, and the week after catches up after downtime.
    assert await _poster(second).run_due(MONDAY_9 + dt.timedelta(days=7, minutes=1)) == 0
    clock.now = MONDAY_9 + dt.timedelta(days=8)
    teach = await run_command(fake, "kb teach", {"entry": f"a:{ZURICH_ID}",
                                                 "question": "zurich lab"})
    await teach.response()
    await teach.followup()
    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(
        (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").read_text()
        .replace("Example News", "Example Weekly"))
    reload = await run_command(fake, "kb reload")
    await reload.response()
    await reload.followup()
    assert await _poster(second).run_due(MONDAY_9 + dt.timedelta(days=15, hours=30)) == 1
    update = embed_text(await fake.wait_for_channel_message(channel_id, after=mark))
    assert "(updated)" in update and "0 new, 1 updated" in update
    assert len(_posts(fake, channel_id, mark)) == 1


async def test_preview_and_off(fake: FakeDiscord, bots: Bots, knowledge_dir: Path) -> None:
    bot = await bots.start(clock=SettableClock(FRIDAY))
    preview = await run_command(fake, "briefing preview")
    assert "Not subscribed yet" in embed_text(await preview.response())
    assert "Nothing new or updated since" in embed_text(preview.calls[-1])

    await _subscribe(fake, "general")
    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(ZURICH_ARTICLE)
    reload = await run_command(fake, "kb reload")
    await reload.response()
    await reload.followup()
    preview = await run_command(fake, "briefing preview")
    shown = embed_text(await preview.response())
    assert "Preview: This week on Labwire" in shown and ZURICH_TITLE in shown
    assert "Every Monday at 09:00 UTC" in shown

    off = await run_command(fake, "briefing off")
    assert "Weekly briefing off." in embed_text(await off.response())
    mark = fake.mark()
    assert await _poster(bot).run_due(MONDAY_9 + dt.timedelta(minutes=1)) == 0
    assert _posts(fake, fake.channel("general")["id"], mark) == []


async def test_the_background_loop_posts_a_due_briefing_once(
    fake: FakeDiscord, bots: Bots, knowledge_dir: Path
) -> None:
    bot = await bots.start(briefing_poll_seconds=0.01)
    moderation = bot.services.moderation
    now = moderation.clock()
    channel_id = int(fake.channel("random")["id"])
    (knowledge_dir / "articles" / f"{ZURICH_ID}.yaml").write_text(ZURICH_ARTICLE)
    assert (await moderation.editor.reload()).ok
    posted = bot.wait_for(CHECKED_EVENT, check=lambda count: count > 0)
    await moderation.briefings.subscribe(int(fake.guild.id), channel_id, now.weekday(),
                                         now.hour, None, now - dt.timedelta(days=8))
    assert await fake.wait(posted, 10, "the briefing to be posted") == 1
    for _ in range(5):  # later checks find it handled
        assert await fake.wait(bot.wait_for(CHECKED_EVENT), 10, "another briefing check") == 0
    assert len(_posts(fake, str(channel_id))) == 1
