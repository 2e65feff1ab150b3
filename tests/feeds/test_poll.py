"""Polling: new, known and dismissed items, conditional GET, and failing feeds reported once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.drafts.errors import LinkError
from bot.feeds.poll import FAILURE_REPORT_AFTER, add_feed, parse_feed, poll_feeds
from bot.feeds.store import FeedExists, FeedStore
from bot.knowledge import KnowledgeBase
from bot.storage import open_database, sqlite_url
from tests.drafts.conftest import site_fetcher
from tests.drafts.site import TECHPORTAL, THENEWS, Item, ServedFeed, Site, atom, rss
from tests.fake_discord.sample_kb import KALINOWSKI_ARTICLE

T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
KNOWN_LINK = f"https://example-news.com/blog/{KALINOWSKI_ARTICLE}?utm_source=rss"


def news_items(site: Site) -> list[Item]:
    return [
        Item(site.page(TECHPORTAL), "OpenAI Robotics Chief Departs Over Pentagon Partnership",
             "Mon, 09 Mar 2026 08:30:00 +0000", "Kalinowski resigned over the Pentagon deal."),
        Item(site.page(THENEWS), "'World is in peril': Anthropic AI safety researcher resigns",
             "Wed, 11 Feb 2026 07:00:00 +0000"),
        Item(KNOWN_LINK, "OpenAI's Robotics Lead Quits Over Pentagon Deal",
             "Sat, 07 Mar 2026 12:00:00 +0000"),
    ]


def serve_rss(site: Site, name: str = "tech") -> str:
    site.feeds[name] = ServedFeed(rss("TheTechPortal", news_items(site)), "application/rss+xml")
    return site.feed(name)


async def test_a_first_poll_reports_new_and_known_items(
        site: Site, store: FeedStore, kb: KnowledgeBase) -> None:
    url = serve_rss(site)
    async with site_fetcher() as fetcher:
        feed = await add_feed(store, fetcher, url, None, T0)
        (poll,) = await poll_feeds(store, fetcher, kb, T0)
    assert feed.title == "TheTechPortal"
    assert [(i.title[:20], i.status, i.published) for i in poll.items] == [
        ("OpenAI Robotics Chie", "new", "2026-03-09"),
        ("'World is in peril':", "new", "2026-02-11"),
        ("OpenAI's Robotics Le", "known", "2026-03-07"),
    ]
    assert poll.items[0].as_json() == {
        "url": site.page(TECHPORTAL), "title": "OpenAI Robotics Chief Departs Over Pentagon "
        "Partnership", "published": "2026-03-09", "feed": url, "status": "new"}
    assert await store.count_pending() == 2  # the known story is not stored at all


async def test_an_unchanged_feed_costs_one_304_and_reports_nothing(
        site: Site, store: FeedStore, kb: KnowledgeBase) -> None:
    url = serve_rss(site)
    async with site_fetcher() as fetcher:
        await add_feed(store, fetcher, url, None, T0)
        await poll_feeds(store, fetcher, kb, T0)
        (second,) = await poll_feeds(store, fetcher, kb, T0 + dt.timedelta(hours=1))
    assert second.not_modified and second.items == ()
    conditional = site.requests_to("/feeds/tech.xml")[-1]
    assert conditional["If-None-Match"] == site.feeds["tech"].etag
    assert conditional["If-Modified-Since"] == site.feeds["tech"].last_modified


async def test_items_already_seen_or_dismissed_are_never_new_again(
        site: Site, db_path: Path, kb: KnowledgeBase) -> None:
    url = serve_rss(site)
    async with open_database(sqlite_url(db_path)) as db, site_fetcher() as fetcher:
        store = FeedStore(db)
        await add_feed(store, fetcher, url, None, T0)
        (first,) = await poll_feeds(store, fetcher, kb, T0)
        await store.set_status(first.items[1].key, "dismissed", T0)
        await store.set_status(first.items[0].key, "drafted", T0)
    # a restart, and a feed that changed (so no 304): the old items come again
    site.feeds["tech"] = ServedFeed(rss("TheTechPortal", [
        Item(site.url("pages/new-story.html"), "A New Story", "Tue, 10 Mar 2026 08:00:00 GMT"),
        *news_items(site)]), "application/rss+xml")
    async with open_database(sqlite_url(db_path)) as db, site_fetcher() as fetcher:
        (again,) = await poll_feeds(FeedStore(db), fetcher, kb, T0 + dt.timedelta(hours=1))
    assert [i.status for i in again.items] == ["new", "drafted", "dismissed", "known"]


async def test_atom_feeds_work_the_same(
        site: Site, store: FeedStore, kb: KnowledgeBase) -> None:
    items = [Item(site.page(TECHPORTAL), "OpenAI Robotics Chief Departs Over Pentagon "
                  "Partnership", "2026-03-09T08:30:00Z")]
    site.feeds["atom"] = ServedFeed(atom("Tech Atom", items), "application/atom+xml")
    async with site_fetcher() as fetcher:
        feed = await add_feed(store, fetcher, site.feed("atom"), None, T0)
        (poll,) = await poll_feeds(store, fetcher, kb, T0)
    assert feed.title == "Tech Atom"
    assert [(i.url, i.status, i.published) for i in poll.items] == [
        (site.page(TECHPORTAL), "new", "2026-03-09")]


async def test_the_same_story_in_two_feeds_is_one_item(
        site: Site, store: FeedStore, kb: KnowledgeBase) -> None:
    serve_rss(site, "one")
    serve_rss(site, "two")
    async with site_fetcher() as fetcher:
        await add_feed(store, fetcher, site.feed("one"), None, T0)
        await add_feed(store, fetcher, site.feed("two"), None, T0)
        one, two = await poll_feeds(store, fetcher, kb, T0)
    assert [i.status for i in one.items] == ["new", "new", "known"]
    assert [i.status for i in two.items] == ["seen", "seen", "known"]
    assert await store.count_pending() == 2


async def test_a_failing_feed_is_flagged_for_one_report(
        site: Site, store: FeedStore, kb: KnowledgeBase) -> None:
    url = serve_rss(site)
    async with site_fetcher() as fetcher:
        feed = await add_feed(store, fetcher, url, None, T0)
        site.broken.add("tech")
        flags = []
        for hour in range(FAILURE_REPORT_AFTER + 2):
            (poll,) = await poll_feeds(store, fetcher, kb, T0 + dt.timedelta(hours=hour))
            assert poll.error is not None and "HTTP 500" in poll.error
            flags.append(poll.report_failure)
            if poll.report_failure:
                await store.mark_failure_reported(feed.id, T0)
        assert flags == [False, False, True, False, False]
        site.broken.clear()
        (ok,) = await poll_feeds(store, fetcher, kb, T0 + dt.timedelta(days=1))
        assert ok.error is None
        site.broken.add("tech")
        reports = []
        for hour in range(FAILURE_REPORT_AFTER):
            (poll,) = await poll_feeds(store, fetcher, kb, T0 + dt.timedelta(days=2, hours=hour))
            reports.append(poll.report_failure)
    assert reports == [False, False, True]  # working again resets it: a new outage is news


async def test_a_link_that_is_not_a_feed_cannot_be_added(
        site: Site, store: FeedStore) -> None:
    async with site_fetcher() as fetcher:
        with pytest.raises(LinkError, match="not an RSS or Atom feed"):
            await add_feed(store, fetcher, site.page(TECHPORTAL), None, T0)
        with pytest.raises(LinkError, match="answered HTTP 404"):
            await add_feed(store, fetcher, site.feed("nothing-here"), None, T0)
    assert await store.all() == []


async def test_a_feed_cannot_be_added_twice_under_another_spelling(
        site: Site, store: FeedStore) -> None:
    url = serve_rss(site)
    async with site_fetcher() as fetcher:
        await add_feed(store, fetcher, url, None, T0)
        with pytest.raises(FeedExists):
            await add_feed(store, fetcher, url + "?utm_source=x", None, T0)


def test_entries_without_a_web_link_are_skipped() -> None:
    body = rss("Mixed", [Item("mailto:news@example.com", "Write to us", "Mon, 09 Mar 2026"),
                         Item("https://news.example/a", "", "not a date")]).encode()
    parsed = parse_feed(body, "https://news.example/feed.xml")
    assert [(e.link, e.title, e.published) for e in parsed.entries] == [
        ("https://news.example/a", "https://news.example/a", None)]
