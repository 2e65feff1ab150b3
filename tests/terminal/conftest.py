"""Run the real ``labwire`` command in a subprocess, against the local news site."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.drafts.site import site  # noqa: F401 - the fixture
from tests.fake_discord.sample_kb import write_sample_knowledge

REPO_ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60.0


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


Labwire = Callable[..., Awaitable[Ran]]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    write_sample_knowledge(tmp_path / "knowledge", with_quiz=False)
    return tmp_path


@pytest.fixture
def labwire(workdir: Path) -> Labwire:
    """``await labwire("kb", "draft", url, env={...})``: exit code, stdout and stderr."""

    async def run(*args: str, env: dict[str, str] | None = None) -> Ran:
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("LABWIRE_", "DISCORD_"))}
        base.update({"LABWIRE_KNOWLEDGE": str(workdir / "knowledge"),
                     "LABWIRE_DB": str(workdir / "data" / "labwire.sqlite3"),
                     "PYTHONPATH": str(REPO_ROOT), **(env or {})})
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, cwd=workdir, env=base,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise AssertionError(
                f"labwire {' '.join(args)} did not finish in {TIMEOUT} s") from None
        return Ran(process.returncode or 0, out.decode(), err.decode())

    return run
