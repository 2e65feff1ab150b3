"""``labwire kb draft``, ``labwire kb feed add|list|remove|poll`` and the freshness part of
``labwire kb stats``: keeping the knowledge current from a terminal (issue 14).

Thin over :mod:`bot.drafts` and :mod:`bot.feeds`; every failure is one line on
stderr and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.clock import utc_now
from bot.drafts.document import render_draft
from bot.drafts.errors import LinkError
from bot.drafts.freshness import bar_chart_lines, knowledge_freshness
from bot.drafts.guard import AddressGuard
from bot.drafts.store import DraftStore
from bot.feeds.store import Feed, FeedExists, FeedStore
from bot.knowledge import KnowledgeBase
from bot.settings import Settings
from bot.storage import parse_database_url
from bot.terminal.common import (
    Command,
    add_database_arg,
    add_knowledge_arg,
    database_from,
    load_or_report,
    subcommands_of,
)
from bot.terminal.database import UnusableDatabaseError, opened
from bot.wording import plural

if TYPE_CHECKING:  # the fetcher brings aiohttp: imported by the commands that fetch
    from bot.drafts.fetch import Fetcher
    from bot.feeds.poll import FeedPoll

T = TypeVar("T")


def register(sub: Any) -> None:
    kb_sub = subcommands_of(sub.choices["kb"])
    _register_draft(kb_sub)
    _register_feed(kb_sub)
    # `kb stats` (bot/terminal/kb.py) gains the freshness lines and a --db option.
    stats = kb_sub.choices["stats"]
    _add_db_arg(stats)
    stats.set_defaults(func=_with_freshness(stats.get_default("func")))


def _register_draft(kb_sub: Any) -> None:
    draft = kb_sub.add_parser("draft", help="draft an article entry from a link (prints YAML)")
    draft.add_argument("url", help="the story's http(s) link")
    where = draft.add_mutually_exclusive_group()
    where.add_argument("--out", type=Path, default=None, metavar="FILE",
                       help="write the draft to FILE instead of printing it")
    where.add_argument("--save", action="store_true",
                       help="keep it in <knowledge>/drafts/ for moderators (/kb drafts)")
    add_knowledge_arg(draft)
    draft.set_defaults(func=cmd_draft)


def _register_feed(kb_sub: Any) -> None:
    feed = kb_sub.add_parser("feed", help="follow news feeds: add, list, remove, poll")
    feed_sub = feed.add_subparsers(dest="feed_command", metavar="SUBCOMMAND", required=True)
    add = feed_sub.add_parser("add", help="follow an RSS or Atom feed")
    add.add_argument("url", help="the feed's http(s) address (RSS or Atom)")
    add.set_defaults(func=cmd_feed_add)
    listing = feed_sub.add_parser("list", help="the feeds followed, with their state")
    listing.add_argument("--json", action="store_true", help="one JSON object per feed")
    listing.set_defaults(func=cmd_feed_list)
    remove = feed_sub.add_parser("remove", help="stop following a feed (by number or URL)")
    remove.add_argument("feed", metavar="ID|URL",
                        help="the feed's number or address, as labwire kb feed list shows them")
    remove.set_defaults(func=cmd_feed_remove)
    poll = feed_sub.add_parser("poll", help="poll feeds now and list their items")
    poll.add_argument("--json", action="store_true",
                      help="one JSON object per item: url, title, published, feed, status")
    poll.add_argument("--feed", type=int, action="append", default=None, metavar="ID",
                      help="only this feed (repeatable)")
    add_knowledge_arg(poll)
    poll.set_defaults(func=cmd_feed_poll)
    for parser in (add, listing, remove, poll):
        _add_db_arg(parser)


def _add_db_arg(parser: argparse.ArgumentParser) -> None:
    add_database_arg(parser)


def _quiet_library_logs() -> None:
    """These commands report every problem themselves, in one line; without this,
    Python's last-resort handler would print the core's warnings to stderr too."""
    logging.getLogger("bot").addHandler(logging.NullHandler())


def _fail(message: str, code: int = 1) -> int:
    print(f"labwire: {message}", file=sys.stderr)
    return code


def _fetcher(settings: Settings) -> Fetcher:
    from bot.drafts.fetch import Fetcher

    return Fetcher(AddressGuard(allow_private=settings.fetch_allow_private))


def _now() -> dt.datetime:
    return utc_now()


# -- kb draft ---------------------------------------------------------------------------


def cmd_draft(args: argparse.Namespace, settings: Settings) -> int:
    _quiet_library_logs()
    directory: Path = args.knowledge or settings.knowledge_dir
    kb = load_or_report(directory)
    if kb is None:
        return 1
    store = DraftStore(directory)

    from bot.drafts.service import draft_from_url

    async def run() -> str:
        async with _fetcher(settings) as fetcher:
            draft = await draft_from_url(args.url, kb, fetcher, now=_now(),
                                         taken_ids=store.ids())
        if args.save:
            path = await asyncio.to_thread(store.save_new, draft)
            return f"saved draft {draft.id} to {path}\n"
        return render_draft(draft)

    try:
        output = asyncio.run(run())
    except LinkError as exc:
        return _fail(f"cannot draft from {args.url[:200]}: {exc}")
    if args.out is not None:
        try:
            args.out.write_text(output, encoding="utf-8")
        except OSError as exc:
            return _fail(f"cannot write {args.out}: {exc.strerror or exc}")
        print(f"wrote the draft to {args.out}")
        return 0
    sys.stdout.write(output)
    return 0


# -- kb feed ------------------------------------------------------------------------------


class DatabaseUnavailable(Exception):  # noqa: N818 - reads as a sentence
    """The database cannot be opened or written; one line for the user."""


def _database_trouble_in_one_line(command: Command) -> Command:
    @functools.wraps(command)
    def run(args: argparse.Namespace, settings: Settings) -> int:
        try:
            return command(args, settings)
        except DatabaseUnavailable as exc:
            return _fail(str(exc))

    return run


def _with_store(
    args: argparse.Namespace, settings: Settings,
    work: Callable[[FeedStore], Awaitable[T]], *, create: bool,
) -> T | None:
    """Run ``work`` with the feed store; None (and a line on stderr) when there is no DB."""
    database = database_from(args.db, settings)
    path = _sqlite_file(database)
    if not create and path is not None and not path.is_file():
        print(f"labwire: no database at {path}, so no feeds yet "
              "(set LABWIRE_DATABASE_URL or LABWIRE_DB, or pass --db)", file=sys.stderr)
        return None

    async def run() -> T:
        async with opened(database, create=create) as db:
            return await work(FeedStore(db))

    try:
        return asyncio.run(run())
    except UnusableDatabaseError as exc:
        raise DatabaseUnavailable(str(exc)) from None


def _sqlite_file(database: str) -> Path | None:
    try:
        return parse_database_url(database).path
    except ValueError:
        return None


@_database_trouble_in_one_line
def cmd_feed_add(args: argparse.Namespace, settings: Settings) -> int:
    _quiet_library_logs()

    from bot.feeds.poll import add_feed

    async def work(store: FeedStore) -> Feed:
        async with _fetcher(settings) as fetcher:
            return await add_feed(store, fetcher, args.url, None, _now())

    try:
        feed = _with_store(args, settings, work, create=True)
    except FeedExists as exc:
        return _fail(f"{exc}: {exc.feed.url}")
    except LinkError as exc:
        return _fail(f"cannot follow {args.url[:200]}: {exc}")
    assert feed is not None
    print(f"following feed #{feed.id}: {feed.name}")
    return 0


def _feed_json(feed: Feed, pending: int) -> dict[str, Any]:
    def when(moment: dt.datetime | None) -> str | None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None

    return {"id": feed.id, "url": feed.url, "title": feed.title, "added": when(feed.added_at),
            "last_polled": when(feed.last_polled_at), "last_ok": when(feed.last_ok_at),
            "failures": feed.failures, "last_error": feed.last_error, "items_waiting": pending}


@_database_trouble_in_one_line
def cmd_feed_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(store: FeedStore) -> tuple[list[Feed], dict[int | None, int]]:
        return await store.all(), await store.pending_by_feed()

    found = _with_store(args, settings, work, create=False)
    feeds, pending = found if found is not None else ([], {})
    if args.json:
        for feed in feeds:
            print(json.dumps(_feed_json(feed, pending.get(feed.id, 0)), ensure_ascii=False))
        return 0
    if not feeds:
        print("No feeds followed. Add one with: labwire kb feed add URL")
        return 0
    for feed in feeds:
        polled = f"polled {feed.last_polled_at:%Y-%m-%d %H:%M}" if feed.last_polled_at \
            else "never polled"
        failing = f", failing {feed.failures}x: {feed.last_error}" if feed.failures else ""
        print(f"#{feed.id}  {feed.name}\n     {feed.url}\n     {polled}, "
              f"{plural(pending.get(feed.id, 0), 'item')} waiting{failing}")
    return 0


@_database_trouble_in_one_line
def cmd_feed_remove(args: argparse.Namespace, settings: Settings) -> int:
    wanted: str = args.feed.strip()

    async def work(store: FeedStore) -> Feed | None:
        feeds = await store.all()
        feed = next((f for f in feeds if str(f.id) == wanted.lstrip("#") or f.url == wanted),
                    None)
        if feed is not None:
            await store.remove(feed.id)
        return feed

    removed = _with_store(args, settings, work, create=False)
    if removed is None:
        return _fail(f"no feed '{wanted[:200]}' (see labwire kb feed list)")
    print(f"stopped following feed #{removed.id}: {removed.name}")
    return 0


@_database_trouble_in_one_line
def cmd_feed_poll(args: argparse.Namespace, settings: Settings) -> int:
    _quiet_library_logs()
    kb = load_or_report(args.knowledge or settings.knowledge_dir)
    if kb is None:
        return 1

    from bot.feeds.poll import poll_feeds

    async def work(store: FeedStore) -> list[FeedPoll]:
        async with _fetcher(settings) as fetcher:
            return await poll_feeds(store, fetcher, kb, _now(), args.feed)

    polls = _with_store(args, settings, work, create=False) or []
    return _print_polls(polls, args.json)


def _print_polls(polls: list[FeedPoll], as_json: bool) -> int:
    failed = 0
    for poll in polls:
        if poll.error is not None:
            failed += 1
            print(f"labwire: feed #{poll.feed.id} {poll.feed.url}: {poll.error} "
                  f"({plural(poll.feed.failures, 'failure')} in a row)", file=sys.stderr)
            continue
        for item in poll.items:
            if as_json:
                print(json.dumps(item.as_json(), ensure_ascii=False))
            else:
                print(f"{item.status:9}  {item.published or '          '}  {item.title}\n"
                      f"{'':9}  {'':10}  {item.url}")
    if not as_json:
        new = sum(len(p.new_items) for p in polls)
        unchanged = sum(p.not_modified for p in polls)
        print(f"{plural(new, 'new item')} from {plural(len(polls), 'feed')}"
              + (f"; {unchanged} unchanged since the last poll" if unchanged else "")
              + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0


# -- kb stats --------------------------------------------------------------------------


def _with_freshness(original: Command) -> Command:
    def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
        code = original(args, settings)
        if code != 0:
            return code
        directory: Path = args.directory or settings.knowledge_dir
        kb = load_or_report(directory)
        if kb is None:
            return 1
        database = database_from(args.db, settings)
        print("\n".join(freshness_lines(kb, directory, database, _now().date())))
        return 0

    return cmd_stats


def freshness_lines(
    kb: KnowledgeBase, directory: Path, database: str, today: dt.date
) -> list[str]:
    """The staleness part of ``labwire kb stats``."""
    fresh = knowledge_freshness(kb, today)
    if fresh.newest_date is None:
        newest = "Newest story: none with a date"
    else:
        newest = (f"Newest story: {fresh.newest_date} ({_age(fresh.age_days)}) "
                  f"{fresh.newest_title}")
    lines = ["", newest, "Stories per month (last 12 months):"]
    lines += [f"  {line}" for line in bar_chart_lines(fresh.per_month)]
    if fresh.undated:
        lines.append(f"  ({fresh.undated} undated)")
    lines.append(f"Drafts waiting: {DraftStore(directory).count()}")
    lines.append(f"Feed items waiting: {_feed_items_waiting(database)}")
    return lines


def _age(days: int | None) -> str:
    if days is None:
        return "age unknown"
    if days < 0:
        return f"in {plural(-days, 'day')}"
    return "today" if days == 0 else f"{plural(days, 'day')} ago"


def _feed_items_waiting(database: str) -> str:
    path = _sqlite_file(database)
    if path is not None and not path.is_file():
        return f"0 (no database at {path})"

    async def run() -> int:
        async with opened(database, create=False) as db:
            return await FeedStore(db).count_pending()

    try:
        return str(asyncio.run(run()))
    except UnusableDatabaseError as exc:
        return f"unknown ({exc})"
