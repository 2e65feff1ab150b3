"""`labwire db backup` while the bot writes, and `labwire db restore` that loses nothing."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.ops.heartbeat import HeartbeatStatus, write_heartbeat
from bot.storage import open_database, sqlite_url

HEALTHY = HeartbeatStatus(True, 1.0, True, True)


async def write_notes(path: Path, notes: list[str]) -> None:
    async with open_database(sqlite_url(path)) as db, db.write() as tx:
        await tx.execute("CREATE TABLE IF NOT EXISTS notes (body TEXT NOT NULL)")
        await tx.execute("DELETE FROM notes")
        for note in notes:
            await tx.execute("INSERT INTO notes (body) VALUES (?)", (note,))


def make_db(path: Path, notes: list[str]) -> None:
    """A closed Labwire database (migrated by the real Database) holding ``notes``."""
    asyncio.run(write_notes(path, notes))


def read_notes(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT body FROM notes ORDER BY rowid")]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, (out + err).strip()


async def test_backup_in_another_process_while_the_bot_writes(tmp_path: Path) -> None:
    db_path, dest = tmp_path / "labwire.sqlite3", tmp_path / "backups" / "b.sqlite3"
    committed = 0
    enough = asyncio.Event()
    stop = asyncio.Event()
    async with open_database(sqlite_url(db_path)) as db:
        async with db.write() as conn:
            await conn.execute("CREATE TABLE pairs (txn INTEGER NOT NULL, half INTEGER NOT NULL)")

        async def writer() -> None:
            # Each transaction writes two rows: a consistent snapshot holds both or neither.
            nonlocal committed
            while not stop.is_set():
                async with db.write() as conn:
                    await conn.execute("INSERT INTO pairs VALUES (?, 0)", (committed,))
                    await conn.execute("INSERT INTO pairs VALUES (?, 1)", (committed,))
                committed += 1
                if committed == 50:
                    enough.set()

        task = asyncio.create_task(writer())
        await enough.wait()
        before = committed
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "db", "backup", str(dest), "--parents",
            "--db", str(db_path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await proc.communicate()
        during = committed - before
        stop.set()
        await task  # the writer never failed: a backup does not block or break writes

    assert proc.returncode == 0, err.decode()
    assert "backed up" in out.decode()
    assert during > 0, "the writer should have kept committing while the backup ran"
    check_consistent_snapshot(dest, before, committed)


def check_consistent_snapshot(dest: Path, before: int, committed: int) -> None:
    with sqlite3.connect(dest) as conn:
        rows = conn.execute("SELECT txn, COUNT(*) FROM pairs GROUP BY txn ORDER BY txn").fetchall()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert all(count == 2 for _, count in rows), "a transaction was cut in half"
    assert [txn for txn, _ in rows] == list(range(len(rows))), "a committed transaction is missing"
    assert before <= len(rows) <= committed
    assert not Path(f"{dest}-wal").exists()


def test_restore_round_trip_keeps_the_replaced_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backup = tmp_path / "labwire.sqlite3", tmp_path / "monday.sqlite3"
    make_db(db_path, ["alpha", "beta"])
    assert cli(capsys, "db", "backup", str(backup), "--db", str(db_path))[0] == 0
    make_db(db_path, ["gamma"])  # what happened after the backup

    code, output = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                       "--heartbeat", str(tmp_path / "heartbeat.json"))

    assert code == 0, output
    assert read_notes(db_path) == ["alpha", "beta"]
    [previous] = tmp_path.glob("labwire.sqlite3.before-restore-*")
    assert read_notes(previous) == ["gamma"]
    assert str(previous) in output
    asyncio.run(write_notes(db_path, ["after"]))  # the bot can open and write what was restored
    assert read_notes(db_path) == ["after"]


def test_restore_refuses_while_a_bot_is_running(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backup = tmp_path / "labwire.sqlite3", tmp_path / "old.sqlite3"
    beat = tmp_path / "heartbeat.json"
    make_db(db_path, ["old"])
    assert cli(capsys, "db", "backup", str(backup), "--db", str(db_path))[0] == 0
    make_db(db_path, ["live"])
    write_heartbeat(beat, HEALTHY)

    code, output = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                       "--heartbeat", str(beat))
    assert code == 1
    assert "bot is running" in output and "--force" in output
    assert read_notes(db_path) == ["live"]

    forced = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                 "--heartbeat", str(beat), "--force")
    assert forced[0] == 0
    assert read_notes(db_path) == ["old"]


def test_restore_replaces_a_damaged_database_and_keeps_its_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backup = tmp_path / "labwire.sqlite3", tmp_path / "good.sqlite3"
    make_db(db_path, ["good"])
    assert cli(capsys, "db", "backup", str(backup), "--db", str(db_path))[0] == 0
    damaged = b"SQLite format 3\x00" + b"\xff" * 5000  # a torn write / bad disk
    db_path.write_bytes(damaged)

    code, output = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                       "--heartbeat", str(tmp_path / "none.json"))

    assert code == 0, output
    assert read_notes(db_path) == ["good"]
    [previous] = tmp_path.glob("labwire.sqlite3.before-restore-*")
    assert previous.read_bytes() == damaged


def test_restore_proceeds_right_after_a_clean_stop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backup = tmp_path / "labwire.sqlite3", tmp_path / "old.sqlite3"
    beat = tmp_path / "heartbeat.json"
    make_db(db_path, ["old"])
    assert cli(capsys, "db", "backup", str(backup), "--db", str(db_path))[0] == 0
    make_db(db_path, ["new"])
    # What `labwire run` leaves behind when it stops: a fresh "disconnected" heartbeat.
    write_heartbeat(beat, HeartbeatStatus(False, None, True, True))
    code, output = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                       "--heartbeat", str(beat))
    assert code == 0, output
    assert read_notes(db_path) == ["old"]


async def test_restore_refuses_while_the_database_is_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, backup = tmp_path / "labwire.sqlite3", tmp_path / "old.sqlite3"
    await write_notes(db_path, ["old"])
    assert cli(capsys, "db", "backup", str(backup), "--db", str(db_path))[0] == 0
    async with open_database(sqlite_url(db_path)):  # a bot that has not written a heartbeat yet
        code, output = cli(capsys, "db", "restore", str(backup), "--db", str(db_path),
                           "--heartbeat", str(tmp_path / "none.json"))
    assert code == 1
    assert "-wal exists" in output


@pytest.mark.parametrize("kind", ["text", "foreign-sqlite", "missing"])
def test_restore_rejects_what_is_not_a_labwire_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    db_path, bogus = tmp_path / "labwire.sqlite3", tmp_path / "bogus.sqlite3"
    make_db(db_path, ["precious"])
    if kind == "text":
        bogus.write_text("id,name\n1,x\n")
    elif kind == "foreign-sqlite":
        with sqlite3.connect(bogus) as conn:
            conn.execute("CREATE TABLE photos (id INTEGER)")

    code, output = cli(capsys, "db", "restore", str(bogus), "--db", str(db_path),
                       "--heartbeat", str(tmp_path / "none.json"))
    assert code == 1
    assert output.startswith("restore refused")
    assert read_notes(db_path) == ["precious"]
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_rejects_a_backup_from_a_newer_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, future = tmp_path / "labwire.sqlite3", tmp_path / "future.sqlite3"
    make_db(future, ["from the future"])
    with sqlite3.connect(future) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'someday')")
    code, output = cli(capsys, "db", "restore", str(future), "--db", str(db_path),
                       "--heartbeat", str(tmp_path / "none.json"))
    assert code == 1
    assert "newer Labwire" in output
    assert not db_path.exists()


def test_backup_never_overwrites_or_invents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, dest = tmp_path / "labwire.sqlite3", tmp_path / "b.sqlite3"
    code, output = cli(capsys, "db", "backup", str(dest), "--db", str(db_path))
    assert code == 1 and "no database" in output
    assert not db_path.exists() and not dest.exists()

    make_db(db_path, ["one"])
    dest.write_text("an older backup")
    code, output = cli(capsys, "db", "backup", str(dest), "--db", str(db_path))
    assert code == 1 and "--force" in output
    assert dest.read_text() == "an older backup"
    assert cli(capsys, "db", "backup", str(dest), "--db", str(db_path), "--force")[0] == 0
    assert read_notes(dest) == ["one"]


def test_backup_and_restore_paths_that_are_folders_or_missing_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path, folder = tmp_path / "labwire.sqlite3", tmp_path / "backups"
    make_db(db_path, ["one"])
    folder.mkdir()

    code, output = cli(capsys, "db", "backup", str(folder), "--db", str(db_path), "--force")
    assert code == 1 and output.startswith(
        f"backup failed: {folder} is a folder; name the backup file, e.g. {folder}/labwire-")
    assert output.endswith(".sqlite3") and list(folder.iterdir()) == []

    code, output = cli(capsys, "db", "restore", str(folder), "--db", str(db_path))
    assert code == 1 and "is a folder" in output and "no such file" not in output

    deep = tmp_path / "nowhere" / "x" / "y.sqlite3"
    code, output = cli(capsys, "db", "backup", str(deep), "--db", str(db_path))
    assert code == 1 and "there is no folder" in output and "--parents" in output
    assert not (tmp_path / "nowhere").exists(), "a typo must not leave a folder tree behind"
    assert cli(capsys, "db", "backup", str(deep), "--db", str(db_path), "--parents")[0] == 0
    assert read_notes(deep) == ["one"]
