"""The ``labwire`` command: a thin dispatcher over the terminal adapters in ``bot.terminal``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import __version__

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES = (
    "bot.terminal.kb",
    "bot.terminal.risk",
    "bot.terminal.ask",
    "bot.terminal.ops",
    "bot.terminal.run",
    "bot.terminal.moderation",
    "bot.terminal.drafts",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labwire",
        description="Labwire: AI-lab news answers and the 'Will AI replace your job?' quiz.",
    )
    parser.add_argument("--version", action="version", version=f"labwire {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `labwire kb export | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
