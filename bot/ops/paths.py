"""Where the bot keeps its state; shared by ``labwire run``, ``health`` and ``db``.

``$LABWIRE_DB`` (default ``./data/labwire.sqlite3``; ``/data/labwire.sqlite3`` in
the Docker image) and ``$LABWIRE_HEARTBEAT`` (default ``heartbeat.json`` next to
the database), so one mounted directory holds everything the bot writes.
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB = Path("data") / "labwire.sqlite3"
HEARTBEAT_NAME = "heartbeat.json"


def default_db_path() -> Path:
    return Path(os.environ.get("LABWIRE_DB") or DEFAULT_DB)


def default_heartbeat_path() -> Path:
    env = os.environ.get("LABWIRE_HEARTBEAT")
    return Path(env) if env else default_db_path().parent / HEARTBEAT_NAME
