"""What moderators do with feed items: post them, draft one, dismiss one.

The Discord feed poster is a thin adapter over these: it posts
:func:`items_to_post` into the moderators' channel and records each with
:func:`mark_posted`; its **Draft** button calls :func:`draft_item` and its
**Dismiss** button :func:`dismiss_item`.  Statuses only move forward
(waiting -> posted -> drafted | dismissed), checked in the same UPDATE, so two
moderators clicking at once, or a click after a restart, change an item once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from bot.drafts.errors import LinkError
from bot.drafts.fetch import Fetcher
from bot.drafts.model import Draft
from bot.drafts.service import draft_from_url
from bot.drafts.store import DraftNotFound, DraftStore
from bot.feeds.store import PENDING, FeedItem, FeedStore, ItemStatus
from bot.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

POST_PER_ROUND = 10  # a feed added with its whole archive is posted ten items at a time
_NOT_SHOWN: tuple[ItemStatus, ...] = ("waiting",)


class ItemGone(LinkError):  # noqa: N818 - reads as a sentence
    """The item was already drafted or dismissed (or never existed)."""


async def items_to_post(store: FeedStore, limit: int = POST_PER_ROUND) -> list[FeedItem]:
    """Items no moderator has seen yet, oldest first."""
    return await store.waiting(limit)


async def mark_posted(
    store: FeedStore, key: str, channel_id: int, message_id: int, now: dt.datetime
) -> bool:
    """Record that the item is in the moderators' channel; False if it was not waiting."""
    return await store.set_status(key, "posted", now, channel_id=channel_id,
                                  message_id=message_id, only_from=_NOT_SHOWN)


async def dismiss_item(store: FeedStore, key: str, by: int | None, now: dt.datetime) -> bool:
    """Never show the item again; False when it was already drafted or dismissed."""
    done = await store.set_status(key, "dismissed", now, by=by,
                                  only_from=PENDING)
    if done:
        log.info("feed item dismissed", extra={"item": key, "by": by})
    return done


async def draft_item(
    store: FeedStore, key: str, by: int | None, kb: KnowledgeBase, fetcher: Fetcher,
    drafts: DraftStore, now: dt.datetime,
) -> Draft:
    """Draft the item's link (issue 14, item 1), save the draft, mark the item drafted.

    Raises :class:`LinkError` (one line) when the page cannot be drafted, and
    :class:`ItemGone` when the item was dismissed or drafted meanwhile.  Drafting
    an item that is already drafted returns its draft, so a repeated click is harmless.
    """
    item = await store.item(key)
    if item is None:
        raise ItemGone("that feed item is no longer known")
    if item.status == "drafted" and item.draft_id:
        try:
            return await asyncio.to_thread(drafts.read, item.draft_id)
        except DraftNotFound:
            raise ItemGone(f"that item was drafted as {item.draft_id}, which has since been "
                           "published or discarded") from None
    if item.status == "dismissed":
        raise ItemGone("that item was dismissed")
    draft = await draft_from_url(item.link, kb, fetcher, now=now, taken_ids=drafts.ids(),
                                 feed_item=key)
    await asyncio.to_thread(drafts.save_new, draft)
    if not await store.set_status(key, "drafted", now, by=by, draft_id=draft.id,
                                  only_from=PENDING):
        await asyncio.to_thread(drafts.discard, draft.id)  # the other moderator's stands
        raise ItemGone("another moderator dealt with that item a moment ago")
    log.info("feed item drafted", extra={"item": key, "draft": draft.id, "by": by})
    return draft
