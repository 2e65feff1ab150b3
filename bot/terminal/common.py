"""Helpers shared by the terminal commands."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.settings import Settings
from bot.storage.urls import sqlite_url
from bot.yamldocs.problems import count_text

# What a subcommand's ``func`` is: it gets the parsed arguments and the settings.
Command = Callable[[argparse.Namespace, Settings], int]
# Exit codes shared by every command (the README lists them).
EXIT_FAILED = 1  # something went wrong; one line on stderr says what
EXIT_CANCELLED = 1  # the user declined or quit a prompt (q, n, Ctrl-D): nothing was changed
EXIT_USAGE = 2  # bad arguments, as argparse does
EXIT_INTERRUPTED = 130  # Ctrl-C, as the shell reports it


def command_name(args: argparse.Namespace) -> str:
    """The command as typed, e.g. 'kb unanswered', for the start of an error line."""
    sub = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {sub}" if sub else str(args.command)


def fix_them(problems: list[Any]) -> str:
    """'fix it' or 'fix them', after a count of problems."""
    return "fix it" if len(problems) == 1 else "fix them"


def add_knowledge_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", "-k", type=Path, default=None, metavar="DIR",
        help="knowledge directory (default: $LABWIRE_KNOWLEDGE or ./knowledge)",
    )


def load_or_report(directory: Path) -> KnowledgeBase | None:
    """Load the knowledge base; on problems print them all to stderr and return None."""
    kb, problems = load_knowledge(directory)
    for problem in problems:
        print(problem, file=sys.stderr)
    if kb is None:
        print(f"{count_text(problems)}; {fix_them(problems)} and try again.", file=sys.stderr)
    return kb


USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


def user_name(text: str) -> str:
    """A terminal user's name (``risk --user``, ``privacy export``): one word, 1-64 characters."""
    if not USER_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"'{text}' is neither a Discord user id (digits) nor a user name (a letter or digit, "
            "then up to 63 letters, digits or . _ @ -)")
    return text


def add_database_arg(parser: argparse.ArgumentParser, purpose: str = "database") -> None:
    """``--db``: a database URL or an SQLite file; default: the configured database."""
    parser.add_argument(
        "--db", default=None, metavar="URL_OR_FILE",
        help=f"{purpose}: sqlite:///FILE, postgresql://... or an SQLite file "
             "(default: $LABWIRE_DATABASE_URL, else $LABWIRE_DB, else ./data/labwire.sqlite3)",
    )


def subcommands_of(parser: argparse.ArgumentParser) -> Any:
    """The subcommand table of a command defined elsewhere (``labwire kb``, ``labwire db``)."""
    for action in parser._actions:  # argparse has no public accessor for this
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"'{parser.prog}' has no subcommands to extend")


def database_from(db_arg: str | Path | None, settings: Settings) -> str:
    """The database a command uses, as a URL: ``--db`` (a URL or an SQLite file), else the
    configured one (LABWIRE_DATABASE_URL, else LABWIRE_DB)."""
    if db_arg is None or str(db_arg) == "":
        return settings.database
    text = str(db_arg)
    return text if "://" in text else sqlite_url(text)
