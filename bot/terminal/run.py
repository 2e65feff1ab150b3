"""``labwire run``: start the Discord bot.

Settings come from the environment and an optional ``.env`` file
(:mod:`bot.settings`); every problem is reported at once, before anything
connects.  SIGTERM or SIGINT (Ctrl-C, ``docker stop``) shut down gracefully:
new interactions are refused, in-flight ones get up to 10 s to finish, then the
gateway and the database are closed and the exit code is 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bot.settings import Settings, shard_count, shard_ids, shard_problems

T = TypeVar("T")
EXIT_CONFIG = 2
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the Discord bot",
        description=(
            "Start the Discord bot. Settings come from the environment and an optional .env "
            "file (every one is listed in .env.example); DISCORD_TOKEN is required. See the "
            "README, 'Run it in your Discord server'."
        ),
    )
    add_env_file_arg(parser, here=False)
    parser.add_argument("--watch", action="store_true",
                        help="reload the knowledge base when its files change (same as "
                             "LABWIRE_WATCH=1; only a valid version is ever swapped in)")
    parser.add_argument("--shard-ids", type=_argument(shard_ids), default=None, metavar="IDS",
                        help="run only these shards, e.g. 0-1 (same as LABWIRE_SHARD_IDS; "
                             "with --shard-count)")
    parser.add_argument("--shard-count", type=_argument(shard_count), default=None,
                        metavar="N", help="shards in the whole deployment (same as "
                                          "LABWIRE_SHARD_COUNT)")
    parser.set_defaults(func=run_command, for_bot=True)


def _argument(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A settings parser as an argparse type (its message becomes the usage error)."""
    def convert(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_env_file_arg(parser: argparse.ArgumentParser, *, here: bool = True) -> None:
    """``--env-file``: on ``labwire`` itself, and on ``labwire run`` where people look for it."""
    parser.add_argument("--env-file", type=Path, metavar="PATH",
                        default=None if here else argparse.SUPPRESS,
                        help="read settings from this file too (default: ./.env; the "
                             "environment wins)")


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    if args.shard_ids is not None or args.shard_count is not None:
        settings = dataclasses.replace(
            settings, shard_ids=settings.shard_ids if args.shard_ids is None else args.shard_ids,
            shard_count=args.shard_count or settings.shard_count)
        problems = shard_problems(settings)
        if problems:
            print(f"labwire run: {problems[0]}", file=sys.stderr)
            return EXIT_CONFIG
    # Imported here: discord.py and the bot load only when the bot runs, so every other
    # command starts faster.
    from bot.terminal.serve import start

    return start(settings, watch=args.watch)
