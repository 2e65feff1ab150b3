"""Issue 14 through the fake Discord: a link becomes a reviewed, published answer; feeds.

- a moderator drafts from a link, fills the review modal and publishes; another
  user's /ask is answered from the new entry;
- a non-moderator is refused at each step;
- a feed item is posted once, drafted, and not posted again after a restart;
- a link to 127.0.0.1 is refused while LABWIRE_FETCH_ALLOW_PRIVATE is off;
- /kb stats shows how current the knowledge is, with the chart; the briefing
  preview says when nothing was added for over 30 days.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.clock import utc_now
from bot.discord.bot import LabwireBot
from tests.discord.conftest import Bots, StartBot
from tests.discord.helpers import embed_text, run_command
from tests.drafts.site import (
    TECHPORTAL,
    THENEWS,
    Item,
    ServedFeed,
    Site,
    rss,
    running_site,
)
from tests.fake_discord import FakeDiscord, InteractionHandle
from tests.fake_discord import payloads as p
from tests.fake_discord.sample_kb import KALINOWSKI_ARTICLE

log = logging.getLogger(__name__)

NOT_A_MODERATOR = 0  # no permissions: not Manage Server, no moderator role
QUESTION = "which anthropic safety researcher quit to study poetry"
REVIEW = {
    "summary": "Mrinank Sharma, who led Anthropic's safeguards research team, resigned in "
               "February 2026, saying the company is under pressure to set aside what "
               "matters most. He plans to study poetry.",
    "takeaways": "Sharma led safeguards research at Anthropic and resigned in February 2026.\n"
                 "He said even Anthropic is pressed to drop what matters most.",
    "questions": f"why did mrinank sharma leave anthropic\n{QUESTION}",
}


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    async with running_site() as served:
        yield served


async def interact(fake: FakeDiscord, interaction_type: int, data: dict[str, Any], *,
                   user: str = "alice", permissions: int | None = None,
                   message: dict[str, Any] | None = None) -> InteractionHandle:
    """A button click (3) or modal submit (5) by ``user`` with these ``permissions``."""
    who = fake.user(user)
    interaction_id = p.snowflake()
    payload = p.interaction(
        interaction_id=interaction_id, app_id=fake.app_id, interaction_type=interaction_type,
        token=f"fake-interaction-token-{interaction_id}", data=data, user_payload=who.payload,
        guild_id=fake.guild.id, channel=fake.channel(), message_payload=message)
    if permissions is not None:
        payload["member"]["permissions"] = str(permissions)
    handle = InteractionHandle(fake, payload)
    fake.handles[handle.token] = handle
    await fake.dispatch("INTERACTION_CREATE", payload)
    return handle


async def press(fake: FakeDiscord, message: dict[str, Any], custom_id: str,
                **kwargs: Any) -> InteractionHandle:
    current = fake.messages.get(message["id"], message)
    return await interact(fake, 3, {"custom_id": custom_id, "component_type": 2},
                          message=current, **kwargs)


async def submit(fake: FakeDiscord, custom_id: str, values: dict[str, str],
                 **kwargs: Any) -> InteractionHandle:
    rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
            for k, v in values.items()]
    return await interact(fake, 5, {"custom_id": custom_id, "components": rows}, **kwargs)


async def draft_card(fake: FakeDiscord, url: str) -> tuple[dict[str, Any], str]:
    """Run /kb draft; return the card message and the draft id."""
    handle = await run_command(fake, "kb draft", {"url": url})
    deferred = await handle.response()
    assert deferred.callback_type == 5 and deferred.ephemeral
    card = await handle.followup()
    button = next(c["custom_id"] for row in card.components for c in row["components"]
                  if c["custom_id"].startswith("lw:draft:publish:"))
    return fake.messages[card.response["id"]], button.rsplit(":", 1)[1]


async def test_a_link_becomes_a_published_answer_through_review(
        fake: FakeDiscord, start_bot: StartBot, site: Site, knowledge_dir: Path) -> None:
    await start_bot(fetch_allow_private=True)
    started = time.perf_counter()
    card, draft_id = await draft_card(fake, site.page(THENEWS))
    text = embed_text(card)
    assert "Draft: 'World is in peril': Anthropic AI safety researcher resigns" in text
    assert draft_id == "2026-02-11-anthropic-ai-safety-researcher"
    assert "Mrinank Sharma" in text  # possibly new: the sample knowledge has no entry for him
    assert "Not written yet" in text
    assert (knowledge_dir / "drafts" / f"{draft_id}.yaml").exists()

    opened = await press(fake, card, f"lw:draft:review:{draft_id}")
    modal = await opened.response()
    assert modal.callback_type == 9
    assert modal.data["custom_id"] == f"lw:draftmodal:review:{draft_id}"
    filled = await submit(fake, modal.data["custom_id"], REVIEW)
    reviewed = await filled.response()
    assert "He plans to study poetry." in embed_text(reviewed)

    published = await press(fake, filled.original_message, f"lw:draft:publish:{draft_id}")
    await published.response()
    done = embed_text(await published.followup())
    assert "Added: 'World is in peril'" in done and "undo with `/kb revert revision:" in done
    assert (knowledge_dir / "articles" / f"{draft_id}.yaml").exists()
    assert not (knowledge_dir / "drafts" / f"{draft_id}.yaml").exists()

    asked = await fake.invoke_slash("ask", {"question": QUESTION}, user="bob")
    answer = await asked.response()
    elapsed = time.perf_counter() - started
    assert not answer.ephemeral
    assert answer.embeds[0]["title"].startswith("'World is in peril'")
    log.info("link to published answer: %.3f s (fetch, draft, review, publish, ask)", elapsed)


async def test_a_non_moderator_is_refused_at_each_step(
        fake: FakeDiscord, start_bot: StartBot, site: Site, knowledge_dir: Path) -> None:
    await start_bot(fetch_allow_private=True)
    refused = "This command is for moderators"
    for path, options in (("kb draft", {"url": site.page(THENEWS)}), ("kb drafts", {}),
                          ("kb feed add", {"url": site.feed("tech")}), ("kb feed list", {})):
        handle = await run_command(fake, path, options, user="bob",
                                   permissions=NOT_A_MODERATOR)
        reply = await handle.response()
        assert reply.ephemeral and refused in embed_text(reply), path
    assert site.requests == []  # nothing was fetched for bob

    card, draft_id = await draft_card(fake, site.page(THENEWS))  # a moderator's draft
    for action in ("review", "yaml", "publish", "discard"):
        click = await press(fake, card, f"lw:draft:{action}:{draft_id}", user="bob",
                            permissions=NOT_A_MODERATOR)
        reply = await click.response()
        assert reply.callback_type == 4 and refused in embed_text(reply), action
    before = (knowledge_dir / "drafts" / f"{draft_id}.yaml").read_bytes()
    # A review form bob was never shown: the bot ignores it. Events are handled in order,
    # so once the next command is answered, the forged submission was dealt with.
    forged = await submit(fake, f"lw:draftmodal:review:{draft_id}", REVIEW, user="bob",
                          permissions=NOT_A_MODERATOR)
    await (await run_command(fake, "kb drafts")).response()
    assert not forged.responded
    assert (knowledge_dir / "drafts" / f"{draft_id}.yaml").read_bytes() == before
    assert not (knowledge_dir / "articles" / f"{draft_id}.yaml").exists()


async def test_a_moderator_can_edit_the_yaml_list_and_discard_a_draft(
        fake: FakeDiscord, start_bot: StartBot, site: Site, knowledge_dir: Path) -> None:
    await start_bot(fetch_allow_private=True)
    card, draft_id = await draft_card(fake, site.page(THENEWS))
    opened = await press(fake, card, f"lw:draft:yaml:{draft_id}")
    modal = await opened.response()
    (field,) = [c for row in modal.data["components"] for c in row["components"]]
    assert field["value"].startswith(f"id: {draft_id}\n") and "draft:" not in field["value"]
    edited = field["value"].replace("outlet: The News International", "outlet: The News")
    saved = await submit(fake, modal.data["custom_id"], {"yaml": edited})
    assert "The News ·" in embed_text(await saved.response())
    text = (knowledge_dir / "drafts" / f"{draft_id}.yaml").read_text(encoding="utf-8")
    assert "outlet: The News\n" in text and "\ndraft:\n" in text  # the notes are kept

    reopened = await press(fake, card, f"lw:draft:yaml:{draft_id}")
    again = await reopened.response()  # a modal answers once; a new one for the next try
    broken = await submit(fake, again.data["custom_id"], {"yaml": "- not: a draft"})
    assert "Not saved" in embed_text(await broken.response())

    unfinished = await press(fake, card, f"lw:draft:publish:{draft_id}")
    await unfinished.response()
    refusal = embed_text(await unfinished.followup())
    assert "Publish refused: 2 problems, nothing was changed" in refusal
    assert f"`drafts/{draft_id}.yaml:" in refusal and "must not be blank" in refusal
    assert not (knowledge_dir / "articles" / f"{draft_id}.yaml").exists()

    listed = await run_command(fake, "kb drafts")
    assert f"`{draft_id}`" in embed_text(await listed.response())
    typed = await run_command(fake, "kb drafts", {"draft": "peril"}, interaction_type=4,
                              focused="draft")
    choices = (await typed.response()).data["choices"]
    assert [c["value"] for c in choices] == [draft_id]
    discard = await press(fake, card, f"lw:draft:discard:{draft_id}")
    assert f"Discarded the draft `{draft_id}`" in embed_text(await discard.response())
    empty = await run_command(fake, "kb drafts")
    assert "No drafts waiting" in embed_text(await empty.response())


async def test_a_link_to_127_0_0_1_is_refused_without_the_setting(
        fake: FakeDiscord, bot: LabwireBot, site: Site, knowledge_dir: Path) -> None:
    handle = await run_command(fake, "kb draft", {"url": site.page(THENEWS)})
    await handle.response()
    text = embed_text(await handle.followup())
    assert "Cannot draft from that link: refused: 127.0.0.1 is a loopback address" in text
    assert site.requests == []
    assert not (knowledge_dir / "drafts").exists()


def tech_feed(site: Site, *, extra: list[Item] | None = None) -> ServedFeed:
    return ServedFeed(rss("TheTechPortal", [
        *(extra or []),
        Item(site.page(TECHPORTAL), "OpenAI Robotics Chief Departs Over Pentagon Partnership",
             "Mon, 09 Mar 2026 08:30:00 +0000"),
        Item(f"https://example-news.com/blog/{KALINOWSKI_ARTICLE}",
             "OpenAI's Robotics Lead Quits Over Pentagon Deal", "Sat, 07 Mar 2026 12:00:00 GMT"),
    ]), "application/rss+xml")


def poster(bot: LabwireBot) -> Any:
    """The bot's feed poster (the cog's module is loaded as an extension, so by name)."""
    cog = bot.get_cog("KnowledgeAdmin")
    assert cog is not None
    return getattr(cog, "feed_poster")  # noqa: B009 - the extension's own class, not ours


async def test_a_feed_item_is_posted_once_drafted_and_not_reposted_after_a_restart(
        fake: FakeDiscord, bots: Bots, site: Site, knowledge_dir: Path) -> None:
    channel = fake.channel("questions")["id"]
    options = {"fetch_allow_private": True, "mod_channel_id": int(channel)}
    bot = await bots.start(restartable=True, **options)
    site.feeds["tech"] = tech_feed(site)
    added = await run_command(fake, "kb feed add", {"url": site.feed("tech")})
    await added.response()
    assert "Following feed #1: TheTechPortal" in embed_text(await added.followup())

    mark = fake.mark()
    assert await poster(bot).run_once() == 1  # the story already known is not posted
    post = await fake.wait_for_channel_message(channel, after=mark)
    assert post.embeds[0]["title"] == "OpenAI Robotics Chief Departs Over Pentagon Partnership"
    item_message = fake.messages[post.response["id"]]
    assert await poster(bot).run_once() == 0  # polled again: nothing posted twice

    drafted = await press(fake, item_message, "lw:feed:draft")
    await drafted.response()
    card = embed_text(await drafted.followup())
    assert "Draft: OpenAI Robotics Chief Departs Over Pentagon Partnership" in card
    marked = fake.messages[item_message["id"]]
    assert "Drafted by" in marked["embeds"][0]["footer"]["text"] and not marked["components"]
    assert (knowledge_dir / "drafts" / "2026-03-09-openai-robotics-chief-departs.yaml").exists()

    await bots.stop(bot)
    site.feeds["tech"] = tech_feed(site)  # served again in full, changed (no 304)
    site.feeds["tech"].body += "\n"
    restarted = await bots.start(**options)
    mark = fake.mark()
    assert await poster(restarted).run_once() == 0
    assert not [c for c in fake.calls[mark:] if c.method == "POST" and channel in c.path]
    listed = await run_command(fake, "kb drafts")
    assert "2026-03-09-openai-robotics-chief-departs" in embed_text(await listed.response())


async def test_dismiss_hides_an_item_for_good_and_a_failing_feed_is_reported_once(
        fake: FakeDiscord, start_bot: StartBot, site: Site) -> None:
    channel = fake.channel("questions")["id"]
    bot = await start_bot(fetch_allow_private=True, mod_channel_id=int(channel))
    site.feeds["tech"] = tech_feed(site)
    added = await run_command(fake, "kb feed add", {"url": site.feed("tech")})
    await added.followup()
    mark = fake.mark()
    await poster(bot).run_once()
    post = await fake.wait_for_channel_message(channel, after=mark)
    message = fake.messages[post.response["id"]]
    refused = await press(fake, message, "lw:feed:dismiss", user="bob",
                          permissions=NOT_A_MODERATOR)
    assert "This command is for moderators" in embed_text(await refused.response())
    dismissed = await press(fake, message, "lw:feed:dismiss")
    assert (await dismissed.response()).callback_type == 7
    assert "Dismissed by" in fake.messages[message["id"]]["embeds"][0]["footer"]["text"]

    site.broken.add("tech")
    reports = []
    for _ in range(4):
        mark = fake.mark()
        await poster(bot).run_once()
        reports += [c for c in fake.calls[mark:] if c.method == "POST" and channel in c.path]
    (report,) = reports
    assert "Feed #1 keeps failing" in report.embeds[0]["title"]
    assert "HTTP 500" in report.embeds[0]["description"]


async def test_stats_show_freshness_and_the_chart(
        fake: FakeDiscord, bot: LabwireBot, sent_files: dict[str, bytes]) -> None:
    handle = await run_command(fake, "kb stats")
    reply = await handle.response()
    text = embed_text(reply)
    assert "Newest story: 2026-03-07" in text
    assert "Drafts waiting: 0 · feed items waiting: 0" in text
    assert reply.embeds[0]["image"]["url"] == "attachment://stories-per-month.png"
    chart = Image.open(io.BytesIO(sent_files["stories-per-month.png"]))
    assert chart.format == "PNG" and chart.size == (640, 260)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


async def test_the_briefing_preview_says_when_nothing_was_added_for_30_days(
        fake: FakeDiscord, start_bot: StartBot, site: Site) -> None:
    clock = Clock(utc_now())
    bot = await start_bot(fetch_allow_private=True, clock=clock)
    card, draft_id = await draft_card(fake, site.page(THENEWS))
    opened = await press(fake, card, f"lw:draft:review:{draft_id}")
    modal = await opened.response()
    filled = await submit(fake, modal.data["custom_id"], REVIEW)
    await filled.response()
    published = await press(fake, filled.original_message, f"lw:draft:publish:{draft_id}")
    await published.response()
    assert "Added:" in embed_text(await published.followup())

    clock.now += dt.timedelta(days=20)
    fresh = await run_command(fake, "briefing preview")
    assert "Nothing new has been added" not in embed_text(await fresh.response())
    clock.now += dt.timedelta(days=25)
    stale = await run_command(fake, "briefing preview")
    assert "Nothing new has been added for 45 days" in embed_text(await stale.response())
    assert bot.services.moderation.clock is clock
