"""Polling feeds: conditional GET, feedparser, and deciding what is new.

Each poll sends the feed's last ``ETag``/``Last-Modified`` back, so an unchanged
feed costs one 304 and no parsing.  Every item is identified by its canonical
URL key (:mod:`bot.drafts.canonical`): an item whose story is already in the
knowledge base is *known*; one seen before keeps the status moderators gave it
(*dismissed*, *drafted*) or is *seen* while it waits; anything else is *new* and
is stored, so it is reported once, across restarts.  A feed that fails
``FAILURE_REPORT_AFTER`` polls in a row is flagged for one report until it works
again.
"""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import io
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot.drafts.canonical import knowledge_url_keys, url_key
from bot.drafts.errors import LinkError
from bot.drafts.fetch import Fetcher, check_url
from bot.feeds.store import Feed, FeedExists, FeedStore, NewItem
from bot.knowledge import KnowledgeBase

log = logging.getLogger(__name__)

FAILURE_REPORT_AFTER = 3
MAX_ITEMS_PER_POLL = 100  # a feed listing its whole archive is read 100 items at a time
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5")
ItemState = Literal["new", "known", "seen", "drafted", "dismissed"]


class FeedError(LinkError):
    """The URL does not give an RSS or Atom feed; one line for the moderator."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    title: str
    published: str | None  # YYYY-MM-DD


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True)
class PolledItem:
    """One item of one poll, as ``labwire kb feed poll --json`` prints it."""

    url: str
    title: str
    published: str | None
    feed: str
    status: ItemState
    key: str

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "title": self.title, "published": self.published,
                "feed": self.feed, "status": self.status}


@dataclass(frozen=True)
class FeedPoll:
    """What one poll of one feed found."""

    feed: Feed
    items: tuple[PolledItem, ...] = ()
    not_modified: bool = False
    error: str | None = None
    report_failure: bool = False  # failing for a while and not reported yet

    @property
    def new_items(self) -> tuple[PolledItem, ...]:
        return tuple(i for i in self.items if i.status == "new")


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Parse RSS or Atom; raise :class:`FeedError` when it is neither.  CPU-bound."""
    import feedparser  # deferred: only feed commands need it

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    # A file object, never a str: feedparser would fetch a str that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              sanitize_html=False, resolve_relative_uris=True)
    title = " ".join(str(parsed.feed.get("title") or "").split()) or None
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise FeedError("the link is not an RSS or Atom feed")
    entries: list[FeedEntry] = []
    for entry in parsed.entries[:MAX_ITEMS_PER_POLL]:
        link = str(entry.get("link") or "").strip()
        if not link.startswith(("http://", "https://")):
            continue
        entry_title = " ".join(str(entry.get("title") or "").split()) or link
        entries.append(FeedEntry(link, entry_title[:300], _entry_date(entry)))
    return ParsedFeed(title[:200] if title else None, tuple(entries))


def _entry_date(entry: Any) -> str | None:
    # dict.get reads the parsed fields themselves; FeedParserDict's own lookup maps
    # one name onto the other and warns about it.
    moment = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not moment:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(moment), dt.UTC).date().isoformat()


async def fetch_feed(
    fetcher: Fetcher, url: str, etag: str | None = None, last_modified: str | None = None
) -> tuple[ParsedFeed | None, str | None, str | None]:
    """``(feed or None when unchanged, etag, last_modified)``; raises LinkError."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    page = await fetcher.fetch(url, accept=FEED_ACCEPT, headers=headers)
    if page.not_modified:
        return None, etag, last_modified
    parsed = await asyncio.to_thread(parse_feed, page.body, page.url, page.content_type)
    return parsed, page.headers.get("ETag"), page.headers.get("Last-Modified")


async def add_feed(
    store: FeedStore, fetcher: Fetcher, url: str, by: int | None, now: dt.datetime
) -> Feed:
    """Follow ``url`` after checking that it is a feed; raises LinkError or FeedExists."""
    check_url(url)
    url = url.strip()
    key = url_key(url)
    for feed in await store.all():
        if url_key(feed.url) == key:
            raise FeedExists(feed)
    parsed, _, _ = await fetch_feed(fetcher, url)
    feed = await store.add(url, parsed.title if parsed else None, by, now)
    log.info("feed added", extra={"feed_id": feed.id, "added_by": by})
    return feed


async def poll_feed(
    store: FeedStore, fetcher: Fetcher, feed: Feed, known: Collection[str], now: dt.datetime
) -> FeedPoll:
    """Poll one feed and record what it found; never raises for a feed's own failure."""
    try:
        parsed, etag, modified = await fetch_feed(fetcher, feed.url, feed.etag,
                                                  feed.last_modified)
    except LinkError as exc:
        return await _failed(store, feed, str(exc), now)
    if parsed is None:
        await store.record_not_modified(feed.id, now)
        return FeedPoll(feed, not_modified=True)
    items = await _classify(store, feed, parsed.entries, known, now)
    await store.record_success(feed.id, now, etag, modified, parsed.title)
    log.info("feed polled", extra={"feed_id": feed.id, "items": len(items),
                                   "new": sum(i.status == "new" for i in items)})
    return FeedPoll(feed, items)


async def _failed(store: FeedStore, feed: Feed, error: str, now: dt.datetime) -> FeedPoll:
    updated = await store.record_failure(feed.id, now, error)
    report = updated.failures >= FAILURE_REPORT_AFTER and updated.failure_reported_at is None
    # One failure is the feed's business (a site down for a minute); a streak is ours.
    level = logging.WARNING if updated.failures >= FAILURE_REPORT_AFTER else logging.INFO
    log.log(level, "feed poll failed", extra={"feed_id": feed.id, "failures": updated.failures,
                                              "error": error})
    return FeedPoll(updated, error=error, report_failure=report)


async def _classify(
    store: FeedStore, feed: Feed, entries: Sequence[FeedEntry], known: Collection[str],
    now: dt.datetime,
) -> tuple[PolledItem, ...]:
    keyed = {}
    for entry in entries:
        key = url_key(entry.link)
        if key and key not in keyed:
            keyed[key] = entry
    stored = await store.items([k for k in keyed if k not in known])
    fresh = [NewItem(k, e.link, e.title, e.published) for k, e in keyed.items()
             if k not in known and k not in stored]
    added = await store.add_items(feed.id, fresh, now)
    out = []
    for key, entry in keyed.items():
        state: ItemState
        if key in known:
            state = "known"
        elif key in added:
            state = "new"
        elif key in stored and stored[key].status in ("dismissed", "drafted"):
            state = "dismissed" if stored[key].status == "dismissed" else "drafted"
        else:
            state = "seen"  # waiting for a moderator, or another feed added it just now
        out.append(PolledItem(entry.link, entry.title, entry.published, feed.url, state, key))
    return tuple(out)


async def poll_feeds(
    store: FeedStore, fetcher: Fetcher, kb: KnowledgeBase, now: dt.datetime,
    feed_ids: Collection[int] | None = None,
) -> list[FeedPoll]:
    """Poll every feed (or those in ``feed_ids``), one after another."""
    known = knowledge_url_keys(kb)
    polls = []
    for feed in await store.all():
        if feed_ids is None or feed.id in feed_ids:
            polls.append(await poll_feed(store, fetcher, feed, known, now))
    return polls
