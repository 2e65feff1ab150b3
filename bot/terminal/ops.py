"""``labwire health`` and ``labwire db backup|restore``: operating a deployed bot.

Backup and restore copy SQLite files; a PostgreSQL database is backed up with
``pg_dump`` (README, "Running at scale"), so they refuse one in one line.
``labwire db migrate|status`` live in :mod:`bot.terminal.db`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.ops.backup import BackupError, backup_database, restore_database
from bot.ops.health import MAX_HEARTBEAT_AGE, check_health
from bot.settings import Settings
from bot.storage import DatabaseURLError, parse_database_url
from bot.terminal.common import add_database_arg, database_from

PG_DUMP_HINT = ("is PostgreSQL: back it up with pg_dump and restore with pg_restore "
                "(README, 'Running at scale'); labwire db backup|restore copy SQLite files only")


def register(sub: Any) -> None:
    health = sub.add_parser(
        "health",
        help="exit 0 if the running bot's heartbeat is fresh and healthy (Docker HEALTHCHECK)",
    )
    _add_heartbeat_arg(health)
    health.add_argument("--max-age", type=float, default=MAX_HEARTBEAT_AGE, metavar="SECONDS",
                        help=f"oldest acceptable heartbeat (default {MAX_HEARTBEAT_AGE:.0f})")
    health.add_argument("--max-event-age", type=float, default=None, metavar="SECONDS",
                        help="also fail when the last gateway event is older than this "
                             "(default: not checked; a quiet server may have no events)")
    health.set_defaults(func=cmd_health, exit_on_bad_settings=1)

    db = sub.add_parser("db", help="the bot's database: migrate, status, backup, restore")
    db_sub = db.add_subparsers(dest="db_command", metavar="SUBCOMMAND", required=True)

    backup = db_sub.add_parser(
        "backup", help="copy the database to PATH (safe while the bot is running)"
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="backup file to create")
    _add_db_arg(backup)
    backup.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    backup.add_argument("--parents", action="store_true",
                        help="create PATH's folder (and its parents) when missing")
    backup.set_defaults(func=cmd_backup)

    restore = db_sub.add_parser(
        "restore", help="replace the database with the backup at PATH (stop the bot first)"
    )
    restore.add_argument("path", type=Path, metavar="PATH", help="backup file to restore")
    _add_db_arg(restore)
    _add_heartbeat_arg(restore)
    restore.add_argument("--force", action="store_true",
                         help="restore even though a bot seems to be using the database")
    restore.set_defaults(func=cmd_restore)


def _add_db_arg(parser: argparse.ArgumentParser) -> None:
    add_database_arg(parser, "the SQLite database")


def _sqlite_file(args: argparse.Namespace, settings: Settings, command: str) -> Path | None:
    """The SQLite file to back up or restore into; None after one line saying why not."""
    url = database_from(args.db, settings)
    try:
        target = parse_database_url(url)
    except DatabaseURLError as exc:
        print(f"{command}: {exc}", file=sys.stderr)
        return None
    if target.path is None:
        print(f"{command} refused: {target.display} {PG_DUMP_HINT}", file=sys.stderr)
        return None
    return target.path


def _add_heartbeat_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--heartbeat", type=Path, default=None, metavar="FILE",
                        help="heartbeat file (default: $LABWIRE_HEARTBEAT or "
                             "heartbeat.json next to the database)")


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    path = args.heartbeat or settings.heartbeat_path
    verdict = check_health(path, max_age=args.max_age, max_event_age=args.max_event_age)
    if verdict.healthy:
        print(f"healthy: {verdict.reason}")
        return 0
    # Exit 1, never 2: Docker reserves 2 for health checks.
    print(f"unhealthy: {verdict.reason}", file=sys.stderr)
    return 1


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    db_path = _sqlite_file(args, settings, "backup")
    if db_path is None:
        return 1
    try:
        info = backup_database(db_path, args.path, overwrite=args.force,
                               make_folders=args.parents)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backed up {db_path} to {info.path} "
          f"({_size(info.size_bytes)}, schema version {info.schema_version})")
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    db_path = _sqlite_file(args, settings, "restore")
    if db_path is None:
        return 1
    heartbeat = args.heartbeat or settings.heartbeat_path
    try:
        outcome = restore_database(args.path, db_path, heartbeat, force=args.force)
    except BackupError as exc:
        print(f"restore refused: {exc}", file=sys.stderr)
        return 1
    if outcome.previous_copy:
        print(f"saved the replaced database as {outcome.previous_copy}")
    print(f"restored {db_path} from {args.path} (schema version "
          f"{outcome.restored.schema_version}; newer migrations apply when the bot starts)")
    return 0


def _size(n: int) -> str:
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"
