"""Helpers shared by the terminal commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.settings import Settings
from bot.wording import plural

# What a subcommand's ``func`` is: it gets the parsed arguments and the settings.
Command = Callable[[argparse.Namespace, Settings], int]


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
        print(f"{plural(len(problems), 'problem')}; fix them and try again.", file=sys.stderr)
    return kb
