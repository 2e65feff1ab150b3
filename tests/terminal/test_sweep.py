"""The fast part of the failure sweep (``benchmarks/sweep.py``, issue 11).

Every ``labwire`` subcommand runs, in a subprocess with a 10 s limit, against the
two bad databases that used to leave a process hanging: a file that is not
SQLite, and a PostgreSQL URL whose port is closed.  Each must end in time with
no traceback.  Answers are lexical only here: a cold start of the embedding
model is not what is under test, and it shares the CPU with the rest of the suite.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from benchmarks.sweep import SURROUNDINGS, closed_port, commands, sweep, table
from bot.cli import build_parser

FAST_COLUMNS = ("db-not-sqlite", "db-unreachable")


def leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    subcommands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subcommands:
        yield " ".join(prefix)
        return
    for name, child in subcommands[0].choices.items():
        yield from leaf_commands(child, (*prefix, name))


def test_the_sweep_runs_every_subcommand() -> None:
    assert sorted(c.name for c in commands(closed_port())) == sorted(leaf_commands(build_parser()))


# The commands that open the database (the others are in the full sweep only).
DATABASE_COMMANDS = ("chat", "ask", "risk", "kb unanswered", "kb feed add", "kb feed list",
                     "kb feed remove", "kb feed poll", "db migrate", "db status", "run",
                     "privacy export", "privacy forget")
# These exit 1 with one line; chat, ask and risk carry on or report an unsaved result.
FAIL_WITH_ONE_LINE = {"kb unanswered", "kb feed list", "privacy export", "privacy forget",
                      "run", "db migrate", "db status"}


def test_no_command_hangs_or_prints_a_traceback_on_a_bad_database() -> None:
    columns = [s for s in SURROUNDINGS if s.name in FAST_COLUMNS]
    chosen = [c for c in commands(closed_port()) if c.name in DATABASE_COMMANDS]
    assert len(chosen) == len(DATABASE_COMMANDS)
    cells = sweep(chosen, columns, workers=2, extra_env={"LABWIRE_SEMANTIC": "0"})
    assert all(cell.ok for cell in cells), table(cells, columns)
    for cell in cells:
        if cell.command in FAIL_WITH_ONE_LINE:
            assert cell.returncode == 1 and cell.first_line, table(cells, columns)
