"""Feeds and feed items in the database (migration 0006), behind a small repository.

:class:`FeedStore` is the only code that knows the SQL, which runs unchanged on
SQLite and PostgreSQL (see :mod:`bot.storage.database`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from bot.storage.database import Database, Row, from_utc_text, utc_text

ItemStatus = Literal["waiting", "posted", "drafted", "dismissed"]
PENDING: tuple[ItemStatus, ...] = ("waiting", "posted")


class FeedExists(Exception):  # noqa: N818 - reads as a sentence
    def __init__(self, feed: Feed) -> None:
        super().__init__(f"that feed is already followed (#{feed.id})")
        self.feed = feed


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    title: str | None
    added_at: dt.datetime
    added_by: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: dt.datetime | None = None
    last_ok_at: dt.datetime | None = None
    failures: int = 0
    last_error: str | None = None
    failure_reported_at: dt.datetime | None = None

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class NewItem:
    url_key: str
    link: str
    title: str
    published: str | None


@dataclass(frozen=True)
class FeedItem(NewItem):
    feed_id: int | None
    first_seen: dt.datetime
    status: ItemStatus
    status_at: dt.datetime
    status_by: int | None = None
    channel_id: int | None = None
    message_id: int | None = None
    draft_id: str | None = None


def _when(text: str | None) -> dt.datetime | None:
    return from_utc_text(text) if text else None


def _feed(row: Row) -> Feed:
    return Feed(
        id=int(row["id"]), url=row["url"], title=row["title"],
        added_at=from_utc_text(row["added_at"]),
        added_by=row["added_by"], etag=row["etag"], last_modified=row["last_modified"],
        last_polled_at=_when(row["last_polled_at"]), last_ok_at=_when(row["last_ok_at"]),
        failures=int(row["failures"]), last_error=row["last_error"],
        failure_reported_at=_when(row["failure_reported_at"]),
    )


def _item(row: Row) -> FeedItem:
    return FeedItem(
        url_key=row["url_key"], link=row["link"], title=row["title"],
        published=row["published"], feed_id=row["feed_id"],
        first_seen=from_utc_text(row["first_seen"]), status=row["status"],
        status_at=from_utc_text(row["status_at"]), status_by=row["status_by"],
        channel_id=row["channel_id"], message_id=row["message_id"], draft_id=row["draft_id"],
    )


class FeedStore:
    """The feeds moderators follow and every item seen in them (migration 0006)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- feeds ---------------------------------------------------------------------

    async def add(self, url: str, title: str | None, by: int | None, at: dt.datetime) -> Feed:
        """Follow ``url``; raises :class:`FeedExists` when it is already followed."""
        existing = await self.find(url)
        if existing is not None:
            raise FeedExists(existing)
        async with self.db.write() as conn:
            # The database numbers the feed (migration 0008): processes adding at once
            # never pick the same id.
            feed_id = int(await conn.fetchval(
                "INSERT INTO feeds (url, title, added_at, added_by) VALUES (?, ?, ?, ?)"
                " RETURNING id", (url, title, utc_text(at), by)))
        feed = await self.get(feed_id)
        assert feed is not None  # just written on the same connection
        return feed

    async def get(self, feed_id: int) -> Feed | None:
        row = await self.db.fetchone("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        return _feed(row) if row else None

    async def find(self, url: str) -> Feed | None:
        row = await self.db.fetchone("SELECT * FROM feeds WHERE url = ?", (url,))
        return _feed(row) if row else None

    async def all(self) -> list[Feed]:
        return [_feed(r) for r in await self.db.fetchall("SELECT * FROM feeds ORDER BY id")]

    async def remove(self, feed_id: int) -> bool:
        """Stop following a feed; its items stay, so they never come back if it is re-added."""
        async with self.db.write() as conn:
            await conn.execute("UPDATE feed_items SET feed_id = NULL WHERE feed_id = ?",
                               (feed_id,))
            return await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,)) > 0

    async def record_success(
        self, feed_id: int, at: dt.datetime, etag: str | None, last_modified: str | None,
        title: str | None,
    ) -> None:
        stamp = utc_text(at)
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE feeds SET etag = ?, last_modified = ?, title = COALESCE(?, title),"
                " last_polled_at = ?, last_ok_at = ?, failures = 0, last_error = NULL,"
                " failure_reported_at = NULL WHERE id = ?",
                (etag, last_modified, title, stamp, stamp, feed_id))

    async def record_not_modified(self, feed_id: int, at: dt.datetime) -> None:
        stamp = utc_text(at)
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE feeds SET last_polled_at = ?, last_ok_at = ?, failures = 0,"
                " last_error = NULL, failure_reported_at = NULL WHERE id = ?",
                (stamp, stamp, feed_id))

    async def record_failure(self, feed_id: int, at: dt.datetime, error: str) -> Feed:
        async with self.db.write() as conn:
            await conn.execute(
                "UPDATE feeds SET last_polled_at = ?, failures = failures + 1, last_error = ?"
                " WHERE id = ?", (utc_text(at), error[:500], feed_id))
        feed = await self.get(feed_id)
        if feed is None:
            raise LookupError(f"feed #{feed_id} was removed")
        return feed

    async def mark_failure_reported(self, feed_id: int, at: dt.datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute("UPDATE feeds SET failure_reported_at = ? WHERE id = ?",
                               (utc_text(at), feed_id))

    # -- items ---------------------------------------------------------------------

    async def items(self, keys: Collection[str]) -> dict[str, FeedItem]:
        found: dict[str, FeedItem] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 500):  # stay under the bound-parameter limit
            chunk = unique[start:start + 500]
            marks = ", ".join("?" for _ in chunk)
            rows = await self.db.fetchall(
                f"SELECT * FROM feed_items WHERE url_key IN ({marks})", tuple(chunk))
            found.update((r["url_key"], _item(r)) for r in rows)
        return found

    async def item(self, key: str) -> FeedItem | None:
        row = await self.db.fetchone("SELECT * FROM feed_items WHERE url_key = ?", (key,))
        return _item(row) if row else None

    async def item_by_message(self, message_id: int) -> FeedItem | None:
        """The item posted as ``message_id`` in the moderators' channel."""
        row = await self.db.fetchone("SELECT * FROM feed_items WHERE message_id = ?",
                                     (message_id,))
        return _item(row) if row else None

    async def add_items(self, feed_id: int, items: Iterable[NewItem], at: dt.datetime) -> set[str]:
        """Record items as waiting; return the keys that were not known before."""
        stamp = utc_text(at)
        added: set[str] = set()
        async with self.db.write() as conn:
            for item in items:
                inserted = await conn.execute(
                    "INSERT INTO feed_items (url_key, link, title, published, feed_id,"
                    " first_seen, status, status_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?)"
                    " ON CONFLICT (url_key) DO NOTHING",
                    (item.url_key, item.link, item.title, item.published, feed_id, stamp, stamp))
                if inserted > 0:
                    added.add(item.url_key)
        return added

    async def waiting(self, limit: int = 10) -> list[FeedItem]:
        """Items not yet shown to moderators: first seen first, then oldest story first."""
        rows = await self.db.fetchall(
            "SELECT * FROM feed_items WHERE status = 'waiting'"
            " ORDER BY first_seen, published, url_key LIMIT ?", (limit,))
        return [_item(r) for r in rows]

    async def set_status(
        self, key: str, status: ItemStatus, at: dt.datetime, *, by: int | None = None,
        channel_id: int | None = None, message_id: int | None = None,
        draft_id: str | None = None, only_from: Collection[ItemStatus] = (),
    ) -> bool:
        """Move an item to ``status``; with ``only_from``, only from one of those statuses.

        Returns False when there is no such item or it was not in ``only_from`` (so a
        second click on Dismiss, or two moderators at once, change nothing).
        """
        sql = ("UPDATE feed_items SET status = ?, status_at = ?,"
               " status_by = COALESCE(?, status_by), channel_id = COALESCE(?, channel_id),"
               " message_id = COALESCE(?, message_id), draft_id = COALESCE(?, draft_id)"
               " WHERE url_key = ?")
        params: tuple[object, ...] = (status, utc_text(at), by, channel_id, message_id, draft_id,
                                      key)
        if only_from:
            sql += f" AND status IN ({', '.join('?' for _ in only_from)})"
            params += tuple(only_from)
        async with self.db.write() as conn:
            return await conn.execute(sql, params) > 0

    async def pending_by_feed(self) -> dict[int | None, int]:
        """Waiting or posted items per feed id (None: the feed was removed)."""
        rows = await self.db.fetchall(
            "SELECT feed_id, COUNT(*) AS n FROM feed_items"
            " WHERE status IN ('waiting', 'posted') GROUP BY feed_id")
        return {r["feed_id"]: int(r["n"]) for r in rows}

    async def count_pending(self) -> int:
        """Items waiting for a moderator: not yet posted, or posted and not acted on."""
        row = await self.db.fetchone(
            "SELECT COUNT(*) FROM feed_items WHERE status IN ('waiting', 'posted')")
        return int(row[0]) if row else 0
