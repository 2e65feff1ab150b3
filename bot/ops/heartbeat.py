"""The running bot's heartbeat file, read by ``labwire health`` (Docker HEALTHCHECK).

The bot rewrites the file every ``HEARTBEAT_INTERVAL`` seconds; a stale or
unhealthy heartbeat makes ``labwire health`` exit non-zero.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HEARTBEAT_INTERVAL = 30.0


@dataclass(frozen=True)
class HeartbeatStatus:
    gateway_connected: bool
    last_event_age: float | None  # seconds since the last gateway event, None if none yet
    knowledge_loaded: bool
    database_writable: bool
    written_at: float = 0.0  # unix time; filled in by write_heartbeat


def write_heartbeat(path: Path, status: HeartbeatStatus) -> None:
    """Write atomically (temp file + rename) so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = asdict(status) | {"written_at": time.time()}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".heartbeat-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(payload, handle)
    os.replace(tmp, path)


def read_heartbeat(path: Path) -> HeartbeatStatus | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return HeartbeatStatus(**data)
    except (OSError, ValueError, TypeError):
        return None
