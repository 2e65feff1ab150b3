"""Moderators and feed items: posted once, drafted or dismissed once, across restarts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.drafts.errors import LinkError
from bot.drafts.store import DraftStore
from bot.feeds.poll import add_feed, poll_feeds
from bot.feeds.review import ItemGone, dismiss_item, draft_item, items_to_post, mark_posted
from bot.feeds.store import FeedStore
from bot.knowledge import KnowledgeBase, load_knowledge_or_raise
from bot.storage import open_database, sqlite_url
from tests.drafts.conftest import site_fetcher
from tests.drafts.site import TECHPORTAL, THENEWS, Item, ServedFeed, Site, rss

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
MOD = 333333333333333333


def serve(site: Site) -> str:
    site.feeds["tech"] = ServedFeed(rss("TheTechPortal", [
        Item(site.page(TECHPORTAL), "OpenAI Robotics Chief Departs Over Pentagon Partnership",
             "Mon, 09 Mar 2026 08:30:00 +0000"),
        Item(site.page(THENEWS), "'World is in peril': Anthropic AI safety researcher resigns",
             "Wed, 11 Feb 2026 07:00:00 +0000"),
    ]), "application/rss+xml")
    return site.feed("tech")


@pytest.fixture
def knowledge(tmp_path: Path, kb: KnowledgeBase) -> Path:
    return tmp_path / "knowledge"  # written by the kb fixture


async def test_an_item_is_posted_once_drafted_and_never_posted_again(
        site: Site, db_path: Path, kb: KnowledgeBase, knowledge: Path) -> None:
    drafts = DraftStore(knowledge)
    async with open_database(sqlite_url(db_path)) as db, site_fetcher() as fetcher:
        store = FeedStore(db)
        await add_feed(store, fetcher, serve(site), None, T0)
        await poll_feeds(store, fetcher, kb, T0)
        to_post = await items_to_post(store)
        assert [i.published for i in to_post] == ["2026-02-11", "2026-03-09"]  # oldest first
        for number, item in enumerate(to_post, start=1):
            assert await mark_posted(store, item.url_key, 55, 1000 + number, T0)
        assert await items_to_post(store) == []
        assert not await mark_posted(store, to_post[0].url_key, 55, 9, T0)  # once only

        tech = to_post[1].url_key
        draft = await draft_item(store, tech, MOD, kb, fetcher, drafts, T0)
        assert draft.title == "OpenAI Robotics Chief Departs Over Pentagon Partnership"
        assert draft.notes.feed_item == tech
        assert drafts.ids() == [draft.id]
        again = await draft_item(store, tech, MOD, kb, fetcher, drafts, T0)
        assert again == draft and drafts.ids() == [draft.id]  # a second click: same draft

    site.feeds["tech"].last_modified = "Tue, 10 Mar 2026 10:00:00 GMT"
    site.feeds["tech"].body += "\n"  # changed, so no 304 after the restart
    async with open_database(sqlite_url(db_path)) as db, site_fetcher() as fetcher:
        store = FeedStore(db)
        (poll,) = await poll_feeds(store, fetcher, load_knowledge_or_raise(knowledge), T0)
        assert [i.status for i in poll.items] == ["drafted", "seen"]
        assert await items_to_post(store) == []
        assert await store.count_pending() == 1  # the posted one nobody acted on yet


async def test_a_dismissed_item_cannot_be_drafted_and_stays_dismissed(
        site: Site, store: FeedStore, kb: KnowledgeBase, knowledge: Path) -> None:
    async with site_fetcher() as fetcher:
        await add_feed(store, fetcher, serve(site), None, T0)
        await poll_feeds(store, fetcher, kb, T0)
        item = (await items_to_post(store))[0]
        assert await dismiss_item(store, item.url_key, MOD, T0)
        assert not await dismiss_item(store, item.url_key, MOD, T0)
        with pytest.raises(ItemGone, match="dismissed"):
            await draft_item(store, item.url_key, MOD, kb, fetcher, DraftStore(knowledge), T0)
    stored = await store.item(item.url_key)
    assert stored is not None and (stored.status, stored.status_by) == ("dismissed", MOD)


async def test_a_page_that_cannot_be_drafted_leaves_the_item_as_it_was(
        site: Site, store: FeedStore, kb: KnowledgeBase, knowledge: Path) -> None:
    site.feeds["moved"] = ServedFeed(rss("Moves", [
        Item(site.url("missing.html"), "A story that moved", "Mon, 09 Mar 2026 08:30:00 GMT")]),
        "application/rss+xml")
    async with site_fetcher() as fetcher:
        await add_feed(store, fetcher, site.feed("moved"), None, T0)
        await poll_feeds(store, fetcher, kb, T0)
        (item,) = await items_to_post(store)
        await mark_posted(store, item.url_key, 55, 77, T0)
        with pytest.raises(LinkError, match="answered HTTP 404"):
            await draft_item(store, item.url_key, MOD, kb, fetcher, DraftStore(knowledge), T0)
    stored = await store.item(item.url_key)
    assert stored is not None and stored.status == "posted"  # still there to retry or dismiss
    assert DraftStore(knowledge).ids() == []
