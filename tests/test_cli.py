"""``labwire --help`` and every subcommand's help: each positional argument is explained.

Issue 11 item 15: a positional argument has help text, and one that may be left
out says what is used then ("default: ...").
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from bot.cli import build_parser


def positionals(parser: argparse.ArgumentParser,
                name: str = "labwire") -> Iterator[tuple[str, argparse.Action]]:
    for action in parser._actions:  # argparse has no public accessor for its actions
        if isinstance(action, argparse._SubParsersAction):
            for sub_name, sub in action.choices.items():
                yield from positionals(sub, f"{name} {sub_name}")
        elif not action.option_strings:
            yield name, action


def test_every_positional_argument_has_help_and_shows_its_default() -> None:
    found = list(positionals(build_parser()))
    assert len(found) >= 8, "the walk should reach every subcommand"
    undocumented = [f"{name} {a.dest}" for name, a in found if not a.help]
    assert not undocumented, undocumented
    optional = [(name, a) for name, a in found if a.nargs == "?"]
    silent = [f"{name} {a.dest}" for name, a in optional if "default" not in str(a.help)]
    assert not silent, f"say what is used when it is left out: {silent}"
