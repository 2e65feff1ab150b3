"""``/kb feed add|list|remove`` and the feed poster in the moderators' channel.

The poster polls every feed each ``LABWIRE_FEED_POLL_SECONDS`` (conditional GET,
:mod:`bot.feeds`) and posts each new item into ``LABWIRE_MOD_CHANNEL_ID`` with
**Draft** and **Dismiss** buttons.  The buttons' custom ids are fixed; the item
is found by the message it was posted as, so they work after a restart.  Item
statuses only move forward in the database, so an item is posted once, ever,
and a feed failing several polls in a row is reported once until it works again.
After each round the bot dispatches ``labwire_feed_check`` (with the number
posted), which tests and other features can follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from typing import Any, ClassVar

import discord
from discord import app_commands

from bot.discord.embeds import BRAND, MUTED, WARN
from bot.discord.errors import log_background_error
from bot.discord.kb.context import KbContext
from bot.discord.kb.curation import Curation
from bot.discord.kb.drafting import Drafting
from bot.discord.replies import NO_MENTIONS, answer_failure, notice
from bot.discord.text import escape_user_text, fit_embed, truncate
from bot.discord.views import send_pages
from bot.drafts.errors import LinkError
from bot.feeds.poll import FeedPoll, add_feed, poll_feeds
from bot.feeds.review import ItemGone, dismiss_item, draft_item, items_to_post, mark_posted
from bot.feeds.store import Feed, FeedExists, FeedItem

log = logging.getLogger(__name__)

CHECKED_EVENT = "labwire_feed_check"
STOP_WITHIN = 10.0
ITEM_TEMPLATE = r"lw:feed:(?P<action>draft|dismiss)"


def item_embed(item: FeedItem, feed: Feed | None) -> discord.Embed:
    embed = discord.Embed(title=truncate(item.title, 256), url=item.link, colour=BRAND)
    source = feed.name if feed else "a feed no longer followed"
    embed.description = (f"New in {escape_user_text(truncate(source, 200))}"
                         + (f" · {item.published}" if item.published else ""))
    embed.set_footer(text="Draft makes a draft entry from the link; Dismiss hides it for good.")
    return fit_embed(embed)


class FeedCommands:
    """``/kb feed add|list|remove``."""

    def __init__(self, context: KbContext, curation: Curation) -> None:
        self.context = context
        self.curation = curation

    async def add(self, interaction: discord.Interaction[Any], url: str) -> str:
        await self.context.require_moderator(interaction, "kb feed add", edits=True)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            async with self.curation.fetcher() as fetcher:
                feed = await add_feed(self.curation.feeds, fetcher, url, interaction.user.id,
                                      self.context.moderation.clock())
        except FeedExists as exc:
            await notice(interaction, f"Already following that feed as #{exc.feed.id}.")
            return "exists"
        except LinkError as exc:
            await notice(interaction, f"Cannot follow that link: {escape_user_text(str(exc))}")
            return "refused:link"
        where = (f"<#{self.curation.mod_channel_id}>" if self.curation.mod_channel_id
                 else "no channel yet (set LABWIRE_MOD_CHANNEL_ID)")
        await notice(interaction, f"Following feed #{feed.id}: "
                                  f"{escape_user_text(feed.name)}. New items go to {where}.")
        return "added"

    async def listing(self, interaction: discord.Interaction[Any]) -> str:
        await self.context.require_moderator(interaction, "kb feed list")
        feeds = await self.curation.feeds.all()
        if not feeds:
            await notice(interaction, "No feeds followed. Add one with `/kb feed add url:`.")
            return "empty"
        pending = await self.curation.feeds.pending_by_feed()
        lines = [f"**#{f.id}** {escape_user_text(truncate(f.name, 120))} · "
                 f"{pending.get(f.id, 0)} waiting"
                 + (f" · ⚠ failing ({f.failures}× in a row)" if f.failures else "")
                 for f in feeds]
        await send_pages(self.context.tracker, interaction, f"Feeds ({len(feeds)})", lines,
                         view_timeout=self.context.view_timeout)
        return f"shown:{len(feeds)}"

    async def remove(self, interaction: discord.Interaction[Any], wanted: str) -> str:
        await self.context.require_moderator(interaction, "kb feed remove", edits=True)
        wanted = wanted.strip().lstrip("#")
        feed = next((f for f in await self.curation.feeds.all()
                     if str(f.id) == wanted or f.url == wanted), None)
        if feed is None:
            await notice(interaction, "No such feed; see `/kb feed list`.")
            return "not_found"
        await self.curation.feeds.remove(feed.id)
        log.info("feed removed", extra={"feed_id": feed.id, "user_id": interaction.user.id})
        await notice(interaction, f"Stopped following feed #{feed.id}: "
                                  f"{escape_user_text(feed.name)}.")
        return "removed"

    async def choices(self, current: str) -> list[app_commands.Choice[str]]:
        typed = current.strip().lower()
        return [app_commands.Choice(name=truncate(f"#{f.id} {f.name}", 100), value=str(f.id))
                for f in await self.curation.feeds.all()
                if typed in f.name.lower() or typed in str(f.id)][:25]


class FeedPoster:
    """Polls the feeds and posts new items to moderators; handles Draft and Dismiss."""

    def __init__(self, client: discord.Client, context: KbContext, curation: Curation,
                 drafting: Drafting, leading: asyncio.Event | None = None) -> None:
        self.client = client
        # Set while this process holds the deployment lock: with several processes only
        # that one polls (None: always poll, a lone process).
        self.leading = leading
        self.context = context
        self.curation = curation
        self.drafting = drafting
        self.button_type = _bound_to(self)
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._round = asyncio.Lock()

    def start(self) -> None:
        if self.curation.mod_channel_id is not None:
            self._task = asyncio.create_task(self._poll_forever(), name="labwire-feeds")

    async def stop(self) -> None:
        self._stop.set()  # stop between rounds: a cancelled write would break the connection
        if self._task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_WITHIN)

    async def _poll_forever(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self.curation.feed_poll_seconds)
            if self._stop.is_set():
                break
            if self.leading is not None and not self.leading.is_set():
                continue  # another process polls the feeds this round
            try:
                await self.run_once()
            except Exception as exc:
                log_background_error(exc, "feed poll")

    def view(self) -> discord.ui.View:
        view = discord.ui.View(timeout=None)
        view.add_item(self.button_type("draft"))
        view.add_item(self.button_type("dismiss"))
        return view

    async def run_once(self) -> int:
        """Poll every feed, report failing ones once, post waiting items; return posts."""
        channel_id = self.curation.mod_channel_id
        if channel_id is None:
            return 0
        async with self._round:
            now = self.context.moderation.clock()
            async with self.curation.fetcher() as fetcher:
                polls = await poll_feeds(self.curation.feeds, fetcher,
                                         self.context.knowledge.kb, now)
            channel = self.client.get_partial_messageable(channel_id)
            for poll in polls:
                if poll.report_failure:
                    await self._report_failure(channel, poll, now)
            posted = await self._post_waiting(channel, channel_id, now)
        self.client.dispatch(CHECKED_EVENT, posted)
        return posted

    async def _report_failure(self, channel: discord.PartialMessageable, poll: FeedPoll,
                              now: dt.datetime) -> None:
        embed = discord.Embed(title=truncate(f"Feed #{poll.feed.id} keeps failing", 256),
                              colour=WARN, description=(
            f"{escape_user_text(poll.feed.name)} failed {poll.feed.failures} polls in a row: "
            f"{escape_user_text(truncate(poll.error or '', 500))}\nThe bot keeps trying and "
            "will not repeat this until it works again; `/kb feed remove` stops it."))
        await channel.send(embed=fit_embed(embed), allowed_mentions=NO_MENTIONS)
        await self.curation.feeds.mark_failure_reported(poll.feed.id, now)

    async def _post_waiting(self, channel: discord.PartialMessageable, channel_id: int,
                            now: dt.datetime) -> int:
        feeds = {f.id: f for f in await self.curation.feeds.all()}
        posted = 0
        for item in await items_to_post(self.curation.feeds):
            feed = feeds.get(item.feed_id) if item.feed_id is not None else None
            try:
                message = await channel.send(embed=item_embed(item, feed), view=self.view(),
                                             allowed_mentions=NO_MENTIONS)
            except (discord.Forbidden, discord.NotFound) as exc:
                # A deleted channel or a lost permission: the items wait for the next round
                # (or the terminal); say so once per round, not once per item.
                log.warning("could not post feed items to the moderators' channel",
                            extra={"channel_id": channel_id, "status": exc.status})
                break
            await mark_posted(self.curation.feeds, item.url_key, channel_id, message.id, now)
            posted += 1
        return posted

    # -- Draft and Dismiss ---------------------------------------------------------------

    async def press(self, interaction: discord.Interaction[Any], action: str) -> None:
        command = f"feed:{action}"
        try:
            async with self.context.tracker.span(interaction.id, command) as span:
                self.context.tracker.ensure_accepting()
                await self.context.require_moderator(interaction, f"kb feed {action}",
                                                     edits=True)
                span.outcome = await self._handle(interaction, action)
        except Exception as exc:
            await answer_failure(self.context.tracker, interaction, exc, where=command)

    async def _handle(self, interaction: discord.Interaction[Any], action: str) -> str:
        message = interaction.message
        item = (await self.curation.feeds.item_by_message(message.id)) if message else None
        if message is None or item is None:
            await notice(interaction, "That feed item is no longer known.")
            return "gone"
        who = escape_user_text(str(interaction.user))
        if action == "dismiss":
            done = await dismiss_item(self.curation.feeds, item.url_key, interaction.user.id,
                                      self.context.moderation.clock())
            if not done:
                await notice(interaction, "Someone already dealt with that item.")
                return "already"
            await interaction.response.edit_message(
                embed=_closed(message, f"Dismissed by {who}."), view=None)
            return "dismissed"
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            async with self.curation.fetcher() as fetcher:
                draft = await draft_item(self.curation.feeds, item.url_key, interaction.user.id,
                                         self.context.knowledge.kb, fetcher,
                                         self.curation.drafts, self.context.moderation.clock())
        except ItemGone as exc:
            await notice(interaction, f"{escape_user_text(str(exc)).capitalize()}.")
            return "already"
        except LinkError as exc:
            await notice(interaction, f"Cannot draft from that link: {escape_user_text(str(exc))}")
            return "refused:link"
        with contextlib.suppress(discord.HTTPException):  # the card matters more than the mark
            await message.edit(embed=_closed(message, f"Drafted by {who} as `{draft.id}`."),
                               view=None)
        await self.drafting.show(interaction, draft)
        return "drafted"


def _closed(message: discord.Message, note: str) -> discord.Embed:
    """The item's card, marked as dealt with."""
    embed = message.embeds[0].copy() if message.embeds else discord.Embed()
    embed.colour = MUTED
    embed.set_footer(text=note)
    return embed


class FeedItemButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ITEM_TEMPLATE):
    poster: ClassVar[FeedPoster]

    def __init__(self, action: str) -> None:
        label = "Draft" if action == "draft" else "Dismiss"
        style = discord.ButtonStyle.primary if action == "draft" else discord.ButtonStyle.secondary
        super().__init__(discord.ui.Button(label=label, style=style,
                                           custom_id=f"lw:feed:{action}"))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> FeedItemButton:
        return cls(match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.poster.press(interaction, self.action)


def _bound_to(owner: FeedPoster) -> type[FeedItemButton]:
    class BoundFeedItemButton(FeedItemButton, template=ITEM_TEMPLATE):
        poster = owner

    return BoundFeedItemButton



