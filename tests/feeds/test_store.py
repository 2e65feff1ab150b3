"""The feed store: feeds with stable numbers, items recorded once, statuses that stick."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.feeds.store import FeedExists, FeedStore, NewItem
from bot.storage import open_database, sqlite_url
from bot.storage.migrations import bundled_migrations

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
ITEM = NewItem("thetechportal.com/2026/03/09/story", "https://thetechportal.com/2026/03/09/story/",
               "OpenAI Robotics Chief Departs", "2026-03-09")


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[FeedStore]:
    """The feed store on each backend, SQLite and PostgreSQL (the same SQL runs on both)."""
    async with open_database(database_url) as db:
        yield FeedStore(db)


async def test_feeds_are_numbered_in_the_order_they_are_added(store: FeedStore) -> None:
    first = await store.add("https://a.example/feed", "A", None, T0)
    second = await store.add("https://b.example/feed", None, 42, T0)
    assert (first.id, second.id) == (1, 2)
    assert second.name == "https://b.example/feed" and second.added_by == 42
    assert await store.remove(second.id) is True
    third = await store.add("https://c.example/feed", "C", None, T0)
    # The database numbers feeds: SQLite continues after the highest number in use,
    # PostgreSQL's identity never hands out a number twice.  #1 keeps its number.
    expected = 2 if store.db.backend == "sqlite" else 3
    assert [f.id for f in await store.all()] == [1, expected] and third.id == expected
    assert await store.remove(99) is False


async def test_feeds_added_at_the_same_time_get_different_numbers(store: FeedStore) -> None:
    added = await asyncio.gather(*(store.add(f"https://{n}.example/feed", None, None, T0)
                                   for n in range(8)))
    assert sorted(f.id for f in added) == sorted({f.id for f in added})
    assert len(await store.all()) == 8


async def test_the_same_feed_cannot_be_added_twice(store: FeedStore) -> None:
    feed = await store.add("https://a.example/feed", "A", None, T0)
    with pytest.raises(FeedExists) as caught:
        await store.add("https://a.example/feed", "A", None, T0)
    assert caught.value.feed == feed


async def test_an_item_is_recorded_once(store: FeedStore) -> None:
    feed = await store.add("https://a.example/feed", "A", None, T0)
    assert await store.add_items(feed.id, [ITEM], T0) == {ITEM.url_key}
    assert await store.add_items(feed.id, [ITEM], T0 + dt.timedelta(hours=1)) == set()
    item = await store.item(ITEM.url_key)
    assert item is not None and item.status == "waiting" and item.first_seen == T0
    assert await store.count_pending() == 1
    assert [i.url_key for i in await store.waiting()] == [ITEM.url_key]


async def test_statuses_move_only_from_the_states_allowed(store: FeedStore) -> None:
    feed = await store.add("https://a.example/feed", "A", None, T0)
    await store.add_items(feed.id, [ITEM], T0)
    assert await store.set_status(ITEM.url_key, "posted", T0, channel_id=5, message_id=6)
    assert await store.set_status(ITEM.url_key, "dismissed", T0, by=7, only_from=("posted",))
    # a second click, or another moderator a moment later, changes nothing
    assert not await store.set_status(ITEM.url_key, "drafted", T0, by=8, only_from=("posted",))
    item = await store.item(ITEM.url_key)
    assert item is not None
    assert (item.status, item.status_by, item.message_id) == ("dismissed", 7, 6)
    assert await store.count_pending() == 0


async def test_removing_a_feed_keeps_its_items(store: FeedStore) -> None:
    feed = await store.add("https://a.example/feed", "A", None, T0)
    await store.add_items(feed.id, [ITEM], T0)
    await store.remove(feed.id)
    item = await store.item(ITEM.url_key)
    assert item is not None and item.feed_id is None
    assert await store.pending_by_feed() == {None: 1}


async def test_failures_count_up_and_reset_on_success(store: FeedStore) -> None:
    feed = await store.add("https://a.example/feed", "A", None, T0)
    await store.record_failure(feed.id, T0, "HTTP 500")
    failing = await store.record_failure(feed.id, T0, "HTTP 502")
    assert (failing.failures, failing.last_error) == (2, "HTTP 502")
    await store.mark_failure_reported(feed.id, T0)
    await store.record_success(feed.id, T0, '"etag"', "Mon, 09 Mar 2026 10:00:00 GMT", None)
    ok = await store.get(feed.id)
    assert ok is not None
    assert (ok.failures, ok.last_error, ok.failure_reported_at) == (0, None, None)
    assert ok.etag == '"etag"' and ok.title == "A"  # a feed without a title keeps ours


async def test_statuses_survive_a_restart(db_path: Path) -> None:
    path = db_path
    async with open_database(sqlite_url(path)) as db:
        store = FeedStore(db)
        feed = await store.add("https://a.example/feed", "A", None, T0)
        await store.add_items(feed.id, [ITEM], T0)
        await store.set_status(ITEM.url_key, "dismissed", T0)
    async with open_database(sqlite_url(path)) as db:
        item = await FeedStore(db).item(ITEM.url_key)
    assert item is not None and item.status == "dismissed"


def test_the_migration_avoids_sqlite_only_sql() -> None:
    (sql,) = [m.sqlite for m in bundled_migrations() if m.version == 6]
    for sqlite_only in ("AUTOINCREMENT", "INSERT OR", "strftime", "json_", "datetime("):
        assert sqlite_only.lower() not in sql.lower()
