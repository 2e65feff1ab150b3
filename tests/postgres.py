"""A throwaway PostgreSQL cluster for the tests: one per test session, on 127.0.0.1.

The server comes from Debian's packages (``scripts/install-postgres.sh``);
``initdb`` and ``pg_ctl`` are found under ``/usr/lib/postgresql/*/bin`` (or on
PATH).  The cluster lives in a temporary folder, owned by an unprivileged user
(``postgres`` when the tests run as root, since PostgreSQL refuses to run as
root), listens only on 127.0.0.1 on a free port, requires a password
(scram-sha-256, so wrong credentials can be tested), and trades durability
for speed (``fsync=off``): it is deleted when the session ends.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

INSTALL_HINT = (
    "PostgreSQL is not installed, and the storage tests run against it too: "
    "run scripts/install-postgres.sh (Debian: apt-get install -y postgresql)"
)
SUPERUSER = "labwire_test"
DATABASE = "labwire_tests"
START_TIMEOUT = 60


class PostgresUnavailableError(RuntimeError):
    """The test cluster cannot be started; the message says what to do."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    root: Path
    bindir: Path

    def url(self, database: str = DATABASE, *, password: str | None = None,
            **query: str) -> str:
        """A ``postgresql://`` URL; ``query`` adds e.g. ``search_path=...``."""
        secret = quote(self.password if password is None else password, safe="")
        tail = f"?{urlencode(query)}" if query else ""
        return f"postgresql://{self.user}:{secret}@{self.host}:{self.port}/{database}{tail}"


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder holding initdb and pg_ctl."""
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                        key=lambda p: _version(p.parent.name), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def start_cluster() -> PostgresServer:
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailableError(INSTALL_HINT)
    owner = _unprivileged_owner()
    root = Path(tempfile.mkdtemp(prefix="labwire-pg-"))
    password = secrets.token_urlsafe(16)
    server = PostgresServer("127.0.0.1", _free_port(), SUPERUSER, password, root, bindir)
    try:
        _prepare(server, owner)
        _run(server, owner, "pg_ctl", "-D", str(root / "data"), "-l", str(root / "server.log"),
             "-w", "-t", str(START_TIMEOUT), "-o", _server_options(server), "start")
        _run(server, owner, "createdb", "-h", server.host, "-p", str(server.port),
             "-U", SUPERUSER, DATABASE)
    except BaseException:
        stop_cluster(server)
        raise
    return server


def stop_cluster(server: PostgresServer) -> None:
    owner = _unprivileged_owner()
    if (server.root / "data" / "postmaster.pid").exists():
        subprocess.run(_as(owner, [str(server.bindir / "pg_ctl"), "-D", str(server.root / "data"),
                                   "-m", "immediate", "-w", "stop"]),
                       cwd=server.root, capture_output=True, timeout=START_TIMEOUT, check=False)
    shutil.rmtree(server.root, ignore_errors=True)


def _prepare(server: PostgresServer, owner: pwd.struct_passwd | None) -> None:
    pwfile = server.root / "pwfile"
    pwfile.write_text(server.password + "\n", encoding="utf-8")
    if owner is not None:
        for path in (server.root, pwfile):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    _run(server, owner, "initdb", "-D", str(server.root / "data"), "-U", SUPERUSER,
         f"--pwfile={pwfile}", "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale",
         "--no-sync")
    pwfile.unlink()


def _server_options(server: PostgresServer) -> str:
    settings = {
        "listen_addresses": server.host,
        "port": str(server.port),
        "unix_socket_directories": str(server.root),
        "fsync": "off",  # a throwaway cluster: speed over durability
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "max_connections": "200",
    }
    return " ".join(f"-c {key}={value}" for key, value in settings.items())


def _run(server: PostgresServer, owner: pwd.struct_passwd | None, tool: str,
         *args: str) -> None:
    command = _as(owner, [str(server.bindir / tool), *args])
    env = {**os.environ, "PGPASSWORD": server.password, "LC_ALL": "C"}
    done = subprocess.run(command, cwd=server.root, env=env, capture_output=True, text=True,
                          timeout=START_TIMEOUT, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        log = server.root / "server.log"
        if tool == "pg_ctl" and log.exists():
            detail += log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        raise PostgresUnavailableError(
            f"{tool} failed (exit {done.returncode}): {' | '.join(detail[-4:])}")


def _as(owner: pwd.struct_passwd | None, command: list[str]) -> list[str]:
    if owner is None:
        return command
    return ["runuser", "-u", owner.pw_name, "--", *command]


def _unprivileged_owner() -> pwd.struct_passwd | None:
    """The user the server runs as: ourselves, or ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailableError(
            "running as root, and there is no 'postgres' user to run the test server as: "
            + INSTALL_HINT) from None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())
