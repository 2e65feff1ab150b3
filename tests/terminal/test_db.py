"""``labwire db migrate|status`` on both backends; backup, restore and run on PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import open_database, sqlite_url
from bot.storage.migrations import bundled_migrations
from tests.postgres import PostgresServer

NEWEST = bundled_migrations()[-1].version
SHIPPED_KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_migrate_then_status_on_a_new_database(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "db", "migrate", "--db", database_url)
    assert (code, err) == (0, "")
    assert [line.split()[1] for line in out.splitlines()[:-1]] == [
        m.label for m in bundled_migrations()]
    assert out.splitlines()[-1].endswith(
        f"schema version {NEWEST}, {len(bundled_migrations())} migrations applied")

    code, out, _ = cli(capsys, "db", "migrate", "--db", database_url)
    assert code == 0 and out.strip().endswith(f"schema version {NEWEST}, already up to date")

    code, out, _ = cli(capsys, "db", "status", "--db", database_url)
    assert code == 0
    assert out.splitlines()[0].endswith(f"schema version {NEWEST}, up to date")
    assert "0001_quiz_results" in out and out.count(" applied ") == len(bundled_migrations())


async def _forget_newest_migration(database_url: str) -> None:
    async with open_database(database_url) as db, db.write() as tx:
        await tx.execute("DELETE FROM schema_migrations WHERE version = ?", (NEWEST,))


def test_status_names_pending_migrations_and_changes_nothing(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_forget_newest_migration(database_url))
    code, out, _ = cli(capsys, "db", "status", "--db", database_url)
    assert code == 1
    assert "1 migration pending: run labwire db migrate" in out
    assert f"{bundled_migrations()[-1].label}" in out and "pending" in out
    code, out, _ = cli(capsys, "db", "status", "--db", database_url)
    assert code == 1  # status applied nothing


def test_status_of_a_missing_sqlite_file_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.sqlite3"
    code, out, err = cli(capsys, "db", "status", "--db", str(missing))
    assert code == 1 and out == ""
    assert err.strip() == (f"labwire db status: no database at {missing} (set "
                           "LABWIRE_DATABASE_URL or LABWIRE_DB, or pass --db)")
    assert not missing.exists()


def test_the_configured_url_is_used_and_its_password_never_printed(
    postgres_url: str, postgres: PostgresServer, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LABWIRE_DATABASE_URL", postgres_url)
    monkeypatch.setenv("LABWIRE_DB", "/nonexistent/ignored.sqlite3")
    code, out, err = cli(capsys, "db", "migrate")
    assert code == 0 and out.startswith("applied 0001_quiz_results")
    assert f"postgresql://{postgres.user}:***@" in out
    code, out, err = cli(capsys, "db", "status")
    assert code == 0 and "up to date" in out
    assert postgres.password not in out + err


def test_wrong_credentials_and_a_dead_server_are_one_line(
    postgres: PostgresServer, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = "wrong-password-5678"
    code, out, err = cli(capsys, "db", "status", "--db", postgres.url(password=wrong))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "wrong password or user name" in err
    assert wrong not in err and postgres.password not in err

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code, out, err = cli(capsys, "db", "migrate", "--db",
                         f"postgresql://u:{wrong}@127.0.0.1:{port}/x?connect_timeout=5")
    assert code == 1 and err.count("\n") == 1
    assert "connection refused" in err and wrong not in err


@pytest.mark.parametrize("command", [["backup", "b.sqlite3"], ["restore", "b.sqlite3"]])
def test_backup_and_restore_point_postgresql_at_pg_dump(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LABWIRE_DATABASE_URL", "postgresql://labwire:hunter2@db:5432/labwire")
    code, out, err = cli(capsys, "db", *command)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "pg_dump" in err and "postgresql://labwire:***@db:5432/labwire" in err
    assert "hunter2" not in err
    assert not (tmp_path / "b.sqlite3").exists()


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """``labwire run`` in-process installs its log handler on this test's captured stderr:
    put the root logger back, so later tests do not log into a closed stream."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    root.handlers[:] = handlers


@pytest.mark.usefixtures("restored_logging")
def test_run_with_an_unreachable_database_stops_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "abcdefghijk.lmnop")
    monkeypatch.setenv("LABWIRE_KNOWLEDGE", str(SHIPPED_KNOWLEDGE))
    monkeypatch.setenv("LABWIRE_DATABASE_URL",
                       f"postgresql://labwire:hunter2@127.0.0.1:{port}/labwire")
    code, _, err = cli(capsys, "run")  # in tmp_path: no .env there
    assert code == 1
    assert err.strip().splitlines() == [
        f"labwire run: cannot connect to PostgreSQL at 127.0.0.1:{port}/labwire as labwire: "
        "connection refused (is the server running and listening there?) "
        "(check LABWIRE_DATABASE_URL)"]
    assert "hunter2" not in err


def test_sqlite_urls_and_plain_files_name_the_same_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "labwire.sqlite3"
    assert cli(capsys, "db", "migrate", "--db", str(path))[0] == 0
    code, out, _ = cli(capsys, "db", "status", "--db", sqlite_url(path))
    assert code == 0 and "up to date" in out
