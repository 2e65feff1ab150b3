"""The running bot's heartbeat file, read by ``labwire health`` (Docker HEALTHCHECK).

The bot rewrites the file every ``HEARTBEAT_INTERVAL`` seconds; a stale or
unhealthy heartbeat makes ``labwire health`` exit non-zero.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.atomic import write_atomic

HEARTBEAT_INTERVAL = 30.0


@dataclass(frozen=True)
class HeartbeatStatus:
    gateway_connected: bool
    last_event_age: float | None  # seconds since the last gateway event, None if none yet
    knowledge_loaded: bool
    database_writable: bool
    written_at: float = 0.0  # unix time; filled in by write_heartbeat
    shards: dict[str, bool] | None = None  # this process's shards: connected or not


def write_heartbeat(path: Path, status: HeartbeatStatus) -> None:
    """Write atomically so a reader never sees half a file (and no temp file is left)."""
    payload = asdict(status) | {"written_at": time.time()}
    # Rewritten every 30 s: a lost write after a power cut costs nothing, so skip fsync.
    write_atomic(path, json.dumps(payload), durable=False)


def read_heartbeat(path: Path) -> HeartbeatStatus | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return HeartbeatStatus(**data)
    except (OSError, ValueError, TypeError):
        return None
