"""``labwire kb unanswered`` and ``labwire privacy export|forget``: moderator data in a terminal."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.clock import utc_now
from bot.moderation.insights import render_groups, render_stats, unanswered_groups, usage_stats
from bot.moderation.privacy import export_user, forget_user
from bot.settings import Settings
from bot.storage import Database
from bot.storage.moderation import InsightStore, PrivacyStore
from bot.terminal.common import (
    EXIT_CANCELLED,
    EXIT_FAILED,
    add_database_arg,
    command_name,
    database_from,
    subcommands_of,
    user_name,
)
from bot.terminal.database import UnusableDatabaseError, opened
from bot.wording import plural

USER_ID_HELP = ("a Discord user id (digits), or 'terminal' for what labwire chat, ask and "
                "risk saved (or the name given to risk --user)")
T = TypeVar("T")


def register(sub: Any) -> None:
    kb_sub = subcommands_of(sub.choices["kb"])
    unanswered = kb_sub.add_parser(
        "unanswered", help="questions the bot could not answer, grouped, most asked first")
    unanswered.add_argument("--days", type=_positive_int, default=7,
                            help="look back this many days (default 7)")
    unanswered.add_argument("--guild", type=int, default=None, metavar="ID",
                            help="only this guild (default: every guild)")
    unanswered.add_argument("--limit", type=_positive_int, default=20,
                            help="groups to show (default 20)")
    _add_db_arg(unanswered)
    unanswered.set_defaults(func=cmd_unanswered)

    privacy = sub.add_parser("privacy", help="export or delete what is stored about a user")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", metavar="SUBCOMMAND",
                                         required=True)
    export = privacy_sub.add_parser("export", help="print everything stored about USER_ID (JSON)")
    export.add_argument("user_id", type=_user_id, metavar="USER_ID", help=USER_ID_HELP)
    _add_db_arg(export)
    export.set_defaults(func=cmd_export)
    forget = privacy_sub.add_parser(
        "forget", help="delete USER_ID's quiz results, questions and feedback")
    forget.add_argument("user_id", type=_user_id, metavar="USER_ID", help=USER_ID_HELP)
    forget.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _add_db_arg(forget)
    forget.set_defaults(func=cmd_forget)


def _add_db_arg(parser: argparse.ArgumentParser) -> None:
    add_database_arg(parser)


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("must be a whole number, at least 1")
    return int(text)


def _user_id(text: str) -> int | str:
    """A Discord user id (digits), or a terminal user's name ('terminal', or risk --user)."""
    return int(text) if text.isdigit() else user_name(text)


def _with_database(
    args: argparse.Namespace, settings: Settings, work: Callable[[Database], Awaitable[T]]
) -> T | None:
    """Run ``work`` on the existing database ``--db`` names; None after one line on stderr."""

    async def run() -> T:
        async with opened(database_from(args.db, settings), create=False) as db:
            return await work(db)

    try:
        return asyncio.run(run())
    except UnusableDatabaseError as exc:
        print(f"labwire {command_name(args)}: {exc}", file=sys.stderr)
        return None


def cmd_unanswered(args: argparse.Namespace, settings: Settings) -> int:
    since = utc_now() - dt.timedelta(days=args.days)

    async def report(db: Database) -> list[str]:
        store = InsightStore(db)
        groups = await unanswered_groups(store, since, args.guild)
        stats = await usage_stats(store, since, args.guild)
        lines = [*render_stats(stats), ""]
        if not groups:
            return [*lines, f"No unanswered questions in the last {plural(args.days, 'day')}."]
        lines.append(f"Unanswered or unsure, last {plural(args.days, 'day')}, "
                     f"{plural(len(groups), 'group')}:")
        return lines + render_groups(groups, args.limit)

    lines = _with_database(args, settings, report)
    if lines is None:
        return EXIT_FAILED
    print("\n".join(lines))
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    async def export(db: Database) -> str:
        return await export_user(PrivacyStore(db), args.user_id, utc_now())

    exported = _with_database(args, settings, export)
    if exported is None:
        return EXIT_FAILED
    print(exported)
    return 0


def _confirmed(prompt: str) -> bool:
    """A yes at the prompt; Ctrl-D is a no (Ctrl-C ends the command with 130 in bot.cli)."""
    try:
        answer = input(prompt)
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    if not args.yes:
        if not sys.stdin.isatty():
            print("refusing to delete without --yes (stdin is not a terminal)", file=sys.stderr)
            return EXIT_FAILED
        if not _confirmed(f"Delete everything stored about user {args.user_id}? [y/N] "):
            print("Nothing deleted.")
            return EXIT_CANCELLED

    async def forget(db: Database) -> str:
        return (await forget_user(PrivacyStore(db), args.user_id)).describe()

    report = _with_database(args, settings, forget)
    if report is None:
        return EXIT_FAILED
    print(report)
    return 0
