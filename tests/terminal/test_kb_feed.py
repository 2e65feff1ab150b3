"""``labwire kb feed add|list|remove|poll`` and the freshness part of ``labwire kb stats``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from tests.drafts.site import TECHPORTAL, THENEWS, Item, ServedFeed, Site, rss
from tests.fake_discord.sample_kb import KALINOWSKI_ARTICLE
from tests.terminal.conftest import Labwire

ALLOW = {"LABWIRE_FETCH_ALLOW_PRIVATE": "1"}


def serve(site: Site, extra: list[Item] | None = None) -> str:
    items = [
        *(extra or []),
        Item(site.page(TECHPORTAL), "OpenAI Robotics Chief Departs Over Pentagon Partnership",
             "Mon, 09 Mar 2026 08:30:00 +0000"),
        Item(site.page(THENEWS), "'World is in peril': Anthropic AI safety researcher resigns",
             "Wed, 11 Feb 2026 07:00:00 +0000"),
        Item(f"https://www.example-news.com/blog/{KALINOWSKI_ARTICLE}/",
             "OpenAI's Robotics Lead Quits Over Pentagon Deal", "Sat, 07 Mar 2026 12:00:00 GMT"),
    ]
    site.feeds["tech"] = ServedFeed(rss("TheTechPortal", items), "application/rss+xml")
    return site.feed("tech")


def objects(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


async def test_polling_reports_new_and_known_items_and_then_nothing_new(
        site: Site, labwire: Labwire) -> None:
    url = serve(site)
    added = await labwire("kb", "feed", "add", url, env=ALLOW)
    assert added.code == 0 and added.stdout == "following feed #1: TheTechPortal\n"

    first = await labwire("kb", "feed", "poll", "--json", env=ALLOW)
    assert first.code == 0, first.stderr
    assert objects(first.stdout) == [
        {"url": site.page(TECHPORTAL), "title": "OpenAI Robotics Chief Departs Over Pentagon "
         "Partnership", "published": "2026-03-09", "feed": url, "status": "new"},
        {"url": site.page(THENEWS), "title": "'World is in peril': Anthropic AI safety "
         "researcher resigns", "published": "2026-02-11", "feed": url, "status": "new"},
        {"url": f"https://www.example-news.com/blog/{KALINOWSKI_ARTICLE}/",
         "title": "OpenAI's Robotics Lead Quits Over Pentagon Deal", "published": "2026-03-07",
         "feed": url, "status": "known"},
    ]
    second = await labwire("kb", "feed", "poll", "--json", env=ALLOW)
    assert second.code == 0 and objects(second.stdout) == []  # 304: nothing new

    serve(site, [Item(site.url("pages/another.html"), "Another Story",
                      "Tue, 10 Mar 2026 09:00:00 GMT")])
    third = await labwire("kb", "feed", "poll", "--json", env=ALLOW)
    assert [(o["title"], o["status"]) for o in objects(third.stdout)] == [
        ("Another Story", "new"),
        ("OpenAI Robotics Chief Departs Over Pentagon Partnership", "seen"),
        ("'World is in peril': Anthropic AI safety researcher resigns", "seen"),
        ("OpenAI's Robotics Lead Quits Over Pentagon Deal", "known"),
    ]


async def test_readable_poll_output_ends_with_a_count(site: Site, labwire: Labwire) -> None:
    await labwire("kb", "feed", "add", serve(site), env=ALLOW)
    ran = await labwire("kb", "feed", "poll", env=ALLOW)
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("new        2026-03-09  OpenAI Robotics Chief Departs")
    assert lines[-1] == "2 new items from 1 feed"
    again = await labwire("kb", "feed", "poll", env=ALLOW)
    assert again.stdout.splitlines() == [
        "0 new items from 1 feed; 1 unchanged since the last poll"]


async def test_feeds_are_listed_and_removed(site: Site, labwire: Labwire) -> None:
    url = serve(site)
    await labwire("kb", "feed", "add", url, env=ALLOW)
    await labwire("kb", "feed", "poll", env=ALLOW)
    listed = await labwire("kb", "feed", "list", "--json")
    (feed,) = objects(listed.stdout)
    assert (feed["id"], feed["url"], feed["title"], feed["items_waiting"]) \
        == (1, url, "TheTechPortal", 2)
    again = await labwire("kb", "feed", "add", url, env=ALLOW)
    assert again.code == 1
    assert again.error_lines == [f"labwire: that feed is already followed (#1): {url}"]
    removed = await labwire("kb", "feed", "remove", "1")
    assert removed.stdout == "stopped following feed #1: TheTechPortal\n"
    assert (await labwire("kb", "feed", "list")).stdout.startswith("No feeds followed.")
    missing = await labwire("kb", "feed", "remove", "1")
    assert missing.code == 1 and len(missing.error_lines) == 1


async def test_a_failing_feed_is_one_line_and_a_failing_exit_code(
        site: Site, labwire: Labwire) -> None:
    url = serve(site)
    await labwire("kb", "feed", "add", url, env=ALLOW)
    site.broken.add("tech")
    ran = await labwire("kb", "feed", "poll", "--json", env=ALLOW)
    assert ran.code == 1 and ran.stdout == ""
    assert ran.error_lines == [f"labwire: feed #1 {url}: 127.0.0.1 answered HTTP 500 for {url} "
                               "(1 failure in a row)"]


async def test_adding_something_that_is_not_a_feed_is_refused(
        site: Site, labwire: Labwire) -> None:
    ran = await labwire("kb", "feed", "add", site.page(TECHPORTAL), env=ALLOW)
    assert ran.code == 1
    assert ran.error_lines == [f"labwire: cannot follow {site.page(TECHPORTAL)}: the link is "
                               "not an RSS or Atom feed"]
    refused = await labwire("kb", "feed", "add", site.feed("tech"))
    assert refused.code == 1 and "loopback" in refused.error_lines[0]


async def test_stats_show_how_current_the_knowledge_is(
        site: Site, labwire: Labwire, workdir: Path) -> None:
    today = dt.datetime.now(dt.UTC).date()
    recent = today - dt.timedelta(days=3)
    article = workdir / "knowledge" / "articles" / f"{KALINOWSKI_ARTICLE}.yaml"
    data = yaml.safe_load(article.read_text(encoding="utf-8"))
    data["published"] = recent.isoformat()
    article.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    await labwire("kb", "feed", "add", serve(site), env=ALLOW)
    await labwire("kb", "feed", "poll", env=ALLOW)

    ran = await labwire("kb", "stats")
    lines = ran.stdout.splitlines()
    assert ran.code == 0
    assert (f"Newest story: {recent.isoformat()} (3 days ago) OpenAI's Robotics Lead Quits "
            "Over Pentagon Deal") in lines
    months = lines[lines.index("Stories per month (last 12 months):") + 1:][:12]
    assert len(months) == 12
    assert months[-1].startswith(f"  {today:%Y-%m}")
    assert any(line.startswith(f"  {recent:%Y-%m}") and line.endswith(" 1") for line in months)
    assert "Drafts waiting: 0" in lines
    assert "Feed items waiting: 2" in lines


async def test_a_database_that_cannot_be_used_is_one_line(
        labwire: Labwire, workdir: Path) -> None:
    broken = workdir / "broken.sqlite3"
    broken.write_text("this is not a database", encoding="utf-8")
    ran = await labwire("kb", "feed", "list", "--db", str(broken))
    assert ran.code == 1
    assert ran.error_lines == [f"labwire: {broken} is not an SQLite database; point --db or "
                               "LABWIRE_DB at Labwire's database file (or at a new file name)"]
    stats = await labwire("kb", "stats", "--db", str(broken))
    assert stats.code == 0
    assert (f"Feed items waiting: unknown ({broken} is not an SQLite database; point --db or "
            "LABWIRE_DB at Labwire's database file (or at a new file name))"
            in stats.stdout.splitlines())
