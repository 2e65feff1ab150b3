"""The failure sweep: every ``labwire`` subcommand in every bad surrounding (issue 11).

Usage::

    .venv/bin/python -m benchmarks.sweep [--workers 4] [--only db-not-sqlite,bad-arguments]

Each cell runs the real command in a subprocess from a fresh temporary folder,
with a 10 s limit, stdin closed after a few typed lines, no ``LABWIRE_*`` or
``DISCORD_*`` from the shell, and Discord pointed at a closed 127.0.0.1 port
(nothing leaves the machine).  A cell passes when the process ended within the
limit and printed no Python traceback; it shows the exit code and the first
line of stderr.  The table is printed as Markdown; the exit code is 1 if any
cell failed.  ``tests/terminal/test_sweep.py`` runs the fast part in the test suite: the
two database columns that once hung, with lexical answers only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TIME_LIMIT = 10.0
TOKEN = "sweep-token-0123456789-abcdefghijklmnopqrstuvwxyz"
QUIZ_KEYS = "1\n1\n1\n1\n"


@dataclass(frozen=True)
class Command:
    """One subcommand, run as a user would in an otherwise good setting."""

    name: str
    args: tuple[str, ...]
    stdin: str = ""
    bad_args: tuple[str, ...] = ()  # replaces ``args`` in the bad-arguments column
    bad_path: tuple[str, ...] = ()  # replaces ``args`` in the bad-paths column


def commands(port: int) -> list[Command]:
    """Every leaf subcommand of ``labwire`` (``tests/terminal/test_sweep.py`` checks that none
    is missing); ``port`` is a closed 127.0.0.1 port for the URLs they are given."""
    closed = f"http://127.0.0.1:{port}"
    return [
        Command("chat", (), stdin=f"who is jan leike\n/risk\n{QUIZ_KEYS}/quit\n",
                bad_args=("--knowledge",), bad_path=("--knowledge", "no-such-dir")),
        Command("ask", ("who is jan leike",), bad_args=("--jsn", "x"),
                bad_path=("--knowledge", "no-such-dir", "who is jan leike")),
        Command("risk", ("-a", "stack=1", "-a", "career=1", "-a", "work=1", "-a", "ai=1"),
                bad_args=("-a", "stack"), bad_path=("--db", ".", "-a", "stack=1", "-a",
                                                    "career=1", "-a", "work=1", "-a", "ai=1")),
        Command("kb validate", (), bad_args=("a", "b"), bad_path=("no-such-dir",)),
        Command("kb stats", (), bad_args=("--days",), bad_path=("no-such-dir",)),
        Command("kb export", (), bad_args=("--yaml",), bad_path=("no-such-dir",)),
        Command("kb schema", (), bad_args=("persons",), bad_path=("--write", "a-file")),
        Command("kb unanswered", (), bad_args=("--days", "abc"),
                bad_path=("--db", "no-such.sqlite3")),
        Command("kb draft", (f"{closed}/story",), bad_args=("not a url",),
                bad_path=(f"{closed}/story", "--out", "a-file/x.yaml")),
        Command("kb feed add", (f"{closed}/feed.xml",), bad_args=("ftp://x/feed",),
                bad_path=(f"{closed}/feed.xml", "--db", "a-file/x.sqlite3")),
        Command("kb feed list", (), bad_args=("--jsn",), bad_path=("--db", "no-such.sqlite3")),
        Command("kb feed remove", ("1",), bad_args=(), bad_path=("1", "--db", "no-such.sqlite3")),
        Command("kb feed poll", (), bad_args=("--feed", "abc"),
                bad_path=("--db", "no-such.sqlite3")),
        Command("health", (), bad_args=("--max-age", "soon"), bad_path=("--heartbeat", ".")),
        Command("db backup", ("backup.sqlite3",), bad_args=(),
                bad_path=("a-file/backup.sqlite3",)),
        Command("db restore", ("backup.sqlite3",), bad_args=("--force", "--force=1"),
                bad_path=(".",)),
        Command("db migrate", (), bad_args=("--db", "sqlite://x"),
                bad_path=("--db", "a-file/x.sqlite3")),
        Command("db status", (), bad_args=("--db", "mysql://db/x"),
                bad_path=("--db", "no-such.sqlite3")),
        Command("run", (), bad_args=("--watch=1",), bad_path=("--env-file", ".")),
        Command("privacy export", ("123456789012345678",), bad_args=("not a user",),
                bad_path=("123456789012345678", "--db", "no-such.sqlite3")),
        Command("privacy forget", ("123456789012345678", "--yes"), bad_args=("--yes",),
                bad_path=("123456789012345678", "--yes", "--db", ".")),
    ]


# Changes the working folder and the environment; gets a closed 127.0.0.1 port.
Prepare = Callable[[Path, dict[str, str], int], None]


@dataclass(frozen=True)
class Surrounding:
    """A bad setting around the command: changes to the folder and the environment."""

    name: str
    what: str
    prepare: Prepare = field(default=lambda folder, env, port: None)


def _not_sqlite(folder: Path, env: dict[str, str], port: int) -> None:
    (folder / "notes.sqlite3").write_text("my notes, not a database\n", encoding="utf-8")
    env["LABWIRE_DB"] = "notes.sqlite3"


def _uncreatable(folder: Path, env: dict[str, str], port: int) -> None:
    env["LABWIRE_DB"] = str(folder / "a-file" / "data" / "labwire.sqlite3")


def _db_is_folder(folder: Path, env: dict[str, str], port: int) -> None:
    (folder / "db-folder").mkdir()
    env["LABWIRE_DB"] = "db-folder"


def _postgresql_unreachable(folder: Path, env: dict[str, str], port: int) -> None:
    env["LABWIRE_DATABASE_URL"] = f"postgresql://labwire@127.0.0.1:{port}/labwire"


def _knowledge_missing(folder: Path, env: dict[str, str], port: int) -> None:
    env["LABWIRE_KNOWLEDGE"] = str(folder / "no-such-knowledge")


def _knowledge_broken(folder: Path, env: dict[str, str], port: int) -> None:
    person = Path(env["LABWIRE_KNOWLEDGE"]) / "people" / "jan-leike.yaml"
    person.write_text("id: jan-leike\nname: [Jan\n", encoding="utf-8")


def _bad_settings(folder: Path, env: dict[str, str], port: int) -> None:
    env.update(LABWIRE_RETENTION_DAYS="soon", LABWIRE_LOG_LEVEL="LOUD")


SURROUNDINGS = [
    Surrounding("good", "a good setting (Discord still unreachable: nothing leaves the "
                        "machine)"),
    Surrounding("db-not-sqlite", "LABWIRE_DB is a text file", _not_sqlite),
    Surrounding("db-uncreatable", "LABWIRE_DB's folder cannot be created", _uncreatable),
    Surrounding("db-is-folder", "LABWIRE_DB is a folder", _db_is_folder),
    Surrounding("db-unreachable", "LABWIRE_DATABASE_URL is PostgreSQL on a closed "
                                  "127.0.0.1 port", _postgresql_unreachable),
    Surrounding("knowledge-missing", "LABWIRE_KNOWLEDGE does not exist", _knowledge_missing),
    Surrounding("knowledge-broken", "a person file does not parse", _knowledge_broken),
    Surrounding("bad-settings", "LABWIRE_RETENTION_DAYS=soon, LABWIRE_LOG_LEVEL=LOUD",
                _bad_settings),
    Surrounding("bad-paths", "path arguments that are missing, folders or under a file"),
    Surrounding("bad-arguments", "wrong options and values"),
    Surrounding("env-file-missing", "--env-file missing.env"),
]


@dataclass(frozen=True)
class Cell:
    command: str
    surrounding: str
    returncode: int | None  # None: killed at the time limit
    first_line: str
    traceback: bool

    @property
    def ok(self) -> bool:
        return self.returncode is not None and not self.traceback

    def text(self) -> str:
        if self.returncode is None:
            return f"**HUNG** (killed after 10 s; {self.first_line})"
        shown = self.first_line.replace("|", "\\|")
        shown = shown if len(shown) <= 70 else shown[:69] + "…"
        mark = " **TRACEBACK**" if self.traceback else ""
        return f"{self.returncode}{mark}" + (f": {shown}" if shown else "")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _environment(folder: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
    env.update(PYTHONPATH=str(REPO), DISCORD_TOKEN=TOKEN,
               DISCORD_API_BASE=f"http://127.0.0.1:{port}",
               DISCORD_GATEWAY_URL=f"ws://127.0.0.1:{port}/gateway",
               LABWIRE_DB="data/labwire.sqlite3", LABWIRE_KNOWLEDGE=str(folder / "knowledge"),
               LABWIRE_FETCH_ALLOW_PRIVATE="1", LABWIRE_GUILD_READY_TIMEOUT="0.05")
    return env


def _folder(root: Path) -> Path:
    """A fresh working folder: sample knowledge, a file named a-file, a valid backup."""
    from tests.fake_discord.sample_kb import write_sample_knowledge

    folder = Path(tempfile.mkdtemp(dir=root))
    write_sample_knowledge(folder / "knowledge")
    (folder / "a-file").write_text("", encoding="utf-8")
    return folder


def _arguments(command: Command, surrounding: str) -> list[str]:
    args = list(command.args)
    if surrounding == "bad-arguments":
        args = list(command.bad_args) if command.bad_args else ["--no-such-option"]
    elif surrounding == "bad-paths":
        args = list(command.bad_path)
    prefix = ["--env-file", "missing.env"] if surrounding == "env-file-missing" else []
    return [*prefix, *command.name.split(), *args]


def run_cell(command: Command, surrounding: Surrounding, root: Path, port: int,
             extra_env: Mapping[str, str] | None = None) -> Cell:
    folder = _folder(root)
    env = {**_environment(folder, port), **(extra_env or {})}
    if command.name == "db restore":  # something to restore, made the ordinary way
        _make_backup(folder, env)
    surrounding.prepare(folder, env, port)
    argv = [sys.executable, "-m", "bot.cli", *_arguments(command, surrounding.name)]
    try:
        done = subprocess.run(argv, cwd=folder, env=env, input=command.stdin, text=True,
                              capture_output=True, timeout=TIME_LIMIT, check=False)
    except subprocess.TimeoutExpired as late:
        output = late.stderr.decode(errors="replace") if isinstance(late.stderr, bytes) \
            else (late.stderr or "")
        last = output.strip().splitlines()[-1:] or [""]
        return Cell(command.name, surrounding.name, None, f"last words: {last[0]}",
                    "Traceback (most recent call last)" in output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    output = done.stdout + done.stderr
    return Cell(command.name, surrounding.name, done.returncode, _first_line(done.stderr),
                "Traceback (most recent call last)" in output)


def _make_backup(folder: Path, env: dict[str, str]) -> None:
    good = {**env, "LABWIRE_DB": str(folder / "source.sqlite3")}
    for argv in (["risk", "-a", "stack=1", "-a", "career=1", "-a", "work=1", "-a", "ai=1"],
                 ["db", "backup", "backup.sqlite3"]):
        subprocess.run([sys.executable, "-m", "bot.cli", *argv], cwd=folder, env=good,
                       capture_output=True, timeout=TIME_LIMIT, check=True)


def _first_line(stderr: str) -> str:
    """The first line a user would read: not log lines with a timestamp."""
    for line in stderr.splitlines():
        if line.strip() and not line[:4].isdigit():
            return line.strip()
    return ""


def sweep(commands: Sequence[Command], surroundings: Sequence[Surrounding], *,
          workers: int = 1, extra_env: Mapping[str, str] | None = None) -> list[Cell]:
    """Every command in every surrounding; ``extra_env`` is added to each run's settings."""
    port = closed_port()
    with tempfile.TemporaryDirectory(prefix="labwire-sweep-") as tmp, \
            ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_cell, c, s, Path(tmp), port, extra_env)
                   for c in commands for s in surroundings]
        return [f.result() for f in futures]


def table(cells: Sequence[Cell], surroundings: Sequence[Surrounding]) -> str:
    names = [s.name for s in surroundings]
    lines = ["| command | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    commands = list(dict.fromkeys(c.command for c in cells))
    by_key = {(c.command, c.surrounding): c for c in cells}
    for command in commands:
        row = [by_key[(command, name)].text() for name in names]
        lines.append(f"| `{command}` | " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1,
                        help="runs at once (default 1: with more, a cold start of the "
                             "embedding model shares the CPU and can pass the 10 s limit)")
    parser.add_argument("--only", default="", help="comma-separated surroundings (default: all)")
    args = parser.parse_args(argv)
    wanted = {w for w in args.only.split(",") if w}
    surroundings = [s for s in SURROUNDINGS if not wanted or s.name in wanted]
    cells = sweep(commands(closed_port()), surroundings, workers=args.workers)
    print("\n".join(f"- `{s.name}`: {s.what}" for s in surroundings) + "\n")
    print(table(cells, surroundings))
    failed = [c for c in cells if not c.ok]
    print(f"\n{len(cells)} runs, {len(failed)} failed (a traceback, or still running after "
          f"{TIME_LIMIT:g} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
