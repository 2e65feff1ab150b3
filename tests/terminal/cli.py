"""Run the real ``labwire`` command in a subprocess, as a user would, with a time limit.

``run_labwire(...)`` never hangs a test: a process still running after
``timeout`` seconds is killed and reported as ``timed_out``.  The child sees no
``LABWIRE_*``/``DISCORD_*`` variable from the shell, only the ones given.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 10.0  # seconds: issue 11's bound for any command in any surroundings
FAKE_TOKEN = "not-a-real-token-0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Ran:
    """What a finished (or killed) ``labwire`` run left behind."""

    args: tuple[str, ...]
    returncode: int | None  # None: killed after the time limit
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    @property
    def traceback(self) -> bool:
        return "Traceback (most recent call last)" in self.output

    def explain(self) -> str:
        """For assertion messages: the command and everything it printed."""
        return (f"labwire {' '.join(self.args)} -> {self.returncode}\n"
                f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}")


def clean_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABWIRE_", "DISCORD_"))}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(settings)
    return env


def run_labwire(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: str = "",
                timeout: float = TIME_LIMIT) -> Ran:
    """``labwire ARGS`` in ``cwd`` with ``stdin`` fed in; killed after ``timeout`` s."""
    command = [sys.executable, "-m", "bot.cli", *args]
    try:
        done = subprocess.run(command, cwd=cwd, env=env or clean_env(), input=stdin,
                              capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as late:
        return Ran(tuple(args), None, _text(late.stdout), _text(late.stderr))
    return Ran(tuple(args), done.returncode, done.stdout, done.stderr)


def _text(data: bytes | str | None) -> str:
    if isinstance(data, bytes):
        return data.decode(errors="replace")
    return data or ""


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (it was free a moment ago)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
