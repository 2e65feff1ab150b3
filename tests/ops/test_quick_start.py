"""The README's quick start works on a system Python that refuses pip (PEP 668), and CI runs it.

Debian 12's Python says ``externally-managed-environment`` to ``pip install``
outside a virtual environment (issue 11, item 16), so both quick-start commands
make ``.venv`` and use it.  ``.ci/run`` runs the README's test command verbatim
and fails when pytest collects nothing (exit 5).  ``scripts/install-postgres.sh``
is run here against stand-ins for ``apt-get``, ``sudo`` and ``id``: it must do
nothing when PostgreSQL is there, and install through sudo (or say it cannot).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
CI_RUN = REPO / ".ci" / "run"
INSTALL_POSTGRES = REPO / "scripts" / "install-postgres.sh"
TIME_LIMIT = 30.0


def quick_start_commands() -> list[str]:
    """The commands in the README's first shell block under '## Quick start'."""
    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_quick_start_is_two_commands_that_make_and_use_a_virtual_environment() -> None:
    chat, tests = quick_start_commands()
    for command in (chat, tests):
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install "), command
        # Nothing may reach the system Python's pip: Debian refuses it.
        assert not re.search(r"(^|&& )(python3? -m pip|pip3?) ", command), command
    assert chat.endswith("&& .venv/bin/labwire chat")
    assert "bash scripts/install-postgres.sh" in tests
    assert tests.endswith("&& .venv/bin/python -m pytest")
    assert "python3-venv" in README.read_text(encoding="utf-8"), "Debian needs python3-venv"


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, tests = quick_start_commands()
    assert tests in CI_RUN.read_text(encoding="utf-8").splitlines()


def _fake_checkout(tmp_path: Path, pytest_exit: int) -> tuple[Path, dict[str, str]]:
    """A checkout holding the real .ci/run, where python3 makes a .venv whose pytest exits
    ``pytest_exit`` and install-postgres.sh only notes that it ran."""
    checkout = tmp_path / "checkout"
    (checkout / ".ci").mkdir(parents=True)
    shutil.copy(CI_RUN, checkout / ".ci" / "run")
    (checkout / "scripts").mkdir()
    _script(checkout / "scripts" / "install-postgres.sh", 'echo postgres-ok >> "$LOG"')
    tools = tmp_path / "tools"
    tools.mkdir()
    _script(tools / "python3", f"""
        [ "$*" = "-m venv .venv" ] || exit 9
        mkdir -p .venv/bin
        printf '#!/bin/sh\\necho "pip $*" >> "$LOG"\\n' > .venv/bin/pip
        printf '#!/bin/sh\\necho "python $*" >> "$LOG"\\nexit {pytest_exit}\\n' > .venv/bin/python
        chmod +x .venv/bin/pip .venv/bin/python
    """)
    env = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}", "LOG": str(tmp_path / "log")}
    return checkout, env


@pytest.mark.parametrize(("pytest_exit", "ci_exit"), [(5, 1), (1, 1), (3, 3)])
def test_ci_fails_when_pytest_fails_or_collects_nothing(
    tmp_path: Path, pytest_exit: int, ci_exit: int
) -> None:
    checkout, env = _fake_checkout(tmp_path, pytest_exit)
    ran = subprocess.run(["bash", str(checkout / ".ci" / "run")], env=env, capture_output=True,
                         text=True, timeout=TIME_LIMIT, check=False)
    assert ran.returncode == ci_exit, ran.stdout + ran.stderr
    assert (tmp_path / "log").read_text(encoding="utf-8").splitlines() == [
        "pip install -c requirements-dev.lock -e .[dev]", "postgres-ok", "python -m pytest"]
    assert ("collected no tests" in ran.stderr) == (pytest_exit == 5)
    assert "== lint" not in ran.stdout, "nothing after a failed test run"


def _script(path: Path, body: str) -> None:
    lines = [line.strip() for line in body.strip().splitlines()]
    path.write_text("#!/bin/sh\n" + "\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o755)


def _install_postgres(tmp_path: Path, *, uid: int, sudo: bool) -> subprocess.CompletedProcess[str]:
    """Run the script with stand-ins: ``id -u`` says ``uid``; apt-get 'installs' PostgreSQL
    under a folder of the test's; sudo (if present) runs the command it is given."""
    tools = tmp_path / "tools"
    tools.mkdir(exist_ok=True)
    lib = tmp_path / "postgresql"
    log = tmp_path / "log"
    _script(tools / "id", f'[ "$1" = "-u" ] && echo {uid}')
    _script(tools / "apt-get", f"""
        echo "apt-get $*" >> {log}
        case "$*" in *postgresql*) mkdir -p {lib}/15/bin && touch {lib}/15/bin/initdb;; esac
    """)
    if sudo:
        # mkdir/tee under /etc are noted, not done; everything else runs.
        _script(tools / "sudo", f"""
            echo "sudo $1" >> {log}
            case "$1" in mkdir|tee) [ "$1" = tee ] && cat > /dev/null; exit 0;; esac
            exec "$@"
        """)
    env = {"PATH": f"{tools}:/usr/bin:/bin", "LABWIRE_POSTGRESQL_LIB": str(lib)}
    return subprocess.run(["bash", str(INSTALL_POSTGRES)], env=env, capture_output=True,
                          text=True, timeout=TIME_LIMIT, check=False)


def test_install_postgres_does_nothing_when_postgresql_is_there(tmp_path: Path) -> None:
    (tmp_path / "postgresql" / "15" / "bin").mkdir(parents=True)
    (tmp_path / "postgresql" / "15" / "bin" / "initdb").touch()
    ran = _install_postgres(tmp_path, uid=1000, sudo=False)
    assert ran.returncode == 0, ran.stderr
    assert "PostgreSQL is installed" in ran.stdout
    assert not (tmp_path / "log").exists(), "no apt-get, no sudo"


def test_install_postgres_installs_through_sudo_for_a_user(tmp_path: Path) -> None:
    ran = _install_postgres(tmp_path, uid=1000, sudo=True)
    assert ran.returncode == 0, ran.stderr
    log = (tmp_path / "log").read_text(encoding="utf-8").splitlines()
    assert "sudo apt-get" in log and any(line.startswith("apt-get install") for line in log)
    assert f"PostgreSQL installed: {tmp_path / 'postgresql' / '15' / 'bin'}" in ran.stdout


def test_install_postgres_without_root_or_sudo_says_so_in_one_line(tmp_path: Path) -> None:
    ran = _install_postgres(tmp_path, uid=1000, sudo=False)
    assert ran.returncode == 1
    assert ran.stderr.strip().splitlines() == [
        "install-postgres: PostgreSQL is missing; run this as root (or install sudo) to "
        "install Debian's postgresql package"]
