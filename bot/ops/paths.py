"""Where the bot keeps its state; shared by ``labwire run``, ``health`` and ``db``.

The database is ``$LABWIRE_DATABASE_URL`` (``sqlite:///...`` or
``postgresql://...``), else the SQLite file ``$LABWIRE_DB`` (default
``./data/labwire.sqlite3``; ``/data/labwire.sqlite3`` in the Docker image).
``$LABWIRE_HEARTBEAT`` defaults to ``heartbeat.json`` next to an SQLite
database (``./data/`` with PostgreSQL), so one mounted directory holds
everything the bot writes.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.storage.urls import choose_database_url, parse_database_url, sqlite_url

DEFAULT_DB = Path("data") / "labwire.sqlite3"
HEARTBEAT_NAME = "heartbeat.json"


def default_database_url() -> str:
    return choose_database_url(os.environ.get("LABWIRE_DATABASE_URL", ""),
                               os.environ.get("LABWIRE_DB", ""), DEFAULT_DB)


def database_url_from_arg(value: str | Path | None) -> str:
    """A command's ``--db``: a database URL or an SQLite file; None means the configured one."""
    if value is None or str(value) == "":
        return default_database_url()
    text = str(value)
    return text if "://" in text else sqlite_url(text)


def heartbeat_next_to(database_url: str) -> Path:
    """The default heartbeat file: beside an SQLite database, else under ./data/."""
    if database_url.startswith("sqlite:///"):
        folder = Path(database_url.removeprefix("sqlite:///")).parent
    else:
        folder = DEFAULT_DB.parent
    return folder / HEARTBEAT_NAME


def default_heartbeat_path() -> Path:
    env = os.environ.get("LABWIRE_HEARTBEAT")
    return Path(env) if env else heartbeat_next_to(default_database_url())


def sqlite_path(database_url: str) -> Path | None:
    """The file of an SQLite URL; None for PostgreSQL (or a URL that does not parse)."""
    try:
        return parse_database_url(database_url).path
    except ValueError:
        return None
