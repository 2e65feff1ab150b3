"""Online backup and safe restore of the bot's SQLite database.

Both directions use SQLite's online backup API (``sqlite3.Connection.backup``),
which copies a consistent snapshot through SQLite's own locking: a backup can be
taken while the bot is writing (in WAL mode readers never block the writer), and
a restore writes through the target's journal instead of swapping files under a
connection.  Synchronous and short: async callers use ``asyncio.to_thread``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from bot.clock import utc_now
from bot.ops.health import MAX_HEARTBEAT_AGE
from bot.ops.heartbeat import read_heartbeat
from bot.storage.migrations import bundled_migrations

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    schema_version: int
    tables: int
    size_bytes: int


@dataclass(frozen=True)
class RestoreOutcome:
    restored: BackupInfo
    previous_copy: Path | None  # where the replaced database was saved, if there was one


def _connect_existing(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open without ever creating: a typo must not produce an empty database."""
    mode = "ro" if readonly else "rw"
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True, timeout=10)


def inspect_labwire_db(path: Path) -> BackupInfo:
    """Check that ``path`` is an intact Labwire database this version can use."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder; name the backup file inside it")
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if magic != SQLITE_MAGIC:
        raise BackupError(f"{path}: not an SQLite database")
    try:
        with closing(_connect_existing(path, readonly=True)) as conn:
            check = conn.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise BackupError(f"{path}: database is damaged ({check[0] if check else '?'})")
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            tables = {row[0] for row in rows}
            if "schema_migrations" not in tables:
                raise BackupError(f"{path}: not a Labwire database (no schema_migrations table)")
            applied = dict(conn.execute("SELECT version, name FROM schema_migrations").fetchall())
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: cannot read it as SQLite ({exc})") from exc
    _check_migrations(path, applied)
    return BackupInfo(path, max(applied, default=0), len(tables), path.stat().st_size)


def _check_migrations(path: Path, applied: dict[int, str]) -> None:
    known = {m.version: m.name for m in bundled_migrations()}
    newest = max(known, default=0)
    for version, name in sorted(applied.items()):
        if version > newest:
            raise BackupError(
                f"{path}: made by a newer Labwire (schema {version} > {newest}); upgrade first"
            )
        if known.get(version) != name:
            raise BackupError(
                f"{path}: migration {version} is {name!r}, expected {known.get(version)!r}: "
                "not a Labwire database"
            )


def backup_database(db_path: Path, dest: Path, *, overwrite: bool = False,
                    make_folders: bool = False) -> BackupInfo:
    """Copy the live database at ``db_path`` to ``dest`` as one self-contained file.

    The copy is written to a temporary file next to ``dest``, checked, and only
    then renamed into place, so ``dest`` is never a half-written backup.  A
    missing folder for ``dest`` is created only with ``make_folders`` (a typo in
    a path must not leave a new folder tree behind).
    """
    _check_backup_paths(db_path, dest, overwrite=overwrite, make_folders=make_folders)
    started = time.monotonic()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise BackupError(f"cannot write in {dest.parent}: {exc.strerror or exc}") from exc
    tmp = Path(tmp_name)
    try:
        with closing(_connect_existing(db_path)) as source, closing(sqlite3.connect(tmp)) as copy:
            # pages=-1: one step under one read transaction = one consistent snapshot.
            source.backup(copy, pages=-1)
            # A backup is a single file: no -wal/-shm companions to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
        info = inspect_labwire_db(tmp)
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(f"backup of {db_path} failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info(
        "database backed up",
        extra={"db": str(db_path), "backup": str(dest), "bytes": info.size_bytes,
               "seconds": round(time.monotonic() - started, 3)},
    )
    return BackupInfo(dest, info.schema_version, info.tables, info.size_bytes)


def _check_backup_paths(db_path: Path, dest: Path, *, overwrite: bool,
                        make_folders: bool) -> None:
    if not db_path.is_file():
        raise BackupError(f"no database at {db_path} (set LABWIRE_DB or pass --db)")
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder; name the backup file, e.g. "
                          f"{dest / ('labwire-' + time.strftime('%Y-%m-%d') + '.sqlite3')}")
    if dest.exists() and not overwrite:
        raise BackupError(f"{dest} already exists; choose another name or pass --force")
    if dest.resolve() == db_path.resolve():
        raise BackupError("the backup path is the database itself")
    if not dest.parent.is_dir() and not make_folders:
        raise BackupError(f"there is no folder {dest.parent}; create it, or pass --parents "
                          "to create it")


def running_bot_reason(db_path: Path, heartbeat_path: Path, now: float | None = None) -> str | None:
    """Why a bot seems to be using ``db_path`` right now, or None if nothing suggests it."""
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        # The bot holds its connection open while it runs, and SQLite deletes the
        # WAL when the last connection closes cleanly.
        return f"{wal} exists: a bot has the database open (or stopped uncleanly)"
    status = read_heartbeat(heartbeat_path)
    # A bot that stops writes a last heartbeat saying "disconnected"; don't count it.
    if status is not None and status.gateway_connected is True \
            and isinstance(status.written_at, int | float):
        age = (time.time() if now is None else now) - status.written_at
        if age < MAX_HEARTBEAT_AGE:
            return f"a bot is running (heartbeat {heartbeat_path} written {max(age, 0):.0f} s ago)"
    return None


def restore_database(
    backup: Path, db_path: Path, heartbeat_path: Path, *, force: bool = False
) -> RestoreOutcome:
    """Replace the database at ``db_path`` with the contents of ``backup``.

    Refuses an invalid backup, and a database a running bot is using unless
    ``force``.  The database being replaced is first saved next to it as
    ``<name>.before-restore-<UTC timestamp>``, so a mistaken restore loses nothing.
    """
    info = inspect_labwire_db(backup)
    if backup.resolve() == db_path.resolve():
        raise BackupError("the backup is the database itself")
    reason = running_bot_reason(db_path, heartbeat_path)
    if reason and not force:
        raise BackupError(f"refusing to restore over {db_path}: {reason}. "
                          "Stop the bot first, or pass --force.")
    if db_path.is_dir():
        raise BackupError(f"{db_path} is a folder, not a database file (check --db)")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        previous = _keep_previous(db_path) if db_path.exists() else None
    except OSError as exc:
        raise BackupError(f"cannot write in {db_path.parent}: {exc.strerror or exc}") from exc
    try:
        with closing(_connect_existing(backup, readonly=True)) as source, \
                closing(sqlite3.connect(db_path, timeout=10)) as target:
            source.backup(target, pages=-1)
    except (sqlite3.Error, OSError) as exc:
        raise BackupError(
            f"restore into {db_path} failed: {exc}"
            + (f"; the previous database is saved at {previous}" if previous else "")
        ) from exc
    log.info("database restored", extra={"db": str(db_path), "backup": str(backup),
                                         "previous_copy": str(previous) if previous else None})
    return RestoreOutcome(info, previous)


def _keep_previous(db_path: Path) -> Path:
    """Save the database about to be replaced next to it; return where it went.

    An intact database is copied with the online backup API.  A damaged one (the
    usual reason to restore) is moved aside byte for byte, with its WAL, so the
    restore starts from a clean file and the damaged bytes stay for inspection.
    """
    stamp = utc_now().strftime("%Y%m%d-%H%M%SZ")
    previous = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
    try:
        inspect_labwire_db(db_path)
    except BackupError as problem:
        log.warning("replacing a database that is not intact",
                    extra={"db": str(db_path), "problem": str(problem)})
        for suffix in ("", "-wal", "-shm"):
            companion = Path(f"{db_path}{suffix}")
            if companion.exists():
                os.replace(companion, Path(f"{previous}{suffix}"))
        return previous
    backup_database(db_path, previous, overwrite=False)
    return previous
