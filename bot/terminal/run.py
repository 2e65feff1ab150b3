"""``labwire run``: start the Discord bot.

Settings come from the environment and an optional ``.env`` file
(:mod:`bot.settings`); every problem is reported at once, before anything
connects.  SIGTERM or SIGINT (Ctrl-C, ``docker stop``) shut down gracefully:
new interactions are refused, in-flight ones get up to 10 s to finish, then the
gateway and the database are closed and the exit code is 0.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.settings import Settings

EXIT_CONFIG = 2
EXIT_FAILED = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help="start the Discord bot",
        description=(
            "Start the Discord bot. Settings come from the environment and an optional .env "
            "file (every one is listed in .env.example); DISCORD_TOKEN is required. See the "
            "README, 'Running the Discord bot'."
        ),
    )
    add_env_file_arg(parser, here=False)
    parser.add_argument("--watch", action="store_true",
                        help="reload the knowledge base when its files change (same as "
                             "LABWIRE_WATCH=1; only a valid version is ever swapped in)")
    parser.set_defaults(func=run_command, for_bot=True)


def add_env_file_arg(parser: argparse.ArgumentParser, *, here: bool = True) -> None:
    """``--env-file``: on ``labwire`` itself, and on ``labwire run`` where people look for it."""
    parser.add_argument("--env-file", type=Path, metavar="PATH",
                        default=None if here else argparse.SUPPRESS,
                        help="read settings from this file too (default: ./.env; the "
                             "environment wins)")


def run_command(args: argparse.Namespace, settings: Settings) -> int:
    # Imported here: discord.py and the bot load only when the bot runs, so every other
    # command starts faster.
    from bot.terminal.serve import start

    return start(settings, watch=args.watch)
