"""What the drafting and feed jobs share: the drafts directory, the feed store, the guard."""

from __future__ import annotations

from dataclasses import dataclass

from bot.drafts.fetch import Fetcher
from bot.drafts.guard import AddressGuard
from bot.drafts.store import DraftStore
from bot.feeds.store import FeedStore


@dataclass(frozen=True)
class Curation:
    drafts: DraftStore
    feeds: FeedStore
    guard: AddressGuard  # LABWIRE_FETCH_ALLOW_PRIVATE switches it off
    mod_channel_id: int | None  # where feed items and failing feeds are posted
    feed_poll_seconds: float

    def fetcher(self) -> Fetcher:
        """A fresh guarded fetcher; use ``async with``."""
        return Fetcher(self.guard)
