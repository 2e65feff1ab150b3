"""The ``labwire`` command: a thin dispatcher over the terminal adapters in ``bot.terminal``.

Settings are read once here (:func:`bot.settings.load_settings`), every problem
reported in one go, and passed to the subcommand as ``func(args, settings)``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import __version__
from bot.settings import Settings, SettingsError, load_environment, load_settings
from bot.terminal.common import EXIT_INTERRUPTED, command_name
from bot.terminal.database import UnusableDatabaseError
from bot.terminal.run import EXIT_CONFIG, EXIT_FAILED, add_env_file_arg

# Each module defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES = (
    "bot.terminal.kb",
    "bot.terminal.risk",
    "bot.terminal.ask",
    "bot.terminal.ops",
    "bot.terminal.db",  # extends `labwire db` from ops
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
    add_env_file_arg(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def read_settings(args: argparse.Namespace) -> Settings | None:
    """The settings for this run; on problems print each one and return None."""
    for_bot = bool(getattr(args, "for_bot", False))
    try:
        env, warnings = load_environment(args.env_file)
        for warning in warnings:
            print(f"labwire {command_name(args)}: warning: {warning}", file=sys.stderr)
        return load_settings(env, for_bot=for_bot)
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"labwire {command_name(args)}: {problem}", file=sys.stderr)
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    settings = read_settings(args)
    if settings is None:
        # `labwire health` exits 1 on any failure: Docker reserves 2 for health checks.
        return int(getattr(args, "exit_on_bad_settings", EXIT_CONFIG))
    try:
        return int(args.func(args, settings) or 0)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `labwire kb export | head`
        return 0
    except UnusableDatabaseError as exc:
        print(f"labwire {command_name(args)}: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
